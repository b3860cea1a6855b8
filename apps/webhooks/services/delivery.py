"""Getting events to endpoints, at least once (the deliveries themselves are owed in the writer's transaction:
``apps.webhooks.services.fan_out``).

1. **Enqueue.** After commit the new ids are sent to the ``webhooks`` queue (one Celery task per transaction); a
   broker error there is logged, never raised to the API caller: the rows are the guarantee.
2. **Claim.** ``deliver_batch`` leases rows with a conditional update (pending, due, not leased by someone else)
   under a fresh token, so two workers never post one delivery at once. It tops its batch up with other due
   unleased rows, which is what keeps one worker fast under load: one claim and one result write per batch.
3. **Post.** Each is signed (Standard Webhooks) and POSTed through ``apps.core.http`` (SSRF guard again, timeout,
   no redirects, capped body). A post starts only while the lease has room for a whole timeout, so a lease never
   runs out under a request in flight.
4. **Record.** Every attempt is a ``WebhookAttempt``; the delivery becomes delivered, failed (schedule exhausted,
   410) or pending again with ``next_attempt_at`` from the retry schedule (or the receiver's ``Retry-After``).
5. **Sweep.** Beat runs ``sweep`` every few seconds: retries that fell due, and rows whose enqueue was lost
   (broker down, worker killed: an expired lease) are leased briefly and enqueued again.
"""

import json
import os
import random
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import structlog
from celery import current_app
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, Q

from apps.core import clock, http, versioning
from apps.events.models import Event
from apps.events.serializers import EventSerializer
from apps.webhooks import signing
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services.endpoints import (
    disable_failing_endpoints,
    endpoint_disable_automatically,
    signing_secrets,
)

logger = structlog.get_logger(__name__)

# Links to the webhooks guide on the docs site this server serves (CAUSEWAY_BASE_URL).
USER_AGENT = f"Causeway-Webhooks/1.0 (+{settings.BASE_URL.rstrip('/')}/docs/webhooks/)"
# Sent by name: the task module is Celery's to import (tasks call services; nothing imports tasks).
DELIVER_TASK = "apps.webhooks.tasks.deliver"
PENDING = WebhookDelivery.Status.PENDING

_session: http.Session | None = None
_session_pid = 0


def _http_session() -> http.Session:
    """This process's connection-reusing session (a fresh one after a fork: Celery's prefork children)."""
    global _session, _session_pid
    if _session is None or _session_pid != os.getpid():
        _session, _session_pid = http.Session(), os.getpid()
    return _session


def enqueue(ids: list[int], *, claim_token: str = "") -> bool:
    """Send ``deliver`` tasks for ``ids`` in batches. Never raises: if the broker is unreachable the rows stay
    pending and the sweeper sends them once it is back."""
    size = settings.WEBHOOK_BATCH_SIZE
    try:
        for start in range(0, len(ids), size):
            # retry=False: with the broker down, answer the API caller now instead of retrying the publish.
            current_app.signature(
                DELIVER_TASK, kwargs={"delivery_ids": ids[start : start + size], "claim_token": claim_token}
            ).apply_async(retry=False)
    except Exception as exc:
        logger.warning("webhook_enqueue_failed", deliveries=len(ids), error=type(exc).__name__)
        return False
    return True


# --- 2-4. Claim, post, record -------------------------------------------------------------------------------------
@dataclass
class _Result:
    delivery: WebhookDelivery
    started_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str = ""
    excerpt: str = ""
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class BatchReport:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    retrying: int = 0
    released: int = 0


def _claimable(now: datetime, claim_token: str = "") -> Q:
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if claim_token:
        free |= Q(claim_token=claim_token)
    return Q(status=PENDING, next_attempt_at__lte=now) & free


