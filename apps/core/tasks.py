"""Periodic housekeeping for the core."""

import structlog
from celery import shared_task

from apps.core import idempotency

logger = structlog.get_logger(__name__)


@shared_task(soft_time_limit=120, time_limit=180)
def purge_idempotency_keys() -> int:
    deleted = idempotency.purge_expired()
    logger.info("idempotency_keys_purged", deleted=deleted)
    return deleted
