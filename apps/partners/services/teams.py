"""Partner teams: invitations, roles, removing and leaving, ownership transfer (writes and the reads they need).

Invariants kept here, not only in the portal views:

- A partner always has at least one owner. Every write that could take the last owner away (demotion,
  removal, leaving, transfer) locks all of the partner's memberships first (``select_for_update``, in primary
  key order) and decides on the locked rows, so two concurrent changes cannot both see "another owner is left".
- Only owners and admins manage members; admins never touch an owner and never make anyone owner; only an
  owner transfers ownership. The acting user's role is re-read under the lock, so a member demoted a moment
  ago cannot still act with the old role.
- An invitation token is shown once (in the e-mail); only its SHA-256 digest is stored. Tokens carry 256
  random bits, so a fast hash is enough. One open invitation per partner and e-mail (a partial unique
  constraint backs the check).

Each write records its audit row in the same transaction. ``request`` is optional and only feeds the audit
row's IP address and user agent.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from apps.core import clock
from apps.core.errors import NotFound
from apps.partners.models import Invitation, Membership, Partner
from apps.partners.roles import can

# The errors of an invitation link are the selector's; they are part of what accepting one raises.
from apps.partners.selectors.teams import InvitationExpired as InvitationExpired
from apps.partners.selectors.teams import InvitationRevoked as InvitationRevoked
from apps.partners.selectors.teams import InvitationUnusable as InvitationUnusable
from apps.partners.selectors.teams import InvitationUsed as InvitationUsed
from apps.partners.selectors.teams import (
    account_for_email,
    check_usable,
    email_matches,
    invitation_get_by_token,
    invitation_open_list,
    normalise_email,
    token_digest,
)
from apps.partners.services import audit
from apps.partners.services.team_errors import (
    AccountExists,
    AlreadyMember,
    AlreadyOwner,
    InvalidRole,
    InvitationAlreadyOpen,
    InvitationClosed,
    LastOwner,
    NotPermitted,
    TransferToSelf,
    UseLeave,
    WrongAccount,
)

INVITATION_TTL = timedelta(days=7)
INVITABLE_ROLES = (Membership.Role.ADMIN, Membership.Role.DEVELOPER, Membership.Role.VIEWER)

OWNER = Membership.Role.OWNER
ADMIN = Membership.Role.ADMIN


# --- Helpers ------------------------------------------------------------------------------------------------


def invitation_accept_url(token: str) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("portal:team-invitation-accept", args=[token])


def _locked_memberships(partner: Partner) -> list[Membership]:
    # Lock every membership of the partner (primary-key order, so concurrent writers queue instead of
    # deadlocking) and decide on these rows only. On SQLite the IMMEDIATE transaction serialises writers.
    return list(
        Membership.objects.select_for_update(of=("self",)).select_related("user").filter(partner=partner).order_by("pk")
    )


def _find(memberships: list[Membership], *, public_id: str) -> Membership:
    found = next((m for m in memberships if m.public_id == public_id), None)
    if found is None:
        raise NotFound("No such member.")
    return found


def _actor_membership(memberships: list[Membership], actor: Any) -> Membership:
    found = next((m for m in memberships if m.user_id == actor.pk), None)
    if found is None:
        # The actor left or was removed since the request began.
        raise NotPermitted("You are no longer a member of this team.")
    return found


def _owner_count(memberships: list[Membership]) -> int:
    return sum(1 for m in memberships if m.role == OWNER)


# --- Invitations --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation. ``token`` exists only here and in the e-mail; it is never stored or shown again."""

    invitation: Invitation
    token: str


