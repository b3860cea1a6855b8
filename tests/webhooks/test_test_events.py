"""Test events of a chosen type: in sandbox any catalogue type, sent to the one endpoint that asked (never fanned
out to the others that subscribe); in live only ``webhook_endpoint.test``. Through the portal's picker."""

import pytest

from apps.core.errors import BadRequest
from apps.events.models import Event
from apps.events.types import EVENT_TYPES, TEST_EVENT_TYPE
from apps.webhooks import services
from apps.webhooks.models import WebhookDelivery
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hooks"


def endpoint_of(member, environment, url=URL):
    return services.endpoint_create(partner=member.partner, environment=environment, url=url, enabled_events=["*"])


class TestTestEventTypes:
    def test_a_sandbox_endpoint_is_offered_every_catalogue_type_after_the_plain_test_event(self, owner):
        assert services.test_event_types(environment=owner.sandbox) == (TEST_EVENT_TYPE, *EVENT_TYPES)

    def test_a_live_endpoint_is_offered_only_the_plain_test_event(self, owner):
        assert services.test_event_types(environment=owner.use_live()) == (TEST_EVENT_TYPE,)


class TestSendingATestEventOfAType:
    def test_a_catalogue_type_goes_to_this_endpoint_only_with_the_sandboxs_payload(self, owner):
        chosen = endpoint_of(owner, owner.sandbox)
        other = endpoint_of(owner, owner.sandbox, url="http://127.0.0.1:9/other")

        response = owner.client.post(f"/portal/webhooks/{chosen.public_id}/test/", {"type": "sandbox.reset"})

        assert response.status_code == 302
        event = Event.objects.get(type="sandbox.reset")
        assert event.data["object"]["object"] == "sandbox_reset"
        assert event.data["object"]["id"] == owner.sandbox.public_id
        assert list(WebhookDelivery.objects.filter(event=event).values_list("endpoint", flat=True)) == [chosen.pk]
        assert not WebhookDelivery.objects.filter(endpoint=other).exists()

    def test_a_later_real_event_is_still_fanned_out_to_every_subscribed_endpoint(self, owner):
        chosen = endpoint_of(owner, owner.sandbox)
        other = endpoint_of(owner, owner.sandbox, url="http://127.0.0.1:9/other")
        services.endpoint_send_test(endpoint=chosen, type="sandbox.reset")

        event = EventFactory(partner=owner.partner, environment=owner.sandbox, type="transfer.created")

        assert set(WebhookDelivery.objects.filter(event=event).values_list("endpoint", flat=True)) == {
            chosen.pk,
            other.pk,
        }

    def test_without_a_type_the_plain_test_event_is_sent(self, owner):
        chosen = endpoint_of(owner, owner.sandbox)

        owner.client.post(f"/portal/webhooks/{chosen.public_id}/test/")

        assert Event.objects.get().type == TEST_EVENT_TYPE
        assert WebhookDelivery.objects.get().endpoint == chosen

    def test_a_live_endpoint_refuses_a_catalogue_type_and_records_nothing(self, owner):
        live = owner.use_live()
        chosen = endpoint_of(owner, live, url="http://127.0.0.1:9/live")

        response = owner.client.post(
            f"/portal/webhooks/{chosen.public_id}/test/", {"type": "transfer.succeeded"}, follow=True
        )

        assert "Not a test event type: &#x27;transfer.succeeded&#x27;." in response.content.decode()
        assert not Event.objects.exists()
        assert not WebhookDelivery.objects.exists()

    def test_an_unknown_type_is_refused_with_the_field_named(self, owner):
        chosen = endpoint_of(owner, owner.sandbox)

        with pytest.raises(BadRequest) as refused:
            services.endpoint_send_test(endpoint=chosen, type="transfer.teleported")

        assert refused.value.errors[0]["field"] == "type"
        assert not Event.objects.exists()

    def test_a_type_the_sandbox_cannot_describe_yet_is_a_conflict_and_records_nothing(self, owner):
        chosen = endpoint_of(owner, owner.sandbox)

        response = owner.client.post(
            f"/portal/webhooks/{chosen.public_id}/test/", {"type": "transfer.held"}, follow=True
        )

        assert "no wallets to describe" in response.content.decode()
        assert not Event.objects.exists()
        assert not WebhookDelivery.objects.exists()

    def test_the_endpoint_page_offers_the_types_in_a_picker(self, owner):
        chosen = endpoint_of(owner, owner.sandbox)

        page = owner.client.get(f"/portal/webhooks/{chosen.public_id}/").content.decode()

        assert 'data-testid="test-type"' in page
        assert all(f'<option value="{t}">' in page for t in EVENT_TYPES)
