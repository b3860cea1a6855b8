"""Monitoring follows every posting: ``posting_noted`` is the ledger store's posted hook
(``apps.wallets.store.add_posted_hook``, registered in ``apps.risk.apps``). Inside the posting's transaction it only
notes the holders whose money wallets the posting changed, and the posting's time; once the transaction commits the
note goes to this process's sender (``settings.RISK_MONITORING_SENDER = "thread"``): a background thread that, every
``RISK_MONITORING_SEND_SECONDS``, merges the notes gathered since its last round and sends ``monitor_holders`` for
them, one message per clock and hour of posting time however many transactions there were (a message costs about
as much CPU as a fifth of a transfer, so one per transaction would be a fifth more per payment). With ``"sync"``
(tests) the message goes at commit. Nothing here can fail or slow the payment: the note is a set in memory, a
full queue drops the note (counted, logged), and a publish that fails (the broker is down) is logged, not raised.
A lost or late note costs little: every run reads the holder's whole window, so the holder's next posting looks
at the missed one again.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import structlog
from celery import current_app
from django.conf import settings
from django.db import transaction

from apps.core.background import BatchWriter, PerProcess
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
        notes = [(clock_of, frozenset(holder_ids), self.at[clock_of]) for clock_of, holder_ids in self.holders.items()]
        if settings.RISK_MONITORING_SENDER == "thread":
            for note in notes:
                sender.get().submit(note)
        else:
            send(notes)


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


Note = tuple[int | None, frozenset[int], datetime]


def send(notes: Iterable[Note]) -> None:
    """Send the monitoring runs ``notes`` ask for, merged: the holders of each clock (a sandbox partner's, or real
    time: ``None``) and hour of posting time in one run, windows ending at the latest posting among them (so every
    merged posting lies in its holder's window; postings hours apart on one sandbox clock, moved on meanwhile,
    stay apart)."""
    merged: dict[tuple[int | None, datetime], set[int]] = {}
    latest: dict[tuple[int | None, datetime], datetime] = {}
    for clock_of, holder_ids, at in notes:
        key = (clock_of, at.replace(minute=0, second=0, microsecond=0))
        merged.setdefault(key, set()).update(holder_ids)
        latest[key] = max(at, latest.get(key, at))
    for key, holders in merged.items():
        enqueue(holders, at=latest[key])


sender = PerProcess(
    lambda: BatchWriter(
        name="monitoring-sender",
        log_prefix="monitoring_notes",
        queue_size=settings.RISK_MONITORING_QUEUE_SIZE,
        batch_size=settings.RISK_MONITORING_QUEUE_SIZE,
        flush_seconds=settings.RISK_MONITORING_SEND_SECONDS,
        write=send,
    )
)
