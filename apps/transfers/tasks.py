"""The bank rail's worker side: ``transfer_advance_task`` runs one settlement step of a top-up or payout, and
``sweep_due_transfers`` (beat, every 5 s) finds due steps in the database, so a lost message, a dead worker or a
broker outage delays a settlement but never loses it."""

import structlog
from celery import shared_task
from django.utils import timezone

from apps.core import clock
from apps.transfers.lifecycle import transfer_advance, transfers_due
from apps.transfers.models import Transfer

logger = structlog.get_logger(__name__)

# A step found not yet due by at most this much is rescheduled by the task itself.
EARLY_FOLLOW_UP_SECONDS = 60


@shared_task(soft_time_limit=30, time_limit=45)
def transfer_advance_task(*, transfer_id: str) -> str | None:
    """Run the due rail step of transfer ``transfer_id`` (a no-op when none is due: the step is decided under
    the transfer's lock, so duplicates are harmless). Returns the status it left, or None."""
    pk = Transfer.objects.filter(public_id=transfer_id).values_list("pk", flat=True).first()
    if pk is None:
        return None
    transfer = transfer_advance(transfer_pk=pk)
    if transfer is None:
        _follow_up_if_early(pk)
        return None
    logger.info("transfer_advanced", transfer=transfer_id, status=transfer.status)
    return transfer.status


def _follow_up_if_early(pk: int) -> None:
    """A countdown message that arrived before its step was due (timer slack): schedule it again for when it
    is, rather than leave it to the sweeper's lease."""
    row = (
        Transfer.objects.filter(pk=pk, status__in=[Transfer.Status.PENDING, Transfer.Status.PROCESSING])
        .select_related("environment")
        .only("public_id", "next_action_at", "environment__clock_offset", "environment__kind")
        .first()
    )
    if row is None or row.next_action_at is None:
        return
    wait = (row.next_action_at - clock.now(environment=row.environment)).total_seconds()
    if 0 < wait <= EARLY_FOLLOW_UP_SECONDS:
        transfer_advance_task.apply_async(kwargs={"transfer_id": row.public_id}, countdown=wait + 0.05)


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
