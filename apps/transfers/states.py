"""The transfer state machine: the legal moves (``TRANSITIONS``), the event each status announces
(``EVENTS``), and ``Change``, which checks each move and writes the history rows and events at the end of the
service's transaction.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from apps.core import store
from apps.core.errors import InvalidStateTransition
from apps.core.metrics import TRANSFER_STATUSES
from apps.core.principal import Principal
from apps.events.models import Event
from apps.events.services import build as build_event
from apps.risk.selectors import PartyHit
from apps.transfers.models import Transfer, TransferStatusChange
from apps.transfers.snapshots import transfer_snapshot
from apps.wallets.store import Posting, post

S = Transfer.Status
T = Transfer.Type

# The only moves a transfer's status can make. p2p and FX settle at once (pending -> succeeded in one
# transaction); top-ups and payouts go through the rail (pending -> processing -> succeeded | failed).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.PROCESSING, S.HELD, S.SUCCEEDED, S.FAILED, S.CANCELED}),
    S.HELD: frozenset({S.PENDING, S.FAILED, S.CANCELED}),
    S.PROCESSING: frozenset({S.SUCCEEDED, S.FAILED}),
    S.SUCCEEDED: frozenset({S.REVERSED}),
}
EVENTS: dict[str, str] = {
    S.HELD: "transfer.held",
    S.SUCCEEDED: "transfer.succeeded",
    S.FAILED: "transfer.failed",
    S.CANCELED: "transfer.canceled",
    S.REVERSED: "transfer.reversed",
}
# Sandbox rail triggers: a funding source whose last four digits are these fails at the rail.


@dataclass
class Change:
    """State changes collected while a service runs; written (history rows, events) at the end."""

    transfer: Transfer
    actor: str
    now: datetime
    steps: list[TransferStatusChange] = field(default_factory=list)
    # The journal the change posts, built and written with the rest (transfer creation).
    posting: Posting | None = None
    # Other rows' changes written with it (a payment mandate's use).
    updates: list[store.Update | store.Increment] = field(default_factory=list)
    # Sanctions screening hits that hold the transfer, recorded with it (apps.risk).
    screening: list[PartyHit] = field(default_factory=list)

    def to(self, status: str, *, reason: str = "") -> None:
        current = self.transfer.status
        if status not in TRANSITIONS.get(current, frozenset()):
            raise InvalidStateTransition(
                f"Transfer {self.transfer.public_id or ''} is {current}; it cannot become {status}."
            )
        self.steps.append(
            store.new(
                TransferStatusChange,
                previous_status=current,
                status=status,
                reason=reason,
                actor=self.actor,
                at=self.now,
            )
        )
        self.transfer.status = status
        # Counted for /metrics only if the service's transaction commits (a rolled-back move never happened).
        transaction.on_commit(_counter(self.transfer.type, status).inc)

    def write(self, *, created: bool = False, previous: dict[str, Any] | None = None) -> None:
        """Write the history rows and the events (``events``) now."""
        post(rows=[self.history()], events_=self.events(created=created, previous=previous))

    def history(self) -> list[TransferStatusChange]:
        """The history rows, unwritten, pointing at the transfer."""
        for step in self.steps:
            step.transfer = self.transfer
        return self.steps

    def events(self, *, created: bool = False, previous: dict[str, Any] | None = None) -> list[Event]:
        """The events, unwritten: ``transfer.created`` (as created, ``pending``) when ``created``, then one per
        step that has one."""
        transfer = self.transfer
        env = transfer.environment
        built = []
        if created:
            built.append(
                build_event(
                    type="transfer.created",
                    partner=transfer.partner,
                    environment=env,
                    obj=transfer,
                    data=transfer_snapshot(transfer, status=S.PENDING),
                )
            )
        snapshot = transfer_snapshot(transfer)
        last = len(self.steps) - 1
        # The status a receiver last heard of: steps without an event (pending, processing) are not announced, so
        # a released transfer's transfer.succeeded follows transfer.held with previous status "held".
        announced = self.steps[0].previous_status if self.steps else transfer.status
        for index, step in enumerate(self.steps):
            event_type = EVENTS.get(step.status)
            if event_type is None:
                continue
            # Each event shows the transfer as the whole transaction left it.
            previous_attributes = {"status": announced or S.PENDING, **((previous or {}) if index == last else {})}
            announced = step.status
            built.append(
                build_event(
                    type=event_type,
                    partner=transfer.partner,
                    environment=env,
                    obj=transfer,
                    data=snapshot,
                    previous_attributes=previous_attributes,
                )
            )
        return built


_counters: dict[tuple[str, str], Any] = {}


def _counter(kind: str, status: str) -> Any:
    """The ``causeway_transfer_statuses_total`` child for a type and status (``labels()`` locks on every call)."""
    counter = _counters.get((kind, status))
    if counter is None:
        counter = _counters[(kind, status)] = TRANSFER_STATUSES.labels(kind, status)
    return counter


def principal_actor(principal: Principal) -> str:
    return f"{principal.credential_type}:{principal.credential_id}"


def staff_actor(user: Any) -> str:
    return f"staff:{getattr(user, 'email', '') or getattr(user, 'username', '') or user.pk}"


def finish(change: Change, *, previous: dict[str, Any] | None = None) -> Transfer:
    transfer = change.transfer
    transfer.save()
    change.write(previous=previous)
    return transfer
