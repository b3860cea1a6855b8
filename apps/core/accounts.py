"""The allauth e-mail address record of a user created outside sign-up (management commands, the sandbox
quickstart). Sign-up, invitations and the holder sign-up make their own; a user without a record could not
verify an address, and the portal's rules (two-factor, live access) ask for a verified one
(docs/portal/accounts.md)."""

from typing import Any

from allauth.account.models import EmailAddress


def email_address_record(*, user: Any, verified: bool) -> EmailAddress | None:
    """Make sure ``user.email`` has its address record: created (primary when the user has none) if missing, and
    marked verified when ``verified`` (only a caller that vouches for the address passes True; an unverified
    record is verified by the user through the link sent from ``/accounts/email/``). Never un-verifies an
    address. Returns the record, or None for a user without an e-mail."""
    email = (user.email or "").strip().lower()
    if not email:
        return None
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        primary = not EmailAddress.objects.filter(user=user, primary=True).exists()
        return EmailAddress.objects.create(user=user, email=email, primary=primary, verified=verified)
    if verified and not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return address
