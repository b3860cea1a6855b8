"""``tests/events/factories.py`` writes events as the outbox does."""

import pytest

from apps.events.models import Event
from tests.events.factories import EventFactory, Thing, make_events
from tests.partners.factories import PartnerFactory, sandbox_of

pytestmark = pytest.mark.django_db


class TestEventFactory:
    def test_an_event_is_the_first_of_its_object_with_its_snapshot(self):
        event = EventFactory()

        stored = Event.objects.get(pk=event.pk)
        assert (stored.type, stored.sequence, stored.object_type) == ("thing.updated", 1, "thing")
        assert stored.data == {"object": {"id": stored.object_id, "object": "thing"}, "previous_attributes": {}}
        assert stored.partner_id == stored.environment.partner_id
        assert stored.api_version == stored.partner.api_version

    def test_events_about_one_thing_are_numbered_in_order(self):
        partner = PartnerFactory()
        thing = Thing(public_id="thg_one")

        events = make_events(partner=partner, environment=sandbox_of(partner), count=3, thing=thing)

        assert [e.sequence for e in Event.objects.filter(pk__in=[e.pk for e in events]).order_by("pk")] == [1, 2, 3]
