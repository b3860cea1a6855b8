"""The one writer of a consent's status. Every move goes through ``consent_transition``: it checks the move
against ``TRANSITIONS``, sets the status and the time fields that go with it, and appends the
``ConsentStatusChange``. Callers lock the consent row first (``consent_locked``) and record their event in the
same transaction (``consent_event``)."""

from datetime import datetime
from typing import Any

from apps.core.errors import InvalidStateTransition
from apps.events import services as events
from apps.oauth_clients.models import Consent, ConsentStatusChange
from apps.oauth_clients.snapshots import consent_snapshot

S = Consent.Status

# The whole list of legal moves. A consent nobody answered may lapse (``expired``) as an authorized one does.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.AWAITING_AUTHORIZATION: frozenset({S.AUTHORIZED, S.REJECTED, S.EXPIRED}),
    S.AUTHORIZED: frozenset({S.REVOKED, S.EXPIRED}),
    S.REJECTED: frozenset(),
    S.REVOKED: frozenset(),
    S.EXPIRED: frozenset(),
}

ACTORS = frozenset({"holder", "partner", "bank", "system"})


def consent_locked(consent: Consent) -> Consent:
    """A fresh copy of ``consent``, its row locked until the transaction ends."""
    return (
        Consent.objects.select_for_update(of=("self",))
        .select_related("environment", "application", "holder")
        .get(pk=consent.pk)
    )


def consent_transition(
    consent: Consent, to: str, *, reason: str = "", actor: str, now: datetime
) -> ConsentStatusChange:
    """Move ``consent`` (locked by the caller, inside its transaction) to ``to`` and append the history row.

    Sets ``authorized_at`` on ``authorized`` and ``revoked_at``/``revoked_by`` on ``revoked``. Raises
    ``InvalidStateTransition`` (409, nothing written) when ``TRANSITIONS`` has no such move, and ``ValueError``
    for an unknown ``actor`` (a programming error)."""
    if actor not in ACTORS:
        raise ValueError(f"Unknown consent actor {actor!r}")
    previous = consent.status
    if to not in TRANSITIONS.get(previous, frozenset()):
        raise InvalidStateTransition(f"Consent {consent.public_id} is {previous}; it cannot become {to}.")
    consent.status = to
    fields = ["status", "updated_at"]
    if to == S.AUTHORIZED:
        consent.authorized_at = now
        fields.append("authorized_at")
    elif to == S.REVOKED:
        consent.revoked_at = now
        consent.revoked_by = actor
        fields += ["revoked_at", "revoked_by"]
    consent.save(update_fields=fields)
    return ConsentStatusChange.objects.create(
        consent=consent, previous_status=previous, status=to, reason=reason, actor=actor, at=now
    )


def consent_event(consent: Consent, type: str, *, previous_attributes: dict[str, Any] | None = None) -> None:
    """Record ``type`` (``consent.*``) for ``consent`` in the caller's transaction; ``data.object`` is the
    consent's snapshot."""
    events.record(
        type=type,
        environment=consent.environment,
        obj=consent,
        partner=consent.partner,
        data=consent_snapshot(consent),
        previous_attributes=previous_attributes,
    )
