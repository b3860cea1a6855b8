"""Monitoring follows every posting: ``posting_noted`` is the ledger store's posted hook
(``apps.wallets.store.add_posted_hook``, registered in ``apps.risk.apps``). Inside the posting's transaction it only
notes the holders whose money wallets the posting changed, and the posting's time; once the transaction commits one
callback sends ``monitor_holders`` for all of them (one message per transaction, whatever it posted). Nothing here
can fail or slow the payment: the note is a set in memory, and a publish that fails (the broker is down) is logged,
not raised. A lost message costs little: every run reads the holder's whole window, so the holder's next posting
looks at the missed one again.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from celery import current_app
from django.db import transaction

from apps.risk.monitoring.rules import enabled
from apps.wallets.currencies import POINTS
from apps.wallets.store import Posting

logger = structlog.get_logger(__name__)

# Sent by name: Celery imports the tasks module; nothing else does.
MONITOR_TASK = "apps.risk.tasks.monitor_holders"
# Holders per message: a transaction that touched many (a bulk job) is spread over several runs.
BATCH = 200


@dataclass
class _Noted:
    """The holders a transaction's postings touched, by the clock they were posted on (the partner's sandbox
    clock, or real time for live: ``None``), with the latest posting time on each."""

    at: dict[int | None, datetime] = field(default_factory=dict)
    holders: dict[int | None, set[int]] = field(default_factory=dict)
    flushed: bool = False

    def flush(self) -> None:
        self.flushed = True
        for clock_of, holder_ids in self.holders.items():
            enqueue(holder_ids, at=self.at[clock_of])


def posting_noted(posting: Posting) -> None:
    """Posted hook: note the posting's holders for a monitoring run once its transaction commits."""
    holder_ids = {wallet.holder_id for wallet in posting.wallets if wallet.currency != POINTS}
    if not holder_ids or not enabled():
        return
    journal = posting.journal
    conn = transaction.get_connection()
    noted: _Noted | None = getattr(conn, "_monitoring_noted", None)
    # Reuse the collector only while its callback is still waiting: a rolled back transaction's is gone, a
    # committed one's has run.
    if noted is None or noted.flushed or not any(callback[1] == noted.flush for callback in conn.run_on_commit):
        noted = _Noted()
        conn._monitoring_noted = noted
        transaction.on_commit(noted.flush)
    clock_of = journal.partner_id
    if clock_of not in noted.at or journal.posted_at > noted.at[clock_of]:
        noted.at[clock_of] = journal.posted_at
    noted.holders.setdefault(clock_of, set()).update(holder_ids)


def enqueue(holder_ids: Iterable[int], *, at: datetime) -> bool:
    """Send ``monitor_holders`` for ``holder_ids`` with the postings' time ``at``. Never raises: with the broker
    down the run is skipped and logged (the holder's next posting covers it)."""
    ids = sorted(holder_ids)
    try:
        for start in range(0, len(ids), BATCH):
            # retry=False: with the broker down, answer the payment's caller now instead of retrying the publish.
            kwargs = {"holder_ids": ids[start : start + BATCH], "at": at.isoformat()}
            current_app.signature(MONITOR_TASK, kwargs=kwargs).apply_async(retry=False)
    except Exception as exc:
        logger.warning("monitoring_enqueue_failed", holders=len(ids), error=type(exc).__name__)
        return False
    return True
