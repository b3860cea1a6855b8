"""Sending events to an endpoint again: resend one event, replay a time range, send a test event. Each starts a
new round of attempts for the deliveries concerned; they go out after commit (``fan_out.enqueue_on_commit``)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from apps.core import clock
from apps.core.errors import BadRequest, NotFound, error_type
from apps.events.models import Event
from apps.events.selectors import retention_cutoff
from apps.events.services import record
from apps.events.types import EVENT_TYPES, TEST_EVENT_TYPE
from apps.partners.models import Environment, Partner
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint
from apps.webhooks.services.endpoints import audit_endpoint, validate_event_types
from apps.webhooks.services.fan_out import enqueue_on_commit, sent_by_caller
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


# Builds the payload of a catalogue event for a sandbox test event: (partner, environment, type) -> the object.
# The sandbox registers it at start-up (it knows its own data; apps/ never imports the sandbox).
TestPayload = Callable[[Partner, Environment, str], dict[str, Any]]
_test_payload: list[TestPayload] = []


def register_test_payload(builder: TestPayload) -> None:
    _test_payload[:] = [builder]


def test_event_types(*, environment: Environment) -> tuple[str, ...]:
    """What a test event sent to an endpoint of ``environment`` may be: ``webhook_endpoint.test`` everywhere; in
    sandbox also every catalogue type, with a payload describing the sandbox's own data. A live endpoint is never
    sent an event that looks like a real change."""
    if environment.kind == Environment.Kind.SANDBOX and _test_payload:
        return (TEST_EVENT_TYPE, *EVENT_TYPES)
    return (TEST_EVENT_TYPE,)


@transaction.atomic
def endpoint_send_test(*, endpoint: WebhookEndpoint, type: str = TEST_EVENT_TYPE) -> WebhookDelivery:
    """Record a test event and send it to this endpoint only (whatever it subscribes to): ``webhook_endpoint.test``
    about the endpoint, or in sandbox any catalogue type (``test_event_types``) with the payload the sandbox builds
    for it, recorded like ``POST /v1/sandbox/webhooks/fire`` but owed to no other endpoint. Raises
    ``BadRequest`` (400, ``type``) for a type not offered here, ``EndpointDisabled`` (409), and the payload
    builder's ``Conflict`` (409) when the sandbox has nothing such an event could describe."""
    _require_enabled(endpoint)
    if type not in test_event_types(environment=endpoint.environment):
        raise BadRequest(
            "This event type cannot be sent as a test event here.",
            errors=[{"field": "type", "code": "invalid_choice", "message": f"Not a test event type: {type!r}."}],
        )
    if type == TEST_EVENT_TYPE:
        data: dict[str, Any] = endpoint_event_snapshot(endpoint)
        subject: Any = endpoint
    else:
        data = _test_payload[0](endpoint.partner, endpoint.environment, type)
        subject = _Subject(public_id=data["id"], object_name=data["object"])
    with sent_by_caller():
        event = record(type=type, partner=endpoint.partner, environment=endpoint.environment, obj=subject, data=data)
    (delivery,) = _queue_again(endpoint=endpoint, event_ids=[event.pk], now=clock.now())
    return delivery


@dataclass(frozen=True)
class _Subject:
    """What a catalogue test event is about: its id and type name (``events.record`` needs no more)."""

    public_id: str
    object_name: str
