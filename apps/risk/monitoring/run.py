"""A monitoring run: read a holder's window, run every rule over it, raise what the rules found.

Runs in the worker (``apps.risk.tasks.monitor_holders``), after the postings committed, never on the payment's
path. Raising is idempotent (``alert_raise`` by each finding's dedupe key), so a run repeated by a redelivered
message, or by the next posting while the pattern still stands, adds nothing; the alerts about one holder gather
on their one open case.
"""

from collections.abc import Iterable
from datetime import datetime

from apps.risk.alerts import alert_raise
from apps.risk.monitoring.detectors import Finding, detect
from apps.risk.monitoring.history import holder_window
from apps.risk.monitoring.rules import parameters
from apps.wallets.models import WalletHolder


def holder_monitor(*, holder: WalletHolder, at: datetime) -> list[Finding]:
    """Run the rules over ``holder``'s window ending at ``at`` (the postings' time, on their environment's clock)
    and raise an alert for each finding; returns the findings."""
    params = parameters()
    if not params.enabled:
        return []
    window = holder_window(holder_id=holder.pk, at=at, hours=params.window_hours, max_rows=params.max_rows)
    findings = detect(window, params)
    for finding in findings:
        alert_raise(
            holder=holder,
            kind=finding.kind,
            summary=finding.summary,
            evidence=finding.evidence,
            dedupe_key=finding.dedupe_key,
        )
    return findings


def holders_monitor(*, holder_ids: Iterable[int], at: datetime) -> int:
    """``holder_monitor`` for each of ``holder_ids`` that still exists (a sandbox reset may have purged one since);
    returns how many findings they had."""
    found = 0
    for holder in WalletHolder.objects.filter(pk__in=list(holder_ids)).order_by("pk"):
        found += len(holder_monitor(holder=holder, at=at))
    return found
