"""Sending events to an endpoint again: resend one event, replay a time range, send a test event. Each starts a
new round of attempts for the deliveries concerned; they go out after commit (``fan_out.enqueue_on_commit``)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from apps.core import clock
from apps.core.errors import NotFound, error_type
from apps.events.models import Event
from apps.events.selectors import retention_cutoff
from apps.events.services import record
from apps.events.types import TEST_EVENT_TYPE
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint
from apps.webhooks.services.endpoints import audit_endpoint, validate_event_types
from apps.webhooks.services.fan_out import enqueue_on_commit
from apps.webhooks.snapshots import endpoint_event_snapshot

EndpointDisabled = error_type(
    "EndpointDisabled",
    "webhook_endpoint_disabled",
    409,
    "Webhook endpoint disabled",
    "This endpoint is disabled: enable it (PATCH disabled=false) before sending it events.",
)
ReplayTooLarge = error_type("ReplayTooLarge", "replay_too_large", 422, "Replay too large")


@dataclass(frozen=True)
class Replay:
    """What a replay queued: how many events, for which endpoint, range and types."""

    endpoint: WebhookEndpoint
    since: datetime
    until: datetime
    types: list[str]
    event_count: int
    created_at: datetime

    object_name = "webhook_replay"


def _queue_again(*, endpoint: WebhookEndpoint, event_ids: list[int], now: datetime) -> list[WebhookDelivery]:
    """Start a new round for each event: reset the existing delivery or create one. A delivery being posted right
    now keeps its lease, so it is still never posted twice at once; clearing its claim token makes the worker's
    result of the old round count as superseded, and the new round goes out when the lease ends."""
    WebhookDelivery.objects.filter(endpoint=endpoint, event_id__in=event_ids).update(
        status=WebhookDelivery.Status.PENDING, attempts=0, next_attempt_at=now, last_error="", claim_token=""
    )
    existing = set(
        WebhookDelivery.objects.filter(endpoint=endpoint, event_id__in=event_ids).values_list("event_id", flat=True)
    )
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event_id=event_id, endpoint=endpoint, next_attempt_at=now)
            for event_id in event_ids
            if event_id not in existing
        ]
    )
    deliveries = list(WebhookDelivery.objects.filter(endpoint=endpoint, event_id__in=event_ids).order_by("pk"))
    enqueue_on_commit([d.pk for d in deliveries])
    return deliveries


def _require_enabled(endpoint: WebhookEndpoint) -> None:
    if endpoint.disabled:
        raise EndpointDisabled()


@transaction.atomic
def endpoint_replay(
    *,
    endpoint: WebhookEndpoint,
    since: datetime,
    until: datetime | None = None,
    types: list[str] | None = None,
    request: Any = None,
) -> Replay:
    """Send again every retained event in ``[since, until)`` that the endpoint subscribes to (and of ``types``,
    when given), oldest first. At most ``WEBHOOK_REPLAY_MAX_EVENTS`` per replay. A range that is empty
    (``since`` at or after ``until``) replays nothing, like a range with no events."""
    _require_enabled(endpoint)
    now = clock.now()
    until = until or now
    wanted = validate_event_types(types or [], field="types", allow_wildcard=False) if types else []
    events = Event.objects.filter(
        partner=endpoint.partner,
        environment=endpoint.environment,
        created_at__gte=max(since, retention_cutoff()),
        created_at__lt=until,
    ).exclude(type=TEST_EVENT_TYPE)
    if wanted:
        events = events.filter(type__in=wanted)
    if "*" not in endpoint.enabled_events:
        events = events.filter(type__in=endpoint.enabled_events)
    limit = settings.WEBHOOK_REPLAY_MAX_EVENTS
    event_ids = list(events.order_by("pk").values_list("pk", flat=True)[: limit + 1])
    if len(event_ids) > limit:
        raise ReplayTooLarge(f"The range holds more than {limit} events: replay a shorter range or fewer types.")
    _queue_again(endpoint=endpoint, event_ids=event_ids, now=now)
    replay = Replay(
        endpoint=endpoint, since=since, until=until, types=wanted, event_count=len(event_ids), created_at=now
    )
    audit_endpoint(
        "webhook_endpoint.replayed",
        endpoint,
        request=request,
        metadata={
            "since": clock.rfc3339(since),
            "until": clock.rfc3339(until),
            "types": wanted,
            "event_count": len(event_ids),
        },
    )
    return replay


@transaction.atomic
def endpoint_resend(*, endpoint: WebhookEndpoint, event_id: str) -> WebhookDelivery:
    """Send one event to the endpoint again now (a new round of attempts), whatever happened to it before."""
    _require_enabled(endpoint)
    event = (
        Event.objects.filter(
            partner=endpoint.partner,
            environment=endpoint.environment,
            public_id=event_id,
            created_at__gte=retention_cutoff(),
        )
        .only("pk")
        .first()
    )
    if event is None:
        raise NotFound(f"No such event: {event_id!r}.")
    (delivery,) = _queue_again(endpoint=endpoint, event_ids=[event.pk], now=clock.now())
    return delivery


@transaction.atomic
def endpoint_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Record a ``webhook_endpoint.test`` event about the endpoint and send it to this endpoint only (whatever
    it subscribes to)."""
    _require_enabled(endpoint)
    event = record(
        type=TEST_EVENT_TYPE,
        partner=endpoint.partner,
        environment=endpoint.environment,
        obj=endpoint,
        data=endpoint_event_snapshot(endpoint),
    )
    (delivery,) = _queue_again(endpoint=endpoint, event_ids=[event.pk], now=clock.now())
    return delivery
