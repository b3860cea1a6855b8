"""Recording events. ``record`` is called by the service that makes a change, inside its transaction."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Max

from apps.core.principal import Principal
from apps.events.models import Event

RecordHook = Callable[[Event], None]
_record_hooks: list[RecordHook] = []


def add_record_hook(hook: RecordHook) -> None:
    """Run ``hook(event)`` after every ``record``, inside the writer's transaction.

    This is how layers above the outbox (webhooks) attach work to an event without the outbox importing them:
    the hook writes its own rows in the same transaction, so they commit (or roll back) with the event.
    """
    if hook not in _record_hooks:
        _record_hooks.append(hook)


class EventOutsideTransaction(RuntimeError):
    """``record`` was called outside a transaction: the event could commit without its change (or vice versa)."""


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
    of one object hold its row lock; the unique constraint catches any writer that does not.
    """
    if not connection.in_atomic_block:
        raise EventOutsideTransaction(f"events.record({type!r}) must be called inside the writer's transaction")
    partner = partner if partner is not None else (principal.partner if principal else None)
    if partner is None:
        raise ValueError("record() needs partner= or principal=")
    object_id = obj.public_id
    last = Event.objects.filter(environment=environment, object_id=object_id).aggregate(m=Max("sequence"))["m"]
    event = Event.objects.create(
        partner=partner,
        environment=environment,
        type=type,
        api_version=partner.api_version,
        object_type=obj.object_name,
        object_id=object_id,
        sequence=(last or 0) + 1,
        data={"object": data if data is not None else _snapshot(obj), "previous_attributes": previous_attributes or {}},
    )
    for hook in _record_hooks:
        hook(event)
    return event
