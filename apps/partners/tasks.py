"""Periodic housekeeping for partners: the request-log retention purge."""

from datetime import timedelta

import structlog
from celery import shared_task
from django.conf import settings

from apps.core import clock
from apps.partners.services.request_logs import request_log_purge

logger = structlog.get_logger(__name__)


@shared_task(soft_time_limit=300, time_limit=360)
def purge_request_logs() -> int:
    """Delete request logs older than REQUEST_LOG_RETENTION_DAYS (hourly from beat)."""
    before = clock.now() - timedelta(days=settings.REQUEST_LOG_RETENTION_DAYS)
    deleted = request_log_purge(before=before)
    logger.info("request_logs_purged", deleted=deleted, before=before.isoformat())
    return deleted
