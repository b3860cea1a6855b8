import pytest

from apps.partners.services import api_key_create
from tests.events.factories import make_events
from tests.helpers import assert_problem
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db


class TestEventRetrieve:
    def test_an_own_event_is_returned_in_the_documented_shape(self, sandbox_client, partner, sandbox):
        (event,) = make_events(partner=partner, environment=sandbox, count=1)

        response = sandbox_client.get(f"/v1/events/{event.public_id}")

        assert response.status_code == 200
        body = response.json()
        assert body["id"] == event.public_id
        assert body["object"] == "event"
        assert body["environment"] == "sandbox"
        assert body["sequence"] == 1
        assert set(body) == {"id", "object", "type", "environment", "api_version", "created_at", "sequence", "data"}
        assert body["created_at"].endswith("Z")

    def test_another_partners_event_is_a_404(self, sandbox_client):
        other = PartnerFactory()
        (event,) = make_events(partner=other, environment=other.environments.get(kind="sandbox"), count=1)

        response = sandbox_client.get(f"/v1/events/{event.public_id}")

        assert_problem(response, 404, "resource_missing")

    def test_the_same_partners_live_event_is_a_404_to_a_sandbox_key(self, sandbox_client, partner):
        live = LiveEnvironmentFactory(partner=partner)
        (event,) = make_events(partner=partner, environment=live, count=1)

        assert sandbox_client.get(f"/v1/events/{event.public_id}").status_code == 404

    def test_a_key_without_events_read_gets_403(self, sandbox, client_for, partner):
        (event,) = make_events(partner=partner, environment=sandbox, count=1)
        restricted = api_key_create(environment=sandbox, scopes=["webhooks:write"])

        response = client_for(restricted.secret).get(f"/v1/events/{event.public_id}")

        assert_problem(response, 403, "insufficient_scope")


class TestEventList:
    def test_lists_only_this_partner_and_environment_newest_first(self, sandbox_client, partner, sandbox):
        own = make_events(partner=partner, environment=sandbox, count=3)
        other = PartnerFactory()
        make_events(partner=other, environment=other.environments.get(kind="sandbox"), count=2)
        make_events(partner=partner, environment=LiveEnvironmentFactory(partner=partner), count=2)

        body = sandbox_client.get("/v1/events").json()

        assert body["object"] == "list"
        assert [e["id"] for e in body["data"]] == [e.public_id for e in reversed(own)]
        assert body["has_more"] is False
        assert body["next_cursor"] is None

    def test_filters_by_type(self, sandbox_client, partner, sandbox):
        make_events(partner=partner, environment=sandbox, count=2, type="a.happened")
        wanted = make_events(partner=partner, environment=sandbox, count=1, type="b.happened")

        body = sandbox_client.get("/v1/events?type=b.happened").json()

        assert [e["id"] for e in body["data"]] == [wanted[0].public_id]

    def test_a_page_costs_a_fixed_number_of_queries(
        self, sandbox_client, partner, sandbox, django_assert_max_num_queries
    ):
        make_events(partner=partner, environment=sandbox, count=30)
        sandbox_client.get("/v1/events?limit=5")  # warm the key cache

        with django_assert_max_num_queries(4):
            response = sandbox_client.get("/v1/events?limit=25")

        assert len(response.json()["data"]) == 25
