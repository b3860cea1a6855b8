"""Events written by ``apps.events.services.record``, inside a transaction as a writer does, about any object
with a public id (``Thing`` stands in for one)."""

from dataclasses import dataclass

import factory
from django.db import transaction

from apps.core.ids import new_public_id
from apps.events.models import Event
from apps.events.services import record
from tests.partners.factories import PartnerFactory, sandbox_of


@dataclass
class Thing:
    """Any object events can be about: a public id and an object name."""

    public_id: str
    object_name: str = "thing"

    def event_data(self) -> dict:
        return {"id": self.public_id, "object": self.object_name}


class EventFactory(factory.django.DjangoModelFactory):
    """One ``thing.updated`` event about a new ``Thing`` (``obj=`` another) in a fresh partner's sandbox."""

    class Meta:
        model = Event

    environment = factory.LazyFunction(lambda: sandbox_of(PartnerFactory()))
    partner = factory.SelfAttribute("environment.partner")
    type = "thing.updated"
    obj = factory.LazyFunction(lambda: Thing(public_id=new_public_id("thg")))

    @classmethod
    def _create(cls, model_class: object, **kwargs: object) -> Event:  # ``type`` above shadows the builtin
        with transaction.atomic():
            return record(**kwargs)  # type: ignore[arg-type]


def make_events(*, partner, environment, count: int, type: str = "thing.updated", thing: Thing | None = None):
    """``count`` events in one transaction, each about a new ``Thing`` unless ``thing`` is given."""
    with transaction.atomic():
        return [
            EventFactory(partner=partner, environment=environment, type=type, **({"obj": thing} if thing else {}))
            for _ in range(count)
        ]
