"""Reads of partner teams: members, open invitations, and the invitation a link's token leads to (with the errors
that say why a link no longer works)."""

import hashlib
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from apps.core import clock
from apps.core.errors import NotFound, error_type
from apps.partners.models import Invitation, Membership, Partner

# Longer than any token we issue; anything longer is refused before hashing.
TOKEN_MAX_LENGTH = 64

InvitationUnusable = error_type(
    "InvitationUnusable",
    "invitation_invalid",
    404,
    "Invitation not found",
    "This invitation link is not valid. Check that you copied the whole link.",
    doc="The token does not lead to an invitation that can still be accepted (see the subclasses).",
)
InvitationExpired = error_type(
    "InvitationExpired",
    "invitation_expired",
    410,
    "Invitation expired",
    "This invitation has expired. Ask the team to send you a new one.",
    base=InvitationUnusable,
)
InvitationRevoked = error_type(
    "InvitationRevoked",
    "invitation_revoked",
    410,
    "Invitation revoked",
    "This invitation was withdrawn by the team.",
    base=InvitationUnusable,
)
InvitationUsed = error_type(
    "InvitationUsed",
    "invitation_used",
    410,
    "Invitation already used",
    "This invitation has already been accepted.",
    base=InvitationUnusable,
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_matches(user: Any, email: str) -> bool:
    """The user's account address, or one of their verified addresses, is ``email`` (case-insensitive)."""
    if normalise_email(user.email or "") == email:
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def account_for_email(email: str) -> Any:
    User = get_user_model()
    user = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).order_by("pk").first()
    if user is None:
        address = EmailAddress.objects.select_related("user").filter(email__iexact=email).first()
        user = address.user if address is not None else None
    return user


def member_list(*, partner: Partner) -> QuerySet[Membership]:
    """The partner's members, owners first, then by when they joined."""
    rank = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Membership.Role.values)),
        output_field=IntegerField(),
    )
    return Membership.objects.select_related("user").filter(partner=partner).annotate(rank=rank).order_by("rank", "pk")


def member_get(*, partner: Partner, public_id: str) -> Membership:
    """One of the partner's members; another partner's member id raises ``NotFound``."""
    membership = Membership.objects.select_related("user").filter(partner=partner, public_id=public_id).first()
    if membership is None:
        raise NotFound("No such member.")
    return membership


def invitation_open_list(*, partner: Partner) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones included: the page marks them)."""
    return Invitation.objects.filter(partner=partner, accepted_at__isnull=True, revoked_at__isnull=True).order_by("-pk")


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation a link's token leads to, if it can still be accepted.

    Raises ``InvitationUnusable`` (404) for an unknown token and ``InvitationExpired``, ``InvitationRevoked``
    or ``InvitationUsed`` (410) for one that can no longer be used.
    """
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise InvitationUnusable()
    invitation = Invitation.objects.select_related("partner").filter(token_digest=token_digest(token)).first()
    if invitation is None:
        raise InvitationUnusable()
    check_usable(invitation, now=clock.now())
    return invitation


def check_usable(invitation: Invitation, *, now: datetime) -> None:
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    if invitation.revoked_at is not None:
        raise InvitationRevoked()
    if invitation.expires_at <= now:
        raise InvitationExpired()


def invitation_is_for(*, invitation: Invitation, user: Any) -> bool:
    """Whether ``user`` owns the invited address (account e-mail or a verified address, case-insensitive)."""
    return email_matches(user, normalise_email(invitation.email))


def account_exists_for(*, email: str) -> bool:
    """Whether someone already has an account with this address (they log in rather than sign up)."""
    return account_for_email(normalise_email(email)) is not None
