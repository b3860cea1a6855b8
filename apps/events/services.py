"""Recording events. ``record`` is called by the service that makes a change, inside its transaction.

A writer that records several events in one transaction (a transfer records its own and the ledger's) can
wrap them in ``batch()``: the events are then written in two queries when the block ends, still inside the
transaction, instead of two per event.

Layers above the outbox (webhooks) attach work to new events with ``add_record_hook``, without the outbox
importing them."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection

from apps.core import sql
from apps.core.deferred import Computed
from apps.core.principal import Principal
from apps.events.models import Event

RecordHook = Callable[[list[Event]], None]
_record_hooks: list[RecordHook] = []


def add_record_hook(hook: RecordHook) -> None:
    """Run ``hook(events)`` with the events just written, inside the writer's transaction: once per write (a
    single ``record``, or a whole ``batch()``), so a hook can do its work for many events in one go. The hook
    writes its own rows in the same transaction, so they commit (or roll back) with the events."""
    if hook not in _record_hooks:
        _record_hooks.append(hook)


class EventOutsideTransaction(RuntimeError):
    """``record`` was called outside a transaction: the event could commit without its change (or vice versa)."""


# The events of the innermost open ``batch()``, in recording order; None outside any batch.
_pending: ContextVar[list[Event] | None] = ContextVar("events_pending", default=None)


def _snapshot(obj: Any) -> dict[str, Any]:
    to_event_data = getattr(obj, "event_data", None)
    if callable(to_event_data):
        return to_event_data()
    raise TypeError(f"{type(obj).__name__} has no event_data(); pass data= explicitly")


def record(
    *,
    type: str,
    environment: Any,
    obj: Any,
    principal: Principal | None = None,
    partner: Any = None,
    data: dict[str, Any] | None = None,
    previous_attributes: dict[str, Any] | None = None,
) -> Event:
    """Write the outbox row for ``type`` happening to ``obj``.

    ``obj`` needs ``public_id`` and ``object_name``; its snapshot is ``data`` or ``obj.event_data()``.
    The partner comes from ``partner`` or the ``principal``. Must run inside the caller's transaction
    (raises ``EventOutsideTransaction`` otherwise). The per-object ``sequence`` is safe because writers
    of one object hold its row lock; the unique constraint catches any writer that does not. Inside
    ``batch()`` the returned event is saved (and numbered) when the batch ends.
    """
    if not connection.in_atomic_block:
        raise EventOutsideTransaction(f"events.record({type!r}) must be called inside the writer's transaction")
    partner = partner if partner is not None else (principal.partner if principal else None)
    if partner is None:
        raise ValueError("record() needs partner= or principal=")
    event = sql.new(
        Event,
        partner=partner,
        environment=environment,
        type=type,
        api_version=partner.api_version,
        object_type=obj.object_name,
        object_id=obj.public_id,
        data={"object": data if data is not None else _snapshot(obj), "previous_attributes": previous_attributes or {}},
    )
    pending = _pending.get()
    if pending is not None:
        pending.append(event)
        return event
    _write([event])
    return event


@contextmanager
def batch() -> Iterator[None]:
    """Hold the events recorded inside the block and write them together when it ends. Must be entered inside
    the writer's transaction (or savepoint) and left before it ends. Nested batches hand their events to the
    enclosing one; a block that raises discards its events, as the rolled-back change they describe."""
    if not connection.in_atomic_block:
        raise EventOutsideTransaction("events.batch() must be used inside the writer's transaction")
    outer = _pending.get()
    events: list[Event] = []
    token = _pending.set(events)
    try:
        yield
    finally:
        _pending.reset(token)
    if outer is not None:
        outer.extend(events)
    elif events:
        _write(events)


# Every posting and transfer numbers its events with the SQL below, written out once instead of compiled by the
# ORM for each write: on this path the compiling cost more than the queries. Identifiers are double-quoted (both
# databases' quoting) and only placeholders are filled in: values are always parameters.
_TABLE = f'"{Event._meta.db_table}"'
# An object's last sequence: the last entry of its (environment, object) prefix of the unique index, read
# backwards with a LIMIT. (A GROUP BY over an IN list read every event of each object; so did a MAX whenever the
# planner's statistics put one row per object: a busy wallet's thousands of balance updates, inside the
# posting's locks.) ``environment`` and ``object`` are placeholders, or the columns of the row being numbered.
_LAST_SEQUENCE = (
    '(SELECT e."sequence" FROM {table} e WHERE e."environment_id" = {environment} AND e."object_id" = {object} '
    'ORDER BY e."sequence" DESC LIMIT 1)'
)
_LAST_SEQUENCE_SQL = _LAST_SEQUENCE.format(table=_TABLE, environment="%s", object="%s")
# PostgreSQL: each row is numbered by the insert itself: its object's last sequence plus its place among the
# write's events of that object (``nth``). The statement does not see the rows it inserts, so the numbering is
# as if each object's events were written one after another. (The rows arrive as one JSON document, with the
# transaction's other writes when they are deferred: apps.core.deferred.)
_NEXT_SEQUENCE = (
    "COALESCE("
    + _LAST_SEQUENCE.format(table=_TABLE, environment='r."environment_id"', object='r."object_id"')
    + ', 0) + r."nth"'
)


def _last_sequences(environment_id: int, object_ids: list[str]) -> dict[tuple[int, str], int]:
    statement = "SELECT " + ", ".join([_LAST_SEQUENCE_SQL] * len(object_ids))
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for object_id in object_ids for value in (environment_id, object_id)])
        row = cursor.fetchone()
    return {
        (environment_id, object_id): sequence
        for object_id, sequence in zip(object_ids, row, strict=True)
        if sequence is not None
    }


def _insert_numbered(events: list[Event]) -> None:
    """PostgreSQL: number and insert ``events`` in one statement (or with the transaction's deferred writes)."""
    seen: dict[tuple[int, str], int] = {}
    nth = []
    for event in events:
        key = (event.environment_id, event.object_id)
        seen[key] = seen.get(key, 0) + 1
        nth.append({"nth": seen[key]})
    sql.insert(events, computed=Computed("sequence", _NEXT_SEQUENCE, (("nth", "integer"),), nth))


def _write(events: list[Event]) -> None:
    """Number the events per object (after the last stored sequence) and insert them: in one statement on
    PostgreSQL, after one query for the last sequences elsewhere."""
    if connection.vendor == "postgresql":
        _insert_numbered(events)
    else:
        _number(events)
        sql.insert(events)
    for hook in _record_hooks:
        hook(events)


def _number(events: list[Event]) -> None:
    by_environment: dict[int, set[str]] = {}
    for event in events:
        by_environment.setdefault(event.environment_id, set()).add(event.object_id)
    last: dict[tuple[int, str], int] = {}
    for environment_id, object_ids in by_environment.items():
        last.update(_last_sequences(environment_id, sorted(object_ids)))
    for event in events:
        key = (event.environment_id, event.object_id)
        last[key] = last.get(key, 0) + 1
        event.sequence = last[key]
