"""Sandbox work for the worker, enqueued by name from ``apps.partners.services.sandbox`` (nothing in ``apps``
imports the sandbox): seeding a new partner's sandbox, resetting one, and the sweeper that re-sends requests
whose message was lost."""

from datetime import timedelta

import structlog
from celery import shared_task

from apps.partners.services import sandbox_seed_stale
from apps.partners.services.sandbox import RESET_TASK, SEED_TASK, enqueue
from sandbox.lifecycle import sandbox_reset_run, sandbox_seed_run

logger = structlog.get_logger(__name__)

STALE_AFTER = timedelta(minutes=10)


@shared_task(name=SEED_TASK, soft_time_limit=600, time_limit=660)
def sandbox_seed_task(*, environment_id: str) -> None:
    sandbox_seed_run(environment_id=environment_id)


@shared_task(name=RESET_TASK, soft_time_limit=600, time_limit=660)
def sandbox_reset_task(*, environment_id: str) -> None:
    sandbox_reset_run(environment_id=environment_id)


@shared_task(soft_time_limit=60, time_limit=90)
def sandbox_sweep() -> int:
    """Re-send seed and reset requests no worker has claimed for ``STALE_AFTER`` (beat runs it)."""
    stale = sandbox_seed_stale(older_than=STALE_AFTER)
    for environment_id, task in stale:
        enqueue(task, environment_id=environment_id)
    if stale:
        logger.info("sandbox_requests_resent", count=len(stale))
    return len(stale)
