"""The bank rail's worker side: ``transfer_advance_task`` runs one settlement step of a top-up or payout, and
``sweep_due_transfers`` (beat, every 5 s) finds due steps in the database, so a lost message, a dead worker or a
broker outage delays a settlement but never loses it."""

import structlog
from celery import shared_task
from django.utils import timezone

from apps.transfers.models import Transfer
from apps.transfers.services import transfer_advance, transfers_due

logger = structlog.get_logger(__name__)


@shared_task(soft_time_limit=30, time_limit=45)
def transfer_advance_task(*, transfer_id: str) -> str | None:
    """Run the due rail step of transfer ``transfer_id`` (a no-op when none is due: the step is decided under
    the transfer's lock, so duplicates are harmless). Returns the status it left, or None."""
    pk = Transfer.objects.filter(public_id=transfer_id).values_list("pk", flat=True).first()
    if pk is None:
        return None
    transfer = transfer_advance(transfer_pk=pk)
    if transfer is None:
        return None
    logger.info("transfer_advanced", transfer=transfer_id, status=transfer.status)
    return transfer.status


@shared_task(soft_time_limit=20, time_limit=30)
def sweep_due_transfers() -> int:
    """Enqueue every due (or orphaned) rail step, each claimed with a short lease. Returns how many."""
    claimed = transfers_due(now=timezone.now())
    for transfer_id in claimed:
        try:
            transfer_advance_task.apply_async(kwargs={"transfer_id": transfer_id})
        except Exception:  # the broker is down: the lease runs out and the next sweep tries again
            logger.warning("transfer_sweep_enqueue_failed", transfer=transfer_id, exc_info=True)
            break
    if claimed:
        logger.info("transfers_swept", count=len(claimed))
    return len(claimed)
