"""The last ledger reconciliation on /metrics, read from where the task left it (docs/operations.md)."""

from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric

from apps.wallets.reconciliation import result_last


def collect_reconciliation() -> Iterable[Metric]:
    """Nothing until a run has finished (alert on ``absent(causeway_ledger_reconciliation_ok)`` and on the
    timestamp's age: the task runs hourly)."""
    last = result_last()
    if last is None:
        return
    yield GaugeMetricFamily(
        "causeway_ledger_reconciliation_ok",
        "1 if the last ledger reconciliation found the book clean, else 0.",
        value=1 if last["ok"] else 0,
    )
    yield GaugeMetricFamily(
        "causeway_ledger_reconciliation_mismatches",
        "Mismatches the last ledger reconciliation found.",
        value=last["mismatch_count"],
    )
    yield GaugeMetricFamily(
        "causeway_ledger_reconciliation_wallets_checked",
        "Wallets the last ledger reconciliation recomputed.",
        value=last["wallets_checked"],
    )
    yield GaugeMetricFamily(
        "causeway_ledger_reconciliation_last_run_timestamp_seconds",
        "When the last ledger reconciliation finished (Unix time).",
        value=last["finished_at"],
    )
