"""Reads of the event feed. Every read takes the principal: other partners' and environments' events do not exist."""

from django.db.models import QuerySet

from apps.core.errors import NotFound
from apps.core.principal import Principal
from apps.events.models import Event


def event_list(*, principal: Principal, types: list[str] | None = None) -> QuerySet[Event]:
    events = Event.objects.filter(partner=principal.partner, environment=principal.environment)
    if types:
        events = events.filter(type__in=types)
    return events


def event_get(*, principal: Principal, event_id: str) -> Event:
    event = event_list(principal=principal).filter(public_id=event_id).first()
    if event is None:
        raise NotFound(f"No such event: {event_id!r}.")
    return event
