"""An authorized consent's end: revoked (by the holder, the partner or the bank) or expired, and the
``consent.expiring`` notice a week before.

Each service locks the consent's row (``lifecycle.consent_locked``), moves its status through
``lifecycle.consent_transition`` (which writes the history row), and in the same transaction revokes what was
issued under it and records its event, whose ``data.object`` is the consent (``snapshots.consent_snapshot``).
A payment under the consent locks the same row (``payments.payment_authorise``), so a revocation and a payment are
one after the other: none goes through once the revocation has committed. Revoking the tokens is belt and braces:
the bearer authentication refuses a token whose consent is no longer ``authorized`` on its very next request.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from apps.core import clock
from apps.oauth_clients.models import AccessToken, Consent, Grant, RefreshToken
from apps.oauth_clients.services.lifecycle import consent_event, consent_locked, consent_transition

S = Consent.Status
REVOKERS = frozenset({"holder", "partner", "bank"})
# consent.expiring is recorded once, this long before a consent expires.
EXPIRING_WINDOW = timedelta(days=7)


def _revoke_issued(consent: Consent, now: datetime) -> int:
    """Revoke everything issued under ``consent``: its access tokens are deleted (as DOT revokes them), its
    refresh tokens marked revoked, its unused authorization codes deleted. Returns how many tokens went."""
    access, _ = AccessToken.objects.filter(consent=consent).delete()
    refreshed = RefreshToken.objects.filter(consent=consent, revoked__isnull=True).update(revoked=now)
    Grant.objects.filter(consent=consent).delete()
    return access + refreshed


def _end(consent: Consent, to: str, *, actor: str, reason: str, event: str) -> Consent:
    now = clock.now(environment=consent.environment)
    previous: dict[str, Any] = {"status": consent.status}
    consent_transition(consent, to, reason=reason, actor=actor, now=now)
    _revoke_issued(consent, now)
    if to == S.REVOKED:
        previous.update(revoked_at=None, revoked_by=None)
    consent_event(consent, event, previous_attributes=previous)
    return consent


@transaction.atomic
def consent_revoke(*, consent: Consent, actor: str, reason: str = "") -> Consent:
    """Revoke an ``authorized`` consent for ``actor`` (``holder``, ``partner`` or ``bank``): ``revoked`` with
    ``revoked_at``/``revoked_by``, every access and refresh token and code issued under it revoked, and the
    ``consent.revoked`` event, in one transaction. Raises ``InvalidStateTransition`` (409, nothing written) when
    the consent is not ``authorized``, and ``ValueError`` for another actor (a programming error)."""
    if actor not in REVOKERS:
        raise ValueError(f"A consent is revoked by the holder, the partner or the bank, not {actor!r}")
    locked = consent_locked(consent)
    return _end(locked, S.REVOKED, actor=actor, reason=reason or f"{actor}_revoked", event="consent.revoked")


@transaction.atomic
def consent_expire(*, consent_id: int) -> bool:
    """Expire one consent whose ``expires_at`` has passed on its environment's clock: ``expired``, its tokens
    revoked, ``consent.expired``. False (nothing written) when it no longer qualifies (revoked, expired already,
    or not due): running twice, or two runs at once, expire it once. An unanswered consent lapses the same way."""
    consent = Consent.objects.filter(pk=consent_id, status__in=(S.AUTHORIZED, S.AWAITING_AUTHORIZATION)).first()
    if consent is None:
        return False
    locked = consent_locked(consent)
    if locked.status not in (S.AUTHORIZED, S.AWAITING_AUTHORIZATION):
        return False
    if clock.now(environment=locked.environment) < locked.expires_at:
        return False
    _end(locked, S.EXPIRED, actor="system", reason="expired", event="consent.expired")
    return True


@transaction.atomic
def consent_notify_expiring(*, consent_id: int) -> bool:
    """Record ``consent.expiring`` for one ``authorized`` consent that expires within ``EXPIRING_WINDOW`` on its
    environment's clock, once (``expiring_notified_at``). False when it no longer qualifies or was notified."""
    consent = Consent.objects.filter(pk=consent_id, status=S.AUTHORIZED, expiring_notified_at__isnull=True).first()
    if consent is None:
        return False
    locked = consent_locked(consent)
    now = clock.now(environment=locked.environment)
    if locked.status != S.AUTHORIZED or locked.expiring_notified_at is not None:
        return False
    if not now < locked.expires_at <= now + EXPIRING_WINDOW:
        return False
    locked.expiring_notified_at = now
    locked.save(update_fields=["expiring_notified_at", "updated_at"])
    consent_event(locked, "consent.expiring")
    return True
