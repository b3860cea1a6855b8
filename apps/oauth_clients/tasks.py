"""Periodic consent work (beat): ``consent.expiring`` a week before a consent expires, and expiry itself, each
judged on the consent's environment's clock (the sandbox clock moves them in sandbox). Bounded batches; running a
task twice, or two at once, notifies or expires a consent once."""

import structlog
from celery import shared_task

from apps.core import clock
from apps.oauth_clients.selectors import consent_due_ids, consent_expiring_ids
from apps.oauth_clients.services.consents import EXPIRING_WINDOW, consent_expire, consent_notify_expiring

logger = structlog.get_logger(__name__)

BATCH = 500


@shared_task(soft_time_limit=120, time_limit=180)
def expire_consents(*, batch_size: int = BATCH) -> int:
    """Expire up to ``batch_size`` consents whose ``expires_at`` has passed (``consent.expired``); the next run
    takes the rest."""
    expired = sum(consent_expire(consent_id=pk) for pk in consent_due_ids(now=clock.now(), limit=batch_size))
    logger.info("consents_expired", expired=expired)
    return expired


@shared_task(soft_time_limit=120, time_limit=180)
def notify_expiring_consents(*, batch_size: int = BATCH) -> int:
    """Record ``consent.expiring`` once for up to ``batch_size`` authorized consents that expire within 7 days."""
    ids = consent_expiring_ids(now=clock.now(), within=EXPIRING_WINDOW, limit=batch_size)
    notified = sum(consent_notify_expiring(consent_id=pk) for pk in ids)
    logger.info("consents_expiring_notified", notified=notified)
    return notified
