"""Periodic checks of the ledger: ``reconcile_ledger`` runs hourly from beat."""

from typing import Any

import structlog
from celery import shared_task

from apps.core import clock
from apps.wallets.reconciliation import reconcile, result_record

logger = structlog.get_logger(__name__)

# How many mismatches the error log line carries; the count is always complete and
# ``manage.py reconcile_ledger --json`` lists them all.
LOGGED_MISMATCHES = 20


@shared_task(soft_time_limit=900, time_limit=960)
def reconcile_ledger() -> dict[str, Any]:
    """Recompute every wallet's balances from the book and check that journals and currencies sum to zero.
    Reads only, so overlapping runs are harmless. A mismatch is logged as an error (the count and the first
    ``LOGGED_MISMATCHES``) and the outcome is kept for /metrics; nothing is corrected automatically: corrections
    are reversing journals a person decides on."""
    report = reconcile()
    result_record(report=report, finished_at=clock.now())
    summary = {
        "ok": report.ok,
        "wallets_checked": report.wallets_checked,
        "mismatch_count": len(report.mismatches),
    }
    if report.ok:
        logger.info("ledger_reconciled", **summary)
    else:
        logger.error("ledger_reconciliation_failed", **summary, mismatches=report.mismatches[:LOGGED_MISMATCHES])
    return summary
