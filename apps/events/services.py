"""Recording events. ``record`` is called by the service that makes a change, inside its transaction.

A writer that records several events in one transaction can wrap them in ``batch()``: the events are then
written in one statement when the block ends, still inside the transaction. The ledger store builds its events
with ``build`` and writes them with its other rows (``insert_of``, then ``written``).

Layers above the outbox (webhooks) attach work to new events with ``add_record_hook``, without the outbox
importing them; a hook that reads before it writes can also do that read ahead of a writer's locks
(``reads_ahead``)."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection

from apps.core import store, versioning
from apps.core.principal import Principal
from apps.events.models import Event

RecordHook = Callable[[list[Event]], None]
ReadAhead = Callable[[int], AbstractContextManager[None]]
_record_hooks: list[RecordHook] = []
_read_aheads: list[ReadAhead] = []


def add_record_hook(hook: RecordHook, *, read_ahead: ReadAhead | None = None) -> None:
    """Run ``hook(events)`` with the events just written, inside the writer's transaction: once per write (a
    single ``record``, or a whole ``batch()``), so a hook can do its work for many events in one go. The hook
    writes its own rows in the same transaction, so they commit (or roll back) with the events.

    ``read_ahead(environment_id)``, if given, is entered by ``reads_ahead``: a context manager that does the
    hook's reads for that environment's events now and lets the hook use them for the writes inside it."""
    if hook not in _record_hooks:
        _record_hooks.append(hook)
    if read_ahead is not None and read_ahead not in _read_aheads:
        _read_aheads.append(read_ahead)


@contextmanager
def reads_ahead(*, environment_id: int) -> Iterator[None]:
    """For a writer about to lock rows it keeps locked until its events are written and committed (a transfer's
    wallets): the record hooks read now what they would read when the events of ``environment_id`` are written
    inside the block (the webhooks' enabled endpoints), so that no other writer waits on those reads. Inside the
    writer's transaction, before its first lock; what the hooks then act on is what was there when the writer
    began, as for the rest of what it reads before its locks."""
    with ExitStack() as stack:
        for read_ahead in _read_aheads:
            stack.enter_context(read_ahead(environment_id))
        yield


class EventOutsideTransaction(RuntimeError):
    """``record`` was called outside a transaction: the event could commit without its change (or vice versa)."""


# The events of the innermost open ``batch()``, in recording order; None outside any batch.
_pending: ContextVar[list[Event] | None] = ContextVar("events_pending", default=None)


def _snapshot(obj: Any) -> dict[str, Any]:
    to_event_data = getattr(obj, "event_data", None)
    if callable(to_event_data):
        return to_event_data()
    raise TypeError(f"{type(obj).__name__} has no event_data(); pass data= explicitly")


def build(
    *,
    type: str,
    environment: Any,
    obj: Any,
    principal: Principal | None = None,
    partner: Any = None,
    data: dict[str, Any] | None = None,
    previous_attributes: dict[str, Any] | None = None,
) -> Event:
    """The outbox row for ``type`` happening to ``obj``, unsaved (``record`` writes it).

    ``obj`` needs ``public_id`` and ``object_name``; its snapshot is ``data`` or ``obj.event_data()``.
    The partner comes from ``partner`` or the ``principal``."""
    partner = partner if partner is not None else (principal.partner if principal else None)
    if partner is None:
        raise ValueError("record() needs partner= or principal=")
    return store.new(
        Event,
        partner=partner,
        environment=environment,
        type=type,
        api_version=versioning.LATEST,  # the shape of data: always the latest (docs/versioning.md)
        object_type=obj.object_name,
        object_id=obj.public_id,
        data={"object": data if data is not None else _snapshot(obj), "previous_attributes": previous_attributes or {}},
    )


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
    """Write the outbox row for ``type`` happening to ``obj`` (see ``build``).

    Must run inside the caller's transaction (raises ``EventOutsideTransaction`` otherwise). The per-object
    ``sequence`` is safe because writers of one object hold its row lock; the unique constraint catches any
    writer that does not. Inside ``batch()`` the returned event is saved (and numbered) when the batch ends.
    """
    if not connection.in_atomic_block:
        raise EventOutsideTransaction(f"events.record({type!r}) must be called inside the writer's transaction")
    event = build(
        type=type,
        environment=environment,
        obj=obj,
        principal=principal,
        partner=partner,
        data=data,
        previous_attributes=previous_attributes,
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


# An event's ``sequence`` counts the events of its object (environment, object id), numbered by the insert itself.
_NUMBERED = store.Numbered("sequence", ("environment", "object_id"))


def insert_of(events: list[Event]) -> store.Insert:
    """How ``events`` (unsaved, built by ``build``) are written: for a writer that sends them with its own rows
    in one ``apps.core.store.write``, and then calls ``written(events)``."""
    return store.Insert(events, numbered=_NUMBERED)


def hand_to_batch(events: list[Event]) -> bool:
    """Give ``events`` to the open ``batch()``, which writes them with its own when it ends; False when no batch
    is open (the caller writes them)."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.extend(events)
    return True


def written(events: list[Event]) -> None:
    """Run the record hooks for ``events``, just written in the writer's transaction."""
    if events:
        for hook in _record_hooks:
            hook(events)


def _write(events: list[Event]) -> None:
    store.write(insert_of(events))
    written(events)