def _claim(*, ids: list[int], claim_token: str, now: datetime, token: str, room: int) -> list[int]:
    """Lease the given rows that are still claimable, topped up to ``room`` with other due, unleased rows."""
    lease_until = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    with transaction.atomic():
        claimable = WebhookDelivery.objects.filter(_claimable(now, claim_token))
        picked = list(claimable.filter(pk__in=ids).select_for_update(skip_locked=True).values_list("pk", flat=True))
        if len(picked) < room:
            extra = (
                WebhookDelivery.objects.filter(_claimable(now))
                .exclude(pk__in=picked)
                .order_by("next_attempt_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[: room - len(picked)]
            )
            picked += list(extra)
        if not picked:
            return []
        # The filter is repeated in the update: on databases without row locks (SQLite) it is the claim itself.
        claimable.filter(pk__in=picked).update(lease_until=lease_until, claim_token=token)
    return picked


def deliver_batch(*, delivery_ids: list[int], claim_token: str = "") -> BatchReport:
    """Claim, post and record a batch: ``delivery_ids`` plus other due rows, up to ``WEBHOOK_BATCH_SIZE``.
    Rows already delivered, leased by another worker or not yet due are skipped (safe to call twice)."""
    budget = settings.WEBHOOK_LEASE_SECONDS - settings.OUTBOUND_HTTP_TIMEOUT_SECONDS - 2
    if budget <= 0:
        raise ImproperlyConfigured("WEBHOOK_LEASE_SECONDS must exceed OUTBOUND_HTTP_TIMEOUT_SECONDS + 2")
    report = BatchReport()
    now = clock.now()
    token = secrets.token_hex(16)
    picked = _claim(
        ids=list(delivery_ids), claim_token=claim_token, now=now, token=token, room=settings.WEBHOOK_BATCH_SIZE
    )
    if not picked:
        return report
    deliveries = list(
        WebhookDelivery.objects.filter(pk__in=picked, claim_token=token)
        .select_related("event", "event__environment", "endpoint")
        .order_by("pk")
    )
    report.claimed = len(deliveries)
    # A post starts only if a whole timeout still fits in the lease: the lease never ends under a request.
    deadline = time.monotonic() + budget
    bodies: dict[tuple[int, str], bytes] = {}
    secrets_by_endpoint: dict[int, list[str]] = {}
    results: list[_Result] = []
    canceled: list[int] = []
    gone: set[int] = set()
    for index, delivery in enumerate(deliveries):
        if time.monotonic() > deadline:
            rest = [d.pk for d in deliveries[index:]]
            WebhookDelivery.objects.filter(pk__in=rest, claim_token=token).update(lease_until=None, claim_token="")
            report.released = len(rest)
            enqueue(rest)
            break
        endpoint = delivery.endpoint
        if endpoint.disabled or endpoint.pk in gone:
            canceled.append(delivery.pk)
            continue
        result = _post(delivery, bodies=bodies, secrets_by_endpoint=secrets_by_endpoint)
        results.append(result)
        if result.status_code == 410:
            gone.add(endpoint.pk)  # the rest of this batch for it is canceled, not posted
    _record(results, canceled=canceled, token=token, report=report)
    return report


def event_body(event: Event, *, api_version: str = versioning.LATEST) -> bytes:
    """The exact bytes posted (and signed): the event as ``GET /v1/events/{id}`` shows it to a client on
    ``api_version`` (the endpoint's version: docs/versioning.md)."""
    payload = versioning.render(EventSerializer(event).data, api_version)
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _post(
    delivery: WebhookDelivery, *, bodies: dict[tuple[int, str], bytes], secrets_by_endpoint: dict[int, list[str]]
) -> _Result:
    event, endpoint = delivery.event, delivery.endpoint
    body = bodies.get((event.pk, endpoint.api_version))
    if body is None:
        body = bodies[(event.pk, endpoint.api_version)] = event_body(event, api_version=endpoint.api_version)
    started_at = clock.now()
    keys = secrets_by_endpoint.get(endpoint.pk)
    if keys is None:
        keys = secrets_by_endpoint[endpoint.pk] = signing_secrets(endpoint, now=started_at)
    headers = signing.headers(secrets=keys, msg_id=event.public_id, timestamp=int(started_at.timestamp()), body=body)
    headers["User-Agent"] = USER_AGENT
    started = time.monotonic()
    result = _Result(delivery=delivery, started_at=started_at, duration_ms=0)
    try:
        response = http.post_json(endpoint.url, body=body, headers=headers, session=_http_session())
    except http.OutboundError as exc:
        result.error = "url_forbidden" if isinstance(exc, http.UnsafeUrl) else exc.code
    else:
        result.status_code = response.status_code
        result.excerpt = response.body_excerpt[: settings.WEBHOOK_RESPONSE_EXCERPT_BYTES].decode("utf-8", "replace")
        if not result.succeeded:
            result.error = "redirect" if 300 <= response.status_code < 400 else "http_status"
        if response.status_code in (429, 503):
            result.retry_after = _retry_after(response.headers.get("retry-after"), now=started_at)
    result.duration_ms = round((time.monotonic() - started) * 1000)
    return result


def _retry_after(value: str | None, *, now: datetime) -> float | None:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max((when - now).total_seconds(), 0.0)


def retry_delay(attempts_made: int, *, retry_after: float | None = None) -> float | None:
    """Seconds until the next attempt after ``attempts_made`` attempts, or None when the schedule is exhausted.

    The schedule (``WEBHOOK_RETRY_SCHEDULE``) lists the delay before each attempt: 0 s, 5 s, 5 min, 30 min, 2 h,
    5 h, 10 h, 10 h, each with up to ``WEBHOOK_RETRY_JITTER`` either way so retries from one outage spread out.
    A receiver's ``Retry-After`` replaces the scheduled delay (at least 1 s, at most the longest step)."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if attempts_made >= len(schedule):
        return None
    if retry_after is not None:
        return min(max(retry_after, 1.0), float(max(schedule)))
    delay = float(schedule[attempts_made])
    jitter = settings.WEBHOOK_RETRY_JITTER
    return delay * (1 + random.uniform(-jitter, jitter))  # noqa: S311 - spreading retries, not a secret


def _record(results: list[_Result], *, canceled: list[int], token: str, report: BatchReport) -> None:
    now = clock.now()
    gone: set[int] = set()
    succeeded_endpoints: set[int] = set()
    failed_endpoints: set[int] = set()
    with transaction.atomic():
        # Lock what is left of the batch: an endpoint deleted meanwhile took its deliveries with it (their
        # attempts have nothing to belong to), and a delete waits for this transaction rather than racing it.
        existing = set(
            WebhookDelivery.objects.select_for_update()
            .filter(pk__in=[r.delivery.pk for r in results])
            .values_list("pk", flat=True)
        )
        results = [r for r in results if r.delivery.pk in existing]
        WebhookAttempt.objects.bulk_create(
            [
                WebhookAttempt(
                    delivery_id=r.delivery.pk,
                    endpoint_id=r.delivery.endpoint_id,
                    number=r.delivery.attempts + 1,
                    started_at=r.started_at,
                    duration_ms=r.duration_ms,
                    outcome=WebhookAttempt.Outcome.SUCCEEDED if r.succeeded else WebhookAttempt.Outcome.FAILED,
                    status_code=r.status_code,
                    error=r.error,
                    response_excerpt=r.excerpt,
                )
                for r in results
            ]
        )
        # Rows are written only while still under our claim (claim_token): a resend or replay may have started
        # a new round meanwhile, and that round stands. Successes are written a status code at a time, one
        # UPDATE for the lot (their exact times are in the attempt log); failures, rarer, one by one.
        delivered: dict[int, list[_Result]] = {}
        for r in results:
            if r.succeeded:
                delivered.setdefault(r.status_code or 0, []).append(r)
                succeeded_endpoints.add(r.delivery.endpoint_id)
        for status_code, group in delivered.items():
            written = WebhookDelivery.objects.filter(pk__in=[r.delivery.pk for r in group], claim_token=token).update(
                status=WebhookDelivery.Status.DELIVERED,
                attempts=F("attempts") + 1,
                next_attempt_at=None,
                lease_until=None,
                claim_token="",
                last_attempt_at=max(r.started_at for r in group),
                last_status_code=status_code,
                last_error="",
                delivered_at=now,
            )
            report.delivered += written
            if written < len(group):
                logger.info("webhook_delivery_results_superseded", deliveries=len(group) - written)
        for r in results:
            if r.succeeded:
                continue
            row = r.delivery
            failed_endpoints.add(row.endpoint_id)
            attempts = row.attempts + 1
            if r.status_code == 410:
                gone.add(row.endpoint_id)
            delay = None if r.status_code == 410 else retry_delay(attempts, retry_after=r.retry_after)
            final = delay is None
            written = WebhookDelivery.objects.filter(pk=row.pk, claim_token=token).update(
                status=WebhookDelivery.Status.FAILED if final else PENDING,
                attempts=attempts,
                next_attempt_at=None if delay is None else r.started_at + timedelta(seconds=delay),
                lease_until=None,
                claim_token="",
                last_attempt_at=r.started_at,
                last_status_code=r.status_code,
                last_error=r.error,
            )
            if not written:
                logger.info("webhook_delivery_results_superseded", deliveries=1)
            elif final:
                report.failed += 1
            else:
                report.retrying += 1
        if canceled:
            WebhookDelivery.objects.filter(pk__in=canceled, claim_token=token).update(
                status=WebhookDelivery.Status.CANCELED,
                next_attempt_at=None,
                lease_until=None,
                claim_token="",
                last_error="endpoint_disabled",
            )
        if succeeded_endpoints:
            WebhookEndpoint.objects.filter(pk__in=succeeded_endpoints, failing_since__isnull=False).update(
                failing_since=None
            )
        only_failed = failed_endpoints - succeeded_endpoints
        if only_failed:
            first_failure = min(r.started_at for r in results if r.delivery.endpoint_id in only_failed)
            WebhookEndpoint.objects.filter(pk__in=only_failed, failing_since__isnull=True).update(
                failing_since=first_failure
            )
    for endpoint_id in gone:
        endpoint_disable_automatically(endpoint_id=endpoint_id, reason=WebhookEndpoint.DisabledReason.GONE)
    if only_failed:
        disable_failing_endpoints(endpoint_ids=only_failed - gone)


# --- 5. Sweep -----------------------------------------------------------------------------------------------------
def sweep() -> int:
    """Enqueue what is due and nobody is working on: retries whose time came, and rows due for longer than
    ``WEBHOOK_SWEEP_GRACE_SECONDS`` (their enqueue was lost, or their worker died and the lease ran out). Each
    batch is leased for ``WEBHOOK_SWEEP_LEASE_SECONDS`` under a token its task may claim with, so the next sweep
    does not send it again; if the task is lost too, the lease runs out and a later sweep tries again."""
    now = clock.now()
    grace = now - timedelta(seconds=settings.WEBHOOK_SWEEP_GRACE_SECONDS)
    due = _claimable(now) & (Q(attempts__gt=0) | Q(next_attempt_at__lte=grace))
    size = settings.WEBHOOK_BATCH_SIZE
    swept = 0
    while swept < settings.WEBHOOK_SWEEP_MAX_ROWS:
        token = "sweep-" + secrets.token_hex(8)
        with transaction.atomic():
            ids = list(
                WebhookDelivery.objects.filter(due)
                .order_by("next_attempt_at")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                break
            WebhookDelivery.objects.filter(due, pk__in=ids).update(
                lease_until=now + timedelta(seconds=settings.WEBHOOK_SWEEP_LEASE_SECONDS), claim_token=token
            )
        if not enqueue(ids, claim_token=token):
            # Broker still down: give the rows back so the next sweep sees them at once.
            WebhookDelivery.objects.filter(pk__in=ids, claim_token=token).update(lease_until=None, claim_token="")
            break
        swept += len(ids)
    if swept:
        logger.info("webhook_deliveries_swept", deliveries=swept)
    disable_failing_endpoints()
    return swept
