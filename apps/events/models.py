"""The outbox: every change partners can hear about is an ``Event`` row, written in the same database
transaction as the change itself, so an event exists if and only if its change committed."""

from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.partners.models import Environment, Partner


class Event(BaseModel):
    """A snapshot of an object at the moment something happened to it.

    ``sequence`` counts the events of one object (1, 2, 3, ...) so a receiver can order them even when
    deliveries arrive out of order. ``data`` is ``{"object": {...}, "previous_attributes": {...}}``.
    """

    object_name = "event"

    public_id = PublicIdField(prefix="evt")
    # Both are leading columns of the feed and per-object sequence indexes. Neither is a database constraint:
    # every event is written by a service, in its change's transaction, with the principal's own partner and
    # environment, and the two checks per row were 16 of a transfer's 35 foreign-key checks, each locking the
    # one partner and environment row that every concurrent transfer locks too. Deleting a partner still
    # deletes its events (the ORM cascades).
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="events", db_index=False, db_constraint=False
    )
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="events", db_index=False, db_constraint=False
    )
    type = models.CharField(max_length=64)
    api_version = models.CharField(max_length=10)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    sequence = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["environment", "object_id", "sequence"], name="events_event_object_sequence_unique"
            ),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="events_event_sequence_positive"),
        ]
        indexes = [
            models.Index(fields=["partner", "environment", "-id"], name="events_event_feed"),
            models.Index(fields=["partner", "environment", "type", "-id"], name="events_event_feed_type"),
        ]
