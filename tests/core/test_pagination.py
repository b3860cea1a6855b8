import pytest

from tests.events.factories import make_events
from tests.helpers import assert_problem
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _ids(response):
    return [item["id"] for item in response.json()["data"]]


class TestCursorPagination:
    def test_pages_walk_the_whole_list_once_each(self, sandbox_client, partner, sandbox):
        events = make_events(partner=partner, environment=sandbox, count=7)
        seen, cursor = [], None
        while True:
            response = sandbox_client.get("/v1/events", {"limit": 3, **({"starting_after": cursor} if cursor else {})})
            body = response.json()
            seen += _ids(response)
            if not body["has_more"]:
                assert body["next_cursor"] is None
                break
            cursor = body["next_cursor"]
            assert cursor == seen[-1]

        assert seen == [e.public_id for e in reversed(events)]

    def test_inserts_between_pages_neither_shift_nor_repeat_the_next_page(self, sandbox_client, partner, sandbox):
        events = make_events(partner=partner, environment=sandbox, count=6)
        first = sandbox_client.get("/v1/events", {"limit": 3})

        make_events(partner=partner, environment=sandbox, count=4)  # newer objects arrive mid-walk
        second = sandbox_client.get("/v1/events", {"limit": 3, "starting_after": first.json()["next_cursor"]})

        assert _ids(first) == [e.public_id for e in reversed(events[3:])]
        assert _ids(second) == [e.public_id for e in reversed(events[:3])]
        assert second.json()["has_more"] is False

    @pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "2.5"])
    def test_a_limit_outside_1_to_100_is_a_400(self, sandbox_client, limit):
        response = sandbox_client.get("/v1/events", {"limit": limit})

        body = assert_problem(response, 400, "parameter_invalid")
        assert body["errors"][0]["field"] == "limit"

    @pytest.mark.parametrize("limit", ["1", "100"])
    def test_the_limit_bounds_are_accepted(self, sandbox_client, limit):
        assert sandbox_client.get("/v1/events", {"limit": limit}).status_code == 200

    def test_the_default_page_size_is_20(self, sandbox_client, partner, sandbox):
        make_events(partner=partner, environment=sandbox, count=21)

        body = sandbox_client.get("/v1/events").json()

        assert len(body["data"]) == 20
        assert body["has_more"] is True

    def test_a_cursor_from_another_tenant_is_refused_without_revealing_it(self, sandbox_client):
        other = PartnerFactory()
        (foreign,) = make_events(partner=other, environment=other.environments.get(kind="sandbox"), count=1)

        response = sandbox_client.get("/v1/events", {"starting_after": foreign.public_id})

        assert (response.status_code, response.json()["code"]) == (404, "resource_missing")
        assert response.json()["errors"][0]["field"] == "starting_after"
