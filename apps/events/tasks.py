"""Periodic event work: the ``api_key.expiring`` notice a week before a secret key expires, and the retention purge."""

import structlog
from celery import shared_task
from django.db import transaction

from apps.core import clock
from apps.events.models import Event
from apps.events.selectors import retention_cutoff
from apps.events.services import record
from apps.partners.models import ApiKey
from apps.partners.selectors.api_keys import API_KEY_EXPIRING_WINDOW, api_key_expiring_ids
from apps.partners.snapshots import api_key_event_snapshot

logger = structlog.get_logger(__name__)


def _notify_expiring(*, api_key_id: int) -> bool:
    """Record ``api_key.expiring`` for one key and mark it notified, in one transaction. False when the key
    no longer qualifies (revoked, already notified, expiry moved) or another run holds it."""
    with transaction.atomic():
        api_key = (
            ApiKey.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("partner", "environment", "rolled_to")
            .filter(pk=api_key_id, revoked_at__isnull=True, expiring_notified_at__isnull=True)
            .first()
        )
        if api_key is None or api_key.expires_at is None:
            return False
        now = clock.now(environment=api_key.environment)
        if not now < api_key.expires_at <= now + API_KEY_EXPIRING_WINDOW:
            return False
        # The conditional update is the claim: of two overlapping runs only one sees a row to update, even on
        # databases where the row lock above is a no-op.
        claimed = ApiKey.objects.filter(pk=api_key.pk, expiring_notified_at__isnull=True).update(
            expiring_notified_at=now
        )
        if not claimed:
            return False
        record(
            type="api_key.expiring",
            partner=api_key.partner,
            environment=api_key.environment,
            obj=api_key,
            data=api_key_event_snapshot(api_key),
        )
        return True


@shared_task(soft_time_limit=120, time_limit=180)
def notify_expiring_api_keys() -> int:
    """Emit ``api_key.expiring`` once per unrevoked key that expires within 7 days. Runs hourly from beat;
    running it twice (or two at once) never notifies a key twice."""
    notified = sum(_notify_expiring(api_key_id=pk) for pk in api_key_expiring_ids(now=clock.now()))
    logger.info("api_keys_expiring_notified", notified=notified)
    return notified


@shared_task(soft_time_limit=300, time_limit=360)
def purge_expired_events(*, batch_size: int = 1000) -> int:
    """Delete events past retention (their webhook deliveries and attempts go with them), a batch at a time so
    no transaction holds the table for long. Runs hourly from beat."""
    cutoff = retention_cutoff()
    deleted = 0
    while True:
        ids = list(Event.objects.filter(created_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        Event.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    logger.info("events_purged", deleted=deleted)
    return deleted
