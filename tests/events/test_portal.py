"""The portal's event browser: the current environment's events newest first, filtered by type and paged, and one
event's payload; other partners' and environments' events do not exist there."""

import json

import pytest

from apps.events.portal.views import PAGE_SIZE
from tests.events.factories import EventFactory, make_events
from tests.partners.factories import PartnerFactory, sandbox_of

pytestmark = pytest.mark.django_db

LIST = "/portal/events/"


class TestEventList:
    def test_lists_this_environments_events_newest_first_with_links_to_each(self, owner):
        older, newer = make_events(partner=owner.partner, environment=owner.sandbox, count=2, type="transfer.created")
        EventFactory(environment=sandbox_of(PartnerFactory()), type="transfer.created")  # another partner's

        response = owner.client.get(LIST)

        body = response.content.decode()
        assert response.status_code == 200
        assert body.count('data-event="evt_') == 2
        assert body.index(newer.public_id) < body.index(older.public_id)
        assert f'href="/portal/events/{newer.public_id}/"' in body

    def test_filters_by_type(self, owner):
        make_events(partner=owner.partner, environment=owner.sandbox, count=1, type="transfer.created")
        wanted = EventFactory(partner=owner.partner, environment=owner.sandbox, type="consent.granted")

        body = owner.client.get(LIST, {"type": "consent.granted"}).content.decode()

        assert body.count('data-event="evt_') == 1 and wanted.public_id in body

    def test_pages_older_events_with_a_cursor(self, owner):
        events = make_events(partner=owner.partner, environment=owner.sandbox, count=PAGE_SIZE + 1)

        first = owner.client.get(LIST).content.decode()
        second = owner.client.get(LIST, {"before": events[1].public_id}).content.decode()

        assert first.count('data-event="evt_') == PAGE_SIZE and events[0].public_id not in first
        assert f"before={events[1].public_id}" in first
        assert second.count('data-event="evt_') == 1 and events[0].public_id in second

    @pytest.mark.parametrize("query", [{"type": "nope.nothing"}, {"before": "not-a-cursor"}])
    def test_a_bad_filter_is_a_400_page_listing_nothing(self, owner, query):
        make_events(partner=owner.partner, environment=owner.sandbox, count=1)

        response = owner.client.get(LIST, query)

        assert response.status_code == 400
        assert 'data-event="evt_' not in response.content.decode()


class TestEventDetail:
    def test_shows_the_event_as_the_api_returns_it(self, owner):
        event = EventFactory(partner=owner.partner, environment=owner.sandbox, type="transfer.succeeded")

        response = owner.client.get(f"{LIST}{event.public_id}/")

        assert response.status_code == 200
        payload = response.context["payload"]
        assert json.loads(payload)["id"] == event.public_id
        assert json.loads(payload)["data"] == event.data
        assert "A transfer completed" in response.content.decode()

    def test_another_partners_or_environments_event_is_a_404(self, owner):
        theirs = EventFactory(environment=sandbox_of(PartnerFactory()))
        live = owner.use_live()
        ours_in_live = EventFactory(partner=owner.partner, environment=live)
        owner.client.post("/portal/switch/environment", {"environment": "sandbox"})

        assert owner.client.get(f"{LIST}{theirs.public_id}/").status_code == 404
        assert owner.client.get(f"{LIST}{ours_in_live.public_id}/").status_code == 404

    def test_a_viewer_may_read_events(self, member):
        viewer = member("viewer")
        event = EventFactory(partner=viewer.partner, environment=viewer.sandbox)

        assert viewer.client.get(f"{LIST}{event.public_id}/").status_code == 200
