import pytest
from django.db import transaction

from apps.core.ids import new_public_id
from apps.events.models import Event
from apps.events.services import EventOutsideTransaction, batch, record
from tests.events.factories import Thing, make_events

pytestmark = pytest.mark.django_db


class TestEventRecord:
    @pytest.mark.django_db(transaction=True)
    def test_outside_a_transaction_it_refuses_so_no_event_commits_without_its_change(self, partner, sandbox):
        with pytest.raises(EventOutsideTransaction):
            record(type="thing.updated", partner=partner, environment=sandbox, obj=Thing(new_public_id("thg")))

    def test_events_of_one_object_are_numbered_in_order(self, partner, sandbox):
        thing = Thing(new_public_id("thg"))

        events = make_events(partner=partner, environment=sandbox, count=3, thing=thing)

        assert [e.sequence for e in events] == [1, 2, 3]
        assert all(e.object_id == thing.public_id for e in events)

    def test_the_payload_is_a_snapshot_with_previous_attributes_and_the_partner_api_version(self, partner, sandbox):
        thing = Thing(new_public_id("thg"))
        with transaction.atomic():
            event = record(
                type="thing.updated",
                partner=partner,
                environment=sandbox,
                obj=thing,
                previous_attributes={"status": "pending"},
            )

        assert event.public_id.startswith("evt_")
        assert event.api_version == partner.api_version
        assert event.data == {
            "object": {"id": thing.public_id, "object": "thing"},
            "previous_attributes": {"status": "pending"},
        }

    def test_an_event_rolls_back_with_the_change_that_recorded_it(self, partner, sandbox):
        with pytest.raises(RuntimeError), transaction.atomic():
            record(type="thing.updated", partner=partner, environment=sandbox, obj=Thing(new_public_id("thg")))
            raise RuntimeError("the change failed")

        assert Event.objects.count() == 0

    def test_a_batch_numbers_each_objects_events_after_its_stored_ones_in_recording_order(self, partner, sandbox):
        first, second = Thing(new_public_id("thg")), Thing(new_public_id("thg"))
        make_events(partner=partner, environment=sandbox, count=2, thing=first)
        with transaction.atomic(), batch():
            recorded = [
                record(type=f"thing.step{n}", partner=partner, environment=sandbox, obj=obj)
                for n, obj in enumerate([first, second, first, second, first])
            ]

        assert [(e.object_id, e.sequence) for e in recorded] == [
            (first.public_id, 3),
            (second.public_id, 1),
            (first.public_id, 4),
            (second.public_id, 2),
            (first.public_id, 5),
        ]
        stored = Event.objects.in_bulk([e.pk for e in recorded])
        assert [(stored[e.pk].type, stored[e.pk].sequence, stored[e.pk].public_id) for e in recorded] == [
            (e.type, e.sequence, e.public_id) for e in recorded
        ]
        assert stored[recorded[0].pk].data["object"] == {"id": first.public_id, "object": "thing"}


@pytest.mark.postgres
class TestNextSequenceLookup:
    def test_a_busy_objects_next_sequence_reads_the_last_index_entry_not_all_its_events(self, partner, sandbox):
        # Statistics taken while every object had one event (as after seeding) made a MAX over the prefix scan
        # every event of an object that became busy since; the lookup must read a handful of pages however many.
        import json

        from django.db import connection

        from apps.core import store
        from apps.core.store.statements import statement_for
        from apps.events.services import _NUMBERED, build

        make_events(partner=partner, environment=sandbox, count=300)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE events_event")
        busy = Thing(new_public_id("thg"))
        make_events(partner=partner, environment=sandbox, count=1000, thing=busy)
        # The lookup the store's insert makes to number one more event of the busy object.
        event = build(type="thing.updated", partner=partner, environment=sandbox, obj=busy)
        statement = statement_for(store.Insert([event], numbered=_NUMBERED), connection, keyed=True)
        lookup = statement.sql.split("COALESCE((", 1)[1].split("), 0)", 1)[0]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + lookup, [sandbox.pk, busy.public_id])
            (plan,) = cursor.fetchone()
        plan = plan if isinstance(plan, list) else json.loads(plan)

        assert plan[0]["Plan"]["Shared Hit Blocks"] + plan[0]["Plan"].get("Shared Read Blocks", 0) < 20, plan
        assert busy_events_sequences(sandbox, busy) == list(range(1, 1001))


def busy_events_sequences(environment, thing):
    return list(
        Event.objects.filter(environment=environment, object_id=thing.public_id)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
