"""Reads about a portal account's e-mail addresses (django-allauth's ``EmailAddress`` records)."""

from typing import Any

from allauth.account.models import EmailAddress


def has_verified_email(*, user: Any) -> bool:
    """The user has at least one verified address (what live access asks for)."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def can_set_up_mfa(*, user: Any) -> bool:
    """Two-factor authentication can be set up: the user has a verified address and no unverified one. A user
    with no address record at all (one created outside sign-up) cannot: nobody proved the address is theirs,
    and an authenticator on someone else's address would lock its real owner out (docs/portal/accounts.md)."""
    states = set(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    return states == {True}
