"""Fan-out, in the writer's transaction: ``fan_out`` runs as an ``events.record`` hook and writes one
``WebhookDelivery`` per enabled endpoint that subscribes to the event, with the event, so a delivery exists if and
only if its event committed. The new ids are enqueued once the transaction commits (``delivery.enqueue``).

A writer that locks rows first (a transfer) reads the endpoints before its locks (``endpoints_read_ahead``, entered
through ``apps.events.services.reads_ahead``): its events go to the endpoints enabled when it began."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import transaction

from apps.core import store
from apps.events.models import Event
from apps.events.types import TEST_EVENT_TYPE
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint, subscribes
from apps.webhooks.services import delivery as deliveries


def fan_out(events: list[Event]) -> None:
    """``events.record`` hook: owe each of ``events`` (one write's worth: a ``record`` or a whole batch) to every
    enabled endpoint of its environment that subscribes to it. One endpoint query per environment and one insert,
    however many events the write recorded."""
    # Test events go to the one endpoint that asked for them, sent by the service that recorded them.
    if _by_caller.get():
        return
    owed = [event for event in events if event.type != TEST_EVENT_TYPE]
    for environment_id in sorted({event.environment_id for event in owed}):
        ahead = _ahead.get()
        _owe(
            [event for event in owed if event.environment_id == environment_id],
            ahead[1] if ahead is not None and ahead[0] == environment_id else _endpoints(environment_id),
        )


# True inside ``sent_by_caller``: the events recorded there are owed to no endpoint by subscription.
_by_caller: ContextVar[bool] = ContextVar("webhook_sent_by_caller", default=False)


@contextmanager
def sent_by_caller() -> Iterator[None]:
    """Events recorded inside the block are sent by the caller to the endpoints it chooses (a test event of a
    catalogue type goes to the one endpoint that asked), never fanned out to the subscribed endpoints."""
    token = _by_caller.set(True)
    try:
        yield
    finally:
        _by_caller.reset(token)


# The endpoints read by the innermost ``endpoints_read_ahead`` block: (environment id, rows).
_ahead: ContextVar[tuple[int, list[list[Any]]] | None] = ContextVar("webhook_endpoints_ahead", default=None)


@contextmanager
def endpoints_read_ahead(environment_id: int) -> Iterator[None]:
    """Read the enabled endpoints of ``environment_id`` now; ``fan_out`` uses them for that environment's events
    written inside the block (``apps.events.services.reads_ahead``)."""
    token = _ahead.set((environment_id, _endpoints(environment_id)))
    try:
        yield
    finally:
        _ahead.reset(token)


def _endpoints(environment_id: int) -> list[list[Any]]:
    return store.run(_endpoints_query(), [environment_id])


@lru_cache(maxsize=1)
def _endpoints_query() -> store.Compiled:
    """The enabled endpoints of an environment (key, enabled events): on every money movement's path, so compiled
    once (apps.core.store.compile)."""
    environment = -(10**15)
    enabled = WebhookEndpoint.objects.filter(environment_id=environment, disabled_at__isnull=True)
    return store.compile(enabled.values_list("id", "enabled_events"), [environment])


def _owe(events: list[Event], endpoints: list[list[Any]]) -> None:
    """Create the deliveries of ``events`` (one environment's) to those of ``endpoints`` (key, enabled events)
    that subscribe to them, and enqueue them once the transaction commits."""
    deliveries = [
        WebhookDelivery(event=event, endpoint_id=pk, next_attempt_at=event.created_at)
        for event in events
        for pk, enabled in endpoints
        if subscribes(enabled, event.type)
    ]
    if not deliveries:
        return
    created = WebhookDelivery.objects.bulk_create(deliveries)
    enqueue_on_commit([delivery.pk for delivery in created])


@dataclass
class _PendingEnqueue:
    ids: list[int] = field(default_factory=list)

    def flush(self) -> None:
        deliveries.enqueue(self.ids)


def enqueue_on_commit(ids: Iterable[int]) -> None:
    """Enqueue ``ids`` once the current transaction commits: one task per transaction, however many events it
    recorded (the per-connection collector is reused only while its callback is still registered, so a rolled
    back transaction never swallows the next one's ids)."""
    ids = list(ids)
    if not ids:
        return
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        deliveries.enqueue(ids)
        return
    pending: _PendingEnqueue | None = getattr(conn, "_webhook_pending_enqueue", None)
    if pending is not None and any(callback[1] == pending.flush for callback in conn.run_on_commit):
        pending.ids.extend(ids)
        return
    pending = _PendingEnqueue(ids=ids)
    conn._webhook_pending_enqueue = pending
    transaction.on_commit(pending.flush)
