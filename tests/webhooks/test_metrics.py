"""The webhook backlog on /metrics: pending and due deliveries and how long the oldest due one has waited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.webhooks.models import WebhookDelivery
from tests.helpers import metric, scrape_metrics
from tests.webhooks.factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db


def backlog() -> tuple[float, float, float]:
    samples = scrape_metrics()
    return (
        metric(samples, "causeway_webhook_deliveries_pending"),
        metric(samples, "causeway_webhook_deliveries_due"),
        metric(samples, "causeway_webhook_oldest_due_delivery_age_seconds"),
    )


class TestBacklogMetrics:
    def test_an_empty_backlog_is_zero(self):
        assert backlog() == (0, 0, 0)

    def test_the_gauges_follow_the_deliveries(self):
        endpoint = WebhookEndpointFactory()
        now = timezone.now()
        waiting = WebhookDeliveryFactory(endpoint=endpoint)
        retry_later = WebhookDeliveryFactory(endpoint=endpoint)
        delivered = WebhookDeliveryFactory(endpoint=endpoint)
        WebhookDelivery.objects.filter(pk=waiting.pk).update(next_attempt_at=now - timedelta(seconds=90))
        WebhookDelivery.objects.filter(pk=retry_later.pk).update(next_attempt_at=now + timedelta(minutes=5))
        WebhookDelivery.objects.filter(pk=delivered.pk).update(
            status=WebhookDelivery.Status.DELIVERED, next_attempt_at=None, delivered_at=now
        )

        pending, due, oldest = backlog()

        assert (pending, due) == (2, 1)
        assert 90 <= oldest < 150

        WebhookDelivery.objects.filter(pk=waiting.pk).update(
            status=WebhookDelivery.Status.DELIVERED, next_attempt_at=None, delivered_at=now
        )
        assert backlog() == (1, 0, 0)
