"""Reads of the event feed. Every read takes the principal: other partners' and environments' events do not exist.

Events are kept ``EVENT_RETENTION_DAYS`` (30): older ones are gone from the feed at once, and beat deletes them.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from apps.core import clock
from apps.core.errors import NotFound
from apps.core.principal import Principal
from apps.events.models import Event


def retention_cutoff() -> datetime:
    """Events created before this are past retention."""
    return clock.now() - timedelta(days=settings.EVENT_RETENTION_DAYS)


def event_list(
    *,
    principal: Principal,
    types: list[str] | None = None,
    created_gte: datetime | None = None,
    created_lt: datetime | None = None,
) -> QuerySet[Event]:
    events = Event.objects.filter(
        partner=principal.partner, environment=principal.environment, created_at__gte=retention_cutoff()
    )
    if types:
        events = events.filter(type__in=types)
    if created_gte is not None:
        events = events.filter(created_at__gte=created_gte)
    if created_lt is not None:
        events = events.filter(created_at__lt=created_lt)
    return events


def event_get(*, principal: Principal, event_id: str) -> Event:
    event = event_list(principal=principal).filter(public_id=event_id).first()
    if event is None:
        raise NotFound(f"No such event: {event_id!r}.")
    return event
