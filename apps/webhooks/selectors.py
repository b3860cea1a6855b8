"""Reads of webhook endpoints and their deliveries. Every read is scoped to one partner and environment: another
partner's or environment's endpoint does not exist (404)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet

from apps.core import clock
from apps.core.errors import NotFound
from apps.partners.models import Environment, Partner
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list(*, partner: Partner, environment: Environment) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(partner=partner, environment=environment).select_related("environment")


def endpoint_get(*, partner: Partner, environment: Environment, endpoint_id: str) -> WebhookEndpoint:
    endpoint = endpoint_list(partner=partner, environment=environment).filter(public_id=endpoint_id).first()
    if endpoint is None:
        raise NotFound(f"No such webhook endpoint: {endpoint_id!r}.")
    return endpoint


def delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event")


def delivery_get(*, endpoint: WebhookEndpoint, delivery_id: str) -> WebhookDelivery:
    delivery = delivery_list(endpoint=endpoint).filter(public_id=delivery_id).first()
    if delivery is None:
        raise NotFound(f"No such delivery: {delivery_id!r}.")
    return delivery


def attempt_list(*, delivery: WebhookDelivery) -> QuerySet[WebhookAttempt]:
    return WebhookAttempt.objects.filter(delivery=delivery).order_by("id")


@dataclass(frozen=True)
class EndpointStats:
    attempts: int
    succeeded: int

    @property
    def success_rate(self) -> float | None:
        return self.succeeded / self.attempts if self.attempts else None


def endpoint_stats(*, endpoint_ids: list[int], since: datetime | None = None) -> dict[int, EndpointStats]:
    """Attempts and successes per endpoint over the last 7 days (or since ``since``), in one query."""
    since = since or clock.now() - timedelta(days=7)
    rows = (
        WebhookAttempt.objects.filter(endpoint_id__in=endpoint_ids, started_at__gte=since)
        .values("endpoint_id")
        .annotate(total=Count("id"), ok=Count("id", filter=Q(outcome=WebhookAttempt.Outcome.SUCCEEDED)))
    )
    stats = {pk: EndpointStats(0, 0) for pk in endpoint_ids}
    for row in rows:
        stats[row["endpoint_id"]] = EndpointStats(attempts=row["total"], succeeded=row["ok"])
    return stats


@dataclass(frozen=True)
class DeliveryBacklog:
    """Pending deliveries across every partner (operations only: /metrics)."""

    pending: int
    due: int
    oldest_due_at: datetime | None


def delivery_backlog(*, now: datetime) -> DeliveryBacklog:
    """Deliveries still owed, those whose attempt time has come, and the earliest due attempt time; one query on
    the partial index of pending deliveries."""
    due = Q(next_attempt_at__lte=now)
    row = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).aggregate(
        pending=Count("pk"), due=Count("pk", filter=due), oldest=Min("next_attempt_at", filter=due)
    )
    return DeliveryBacklog(pending=row["pending"], due=row["due"], oldest_due_at=row["oldest"])