def _send_invitation_email(*, invitation: Invitation, token: str, inviter_email: str) -> None:
    context = {
        "partner_name": invitation.partner.name,
        "role": invitation.role,
        "inviter_email": inviter_email,
        "accept_url": invitation_accept_url(token),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("partners/email/invitation_subject.txt", context).strip()
    body = render_to_string("partners/email/invitation_message.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *, partner: Partner, email: str, role: str, invited_by: Any, request: Any = None
) -> IssuedInvitation:
    """Invite ``email`` to ``partner`` with ``role`` (admin, developer or viewer; owner only by transfer) and
    e-mail the accept link after commit. The invitation expires after ``INVITATION_TTL``.

    ``invited_by`` must be an owner or admin of the partner (``NotPermitted``). Raises ``InvalidRole``,
    ``AlreadyMember`` when the address belongs to a member, ``InvitationAlreadyOpen`` when it has an open,
    unexpired invitation. An expired open invitation for the address is closed (``revoked_at``) and replaced.
    """
    email = normalise_email(email)
    if role not in INVITABLE_ROLES:
        raise InvalidRole()
    inviter = Membership.objects.filter(partner=partner, user=invited_by).first()
    if not can(inviter, "manage_members"):
        raise NotPermitted()
    members = Membership.objects.filter(partner=partner)
    if members.filter(
        Q(user__email__iexact=email) | Q(user__emailaddress__email__iexact=email, user__emailaddress__verified=True)
    ).exists():
        raise AlreadyMember()
    now = clock.now()
    open_invitation = invitation_open_list(partner=partner).filter(email__iexact=email).first()
    if open_invitation is not None:
        if open_invitation.expires_at > now:
            raise InvitationAlreadyOpen()
        open_invitation.revoked_at = now
        open_invitation.save(update_fields=["revoked_at", "updated_at"])
    token = secrets.token_urlsafe(32)
    try:
        # A savepoint, so a concurrent invite of the same address (the partial unique constraint) becomes a
        # form error rather than a broken transaction.
        with transaction.atomic():
            invitation = Invitation.objects.create(
                partner=partner,
                email=email,
                role=role,
                token_digest=token_digest(token),
                invited_by=invited_by,
                expires_at=now + INVITATION_TTL,
            )
    except IntegrityError as exc:
        raise InvitationAlreadyOpen() from exc
    audit.record(
        action="member.invited",
        partner=partner,
        actor=invited_by,
        request=request,
        target=invitation,
        metadata={"email": email, "role": role},
    )
    inviter_email = getattr(invited_by, "email", "") or ""
    transaction.on_commit(
        lambda: _send_invitation_email(invitation=invitation, token=token, inviter_email=inviter_email), robust=True
    )
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_revoke(*, partner: Partner, public_id: str, actor: Any, request: Any = None) -> Invitation:
    """Withdraw an open invitation of ``partner``; its link stops working. Another partner's invitation id
    raises ``NotFound``; an accepted or already revoked one ``InvitationClosed``."""
    if not can(Membership.objects.filter(partner=partner, user=actor).first(), "manage_members"):
        raise NotPermitted()
    invitation = Invitation.objects.select_for_update().filter(partner=partner, public_id=public_id).first()
    if invitation is None:
        raise NotFound("No such invitation.")
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationClosed()
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        action="invitation.revoked",
        partner=partner,
        actor=actor,
        request=request,
        target=invitation,
        metadata={"email": invitation.email, "role": invitation.role},
    )
    return invitation


def _accept(*, invitation_id: int, user: Any, request: Any) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("partner").get(pk=invitation_id)
    # Re-checked under the lock: a concurrent accept or revoke wins exactly once.
    check_usable(invitation, now=clock.now())
    if not email_matches(user, invitation.email):
        raise WrongAccount()
    if Membership.objects.filter(partner=invitation.partner, user=user).exists():
        raise AlreadyMember()
    membership = Membership.objects.create(partner=invitation.partner, user=user, role=invitation.role)
    invitation.accepted_at = clock.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit.record(
        action="member.joined",
        partner=invitation.partner,
        actor=user,
        request=request,
        target=membership,
        metadata={"email": invitation.email, "role": invitation.role, "invitation": invitation.public_id},
    )
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: Any, request: Any = None) -> Membership:
    """Accept the invitation behind ``token`` as ``user``, who must own the invited address (account e-mail or
    a verified address, case-insensitive): the user becomes a member with the invited role.

    Raises ``InvitationUnusable`` and its subclasses, ``WrongAccount`` (403) or ``AlreadyMember``.
    """
    invitation = invitation_get_by_token(token=token)
    return _accept(invitation_id=invitation.pk, user=user, request=request)


@transaction.atomic
def invitation_accept_with_signup(*, token: str, password: str, request: Any = None) -> Membership:
    """Create an account for the invited address and accept the invitation with it, in one transaction.

    The new user's username and e-mail are the invited address (lower-cased) and the address is recorded as
    verified and primary: following the e-mailed link proved it. ``password`` must already have passed
    Django's password validators. Raises ``AccountExists`` when the address has an account (log in instead)
    and whatever ``invitation_accept`` raises.
    """
    invitation = invitation_get_by_token(token=token)
    email = normalise_email(invitation.email)
    if account_for_email(email) is not None:
        raise AccountExists()
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=email[:150], email=email, password=password)
    except IntegrityError as exc:
        raise AccountExists() from exc
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return _accept(invitation_id=invitation.pk, user=user, request=request)


