from dataclasses import dataclass

from django.db import transaction

from apps.core.ids import new_public_id
from apps.events.services import record


@dataclass
class Thing:
    """Any object events can be about: a public id and an object name."""

    public_id: str
    object_name: str = "thing"

    def event_data(self) -> dict:
        return {"id": self.public_id, "object": self.object_name}


def make_events(*, partner, environment, count: int, type: str = "thing.updated", thing: Thing | None = None):
    events = []
    with transaction.atomic():
        for _ in range(count):
            obj = thing or Thing(public_id=new_public_id("thg"))
            events.append(record(type=type, partner=partner, environment=environment, obj=obj))
    return events
