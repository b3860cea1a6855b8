"""The webhook backlog on /metrics, computed when it is scraped (docs/operations.md)."""

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric

from apps.core import clock
from apps.webhooks.selectors import delivery_backlog


def collect_backlog() -> Iterable[Metric]:
    now = clock.now()
    backlog = delivery_backlog(now=now)
    oldest = (now - backlog.oldest_due_at).total_seconds() if backlog.oldest_due_at is not None else 0.0
    yield GaugeMetricFamily(
        "causeway_webhook_deliveries_pending",
        "Webhook deliveries not yet delivered, failed or canceled.",
        value=backlog.pending,
    )
    yield GaugeMetricFamily(
        "causeway_webhook_deliveries_due",
        "Pending webhook deliveries whose next attempt time has come.",
        value=backlog.due,
    )
    yield GaugeMetricFamily(
        "causeway_webhook_oldest_due_delivery_age_seconds",
        "How long the longest-waiting due delivery has been due (0 when none is).",
        value=max(0.0, oldest),
    )
