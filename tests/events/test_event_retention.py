"""Time filters on the feed and the 30-day retention."""

from datetime import timedelta

import pytest
import time_machine

from apps.core import clock
from apps.events.models import Event
from apps.events.tasks import purge_expired_events
from tests.events.factories import make_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_days(partner, sandbox):
    """One event on each of three consecutive days; returns them with their times."""
    start = clock.now().replace(microsecond=0) - timedelta(days=3)
    events = []
    for day in range(3):
        with time_machine.travel(start + timedelta(days=day), tick=False):
            events += make_events(partner=partner, environment=sandbox, count=1)
    return events


def ids(response):
    assert response.status_code == 200, response.json()
    return [e["id"] for e in response.json()["data"]]


class TestTimeFilters:
    def test_created_gte_and_lt_cut_a_half_open_range(self, sandbox_client, three_days):
        first, second, third = three_days
        since = first.created_at + timedelta(hours=1)

        got = ids(
            sandbox_client.get(
                "/v1/events", {"created[gte]": clock.rfc3339(since), "created[lt]": clock.rfc3339(third.created_at)}
            )
        )

        assert got == [second.public_id]

    def test_gt_and_lte_exclude_and_include_the_bound(self, sandbox_client, three_days):
        first, second, third = three_days

        assert ids(sandbox_client.get("/v1/events", {"created[gt]": clock.rfc3339(second.created_at)})) == [
            third.public_id
        ]
        assert ids(sandbox_client.get("/v1/events", {"created[lte]": clock.rfc3339(second.created_at)})) == [
            second.public_id,
            first.public_id,
        ]

    def test_unix_seconds_are_accepted(self, sandbox_client, three_days):
        _, _, third = three_days

        assert ids(sandbox_client.get("/v1/events", {"created[gte]": str(int(third.created_at.timestamp()))})) == [
            third.public_id
        ]

    @pytest.mark.parametrize("value", ["yesterday", "2026-11-22T09:30:00", "2026-13-01T00:00:00Z"])
    def test_a_bad_time_is_a_400_naming_the_parameter(self, sandbox_client, value):
        response = sandbox_client.get("/v1/events", {"created[gte]": value})

        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "created[gte]"


class TestRetention:
    def test_events_older_than_30_days_leave_the_feed_and_are_purged(self, sandbox_client, partner, sandbox):
        with time_machine.travel(clock.now() - timedelta(days=31), tick=False):
            (old,) = make_events(partner=partner, environment=sandbox, count=1)
        (recent,) = make_events(partner=partner, environment=sandbox, count=1)

        assert ids(sandbox_client.get("/v1/events")) == [recent.public_id]
        assert sandbox_client.get(f"/v1/events/{old.public_id}").status_code == 404

        assert purge_expired_events(batch_size=1) == 1
        assert list(Event.objects.values_list("public_id", flat=True)) == [recent.public_id]
