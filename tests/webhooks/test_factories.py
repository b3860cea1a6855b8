"""Each factory of ``tests/webhooks/factories.py`` makes a valid row with the fields tests rely on."""

import pytest

from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import current_secret
from tests.webhooks.factories import WebhookAttemptFactory, WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


class TestWebhooksFactories:
    def test_an_endpoint_keeps_its_secret_encrypted_and_hands_it_out_once(self):
        endpoint = WebhookEndpointFactory()

        stored = WebhookEndpoint.objects.get(pk=endpoint.pk)
        assert endpoint.secret.startswith("whsec_")
        assert endpoint.secret not in stored.secret_encrypted
        assert current_secret(stored) == endpoint.secret
        assert (stored.enabled_events, stored.disabled) == (["*"], False)
        assert stored.partner_id == stored.environment.partner_id

    def test_a_delivery_is_owed_for_an_event_of_the_endpoints_environment(self):
        delivery = WebhookDeliveryFactory(type="transfer.succeeded")

        stored = WebhookDelivery.objects.select_related("event").get(pk=delivery.pk)
        assert (stored.status, stored.attempts, stored.event.type) == ("pending", 0, "transfer.succeeded")
        assert stored.event.environment_id == stored.endpoint.environment_id
        assert stored.next_attempt_at == stored.event.created_at

    def test_an_attempt_is_the_first_of_its_delivery_to_the_same_endpoint(self):
        attempt = WebhookAttemptFactory()

        stored = WebhookAttempt.objects.get(pk=attempt.pk)
        assert (stored.number, stored.outcome, stored.status_code) == (1, "succeeded", 200)
        assert stored.endpoint_id == stored.delivery.endpoint_id