# --- Members ------------------------------------------------------------------------------------------------


@transaction.atomic
def member_role_change(*, partner: Partner, public_id: str, role: str, actor: Any, request: Any = None) -> Membership:
    """Give a member of ``partner`` another role.

    Owners and admins only; an admin cannot change an owner's role nor make anyone owner (``NotPermitted``).
    The last owner cannot be demoted (``LastOwner``). Another partner's member id raises ``NotFound``;
    an unknown role ``InvalidRole``. Changing to the current role is a no-op (nothing is recorded).
    """
    if role not in Membership.Role.values:
        raise InvalidRole("Choose owner, admin, developer or viewer.")
    memberships = _locked_memberships(partner)
    target = _find(memberships, public_id=public_id)
    acting = _actor_membership(memberships, actor)
    if not can(acting, "manage_members"):
        raise NotPermitted()
    if acting.role != OWNER and (target.role == OWNER or role == OWNER):
        raise NotPermitted("Only an owner can change an owner's role or make someone owner.")
    if target.role == role:
        return target
    if target.role == OWNER and _owner_count(memberships) == 1:
        raise LastOwner("The last owner cannot be demoted: transfer ownership first.")
    previous = target.role
    target.role = role
    target.save(update_fields=["role", "updated_at"])
    audit.record(
        action="member.role_changed",
        partner=partner,
        actor=actor,
        request=request,
        target=target,
        metadata={"email": target.user.email, "from": previous, "to": role},
    )
    return target


@transaction.atomic
def member_remove(*, partner: Partner, public_id: str, actor: Any, request: Any = None) -> None:
    """Remove a member from ``partner``; they lose access to the team at once.

    Owners and admins only; admins cannot remove an owner (``NotPermitted``); the last owner is never removed
    (``LastOwner``); members remove themselves by leaving (``UseLeave``). Another partner's member id raises
    ``NotFound``.
    """
    memberships = _locked_memberships(partner)
    target = _find(memberships, public_id=public_id)
    acting = _actor_membership(memberships, actor)
    if not can(acting, "manage_members"):
        raise NotPermitted()
    if target.pk == acting.pk:
        raise UseLeave()
    if target.role == OWNER and acting.role != OWNER:
        raise NotPermitted("Only an owner can remove an owner.")
    if target.role == OWNER and _owner_count(memberships) == 1:
        raise LastOwner()
    audit.record(
        action="member.removed",
        partner=partner,
        actor=actor,
        request=request,
        target=target,
        metadata={"email": target.user.email, "role": target.role},
    )
    target.delete()


@transaction.atomic
def member_leave(*, partner: Partner, user: Any, request: Any = None) -> None:
    """``user`` leaves ``partner``. Any member may leave except the last owner (``LastOwner``)."""
    memberships = _locked_memberships(partner)
    own = _actor_membership(memberships, user)
    if own.role == OWNER and _owner_count(memberships) == 1:
        raise LastOwner("You are the last owner: transfer ownership to another member before leaving.")
    audit.record(
        action="member.left",
        partner=partner,
        actor=user,
        request=request,
        target=own,
        metadata={"email": user.email, "role": own.role},
    )
    own.delete()


@transaction.atomic
def ownership_transfer(*, partner: Partner, public_id: str, actor: Any, request: Any = None) -> Membership:
    """The owner ``actor`` hands ownership to another member: the member becomes owner and ``actor`` becomes
    admin, in one transaction over locked memberships, so the team always has an owner.

    Raises ``NotPermitted`` unless ``actor`` is an owner, ``NotFound`` for another partner's member id,
    ``TransferToSelf`` and ``AlreadyOwner`` when the member already is one.
    """
    memberships = _locked_memberships(partner)
    target = _find(memberships, public_id=public_id)
    acting = _actor_membership(memberships, actor)
    if not can(acting, "transfer_ownership"):
        raise NotPermitted("Only an owner can transfer ownership.")
    if target.pk == acting.pk:
        raise TransferToSelf()
    if target.role == OWNER:
        raise AlreadyOwner()
    previous = target.role
    target.role = OWNER
    target.save(update_fields=["role", "updated_at"])
    acting.role = ADMIN
    acting.save(update_fields=["role", "updated_at"])
    audit.record(
        action="ownership.transferred",
        partner=partner,
        actor=actor,
        request=request,
        target=target,
        metadata={"from": actor.email, "to": target.user.email, "previous_role": previous},
    )
    return target
