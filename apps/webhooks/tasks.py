"""Webhook delivery tasks (queue ``webhooks``). They take ids only and guard on the rows' state, so a task that
runs twice, late, or after another worker already did the work, does nothing harmful. Nothing imports this module:
services send ``deliver`` by name (``apps.webhooks.services.delivery.DELIVER_TASK``)."""

import structlog
from celery import shared_task

from apps.webhooks.services import delivery

logger = structlog.get_logger(__name__)


@shared_task(soft_time_limit=90, time_limit=120)
def deliver(*, delivery_ids: list[int], claim_token: str = "") -> int:
    """Post these deliveries (and other due ones, up to a batch). Returns how many were attempted."""
    report = delivery.deliver_batch(delivery_ids=delivery_ids, claim_token=claim_token)
    return report.claimed


@shared_task(soft_time_limit=50, time_limit=60)
def sweep_deliveries() -> int:
    """Beat, every few seconds: enqueue due retries and orphaned deliveries; disable endpoints failing too long."""
    return delivery.sweep()
