"""Reconciliation: every wallet's balances recomputed from the book, and the book's own invariants checked. Reads
only (the ``reconcile_ledger`` task and command report what it finds)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Sum

from apps.wallets.models import Entry, Hold, Journal, LedgerAccount, Wallet


@dataclass
class ReconciliationReport:
    wallets_checked: int = 0
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    currency_totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches


# The last run's outcome, for /metrics (apps/wallets/metrics.py): kept in the shared cache so the scraping process
# sees what a Celery worker found, without running the check itself.
LAST_RESULT_CACHE_KEY = "wallets:reconciliation:last"


def result_record(*, report: ReconciliationReport, finished_at: datetime) -> None:
    """Remember a run's outcome (ok, wallets checked, mismatches, when) until the next run replaces it."""
    cache.set(
        LAST_RESULT_CACHE_KEY,
        {
            "ok": report.ok,
            "wallets_checked": report.wallets_checked,
            "mismatch_count": len(report.mismatches),
            "finished_at": finished_at.timestamp(),
        },
        timeout=None,
    )


def result_last() -> dict[str, Any] | None:
    """The outcome ``result_record`` kept last, or None if no run has finished since the cache was emptied."""
    return cache.get(LAST_RESULT_CACHE_KEY)


def reconcile() -> ReconciliationReport:
    """Recompute every wallet's balances from its entries and holds, and check that every journal has two or more
    entries summing to zero per currency, that each entry's currency is its account's, and that all accounts sum
    to zero per currency. Reads only; reports every mismatch (each a dict with a ``kind``).

    On PostgreSQL, called outside a transaction, it reads one REPEATABLE READ snapshot: its several queries would
    otherwise see postings that commit between them and report mismatches that do not exist."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return _reconcile()
    return _reconcile()


def _reconcile() -> ReconciliationReport:
    report = ReconciliationReport()
    entry_sums = dict(
        Entry.objects.filter(account__kind=LedgerAccount.Kind.WALLET)
        .values_list("account__wallet_id")
        .annotate(total=Sum("amount"))
        .values_list("account__wallet_id", "total")
    )
    held = dict(
        Hold.objects.filter(status=Hold.Status.HELD)
        .values_list("wallet_id")
        .annotate(total=Sum("amount"))
        .values_list("wallet_id", "total")
    )
    for wallet_pk, public_id, ledger, available in Wallet.objects.values_list(
        "pk", "public_id", "ledger_balance", "available_balance"
    ).iterator():
        report.wallets_checked += 1
        expected_ledger = entry_sums.get(wallet_pk, 0) or 0
        expected_available = expected_ledger - (held.get(wallet_pk, 0) or 0)
        if ledger != expected_ledger or available != expected_available:
            report.mismatches.append(
                {
                    "kind": "wallet_balance",
                    "wallet": public_id,
                    "ledger_balance": ledger,
                    "expected_ledger_balance": expected_ledger,
                    "available_balance": available,
                    "expected_available_balance": expected_available,
                }
            )
    # PostgreSQL refuses these at commit; SQLite has no deferred trigger, so this is where they would show.
    for journal_id, currency, total in (
        Entry.objects.values_list("journal_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .values_list("journal_id", "currency", "total")
        .order_by("journal_id", "currency")
    ):
        report.mismatches.append(
            {"kind": "journal_unbalanced", "journal": journal_id, "currency": currency, "sum": total}
        )
    for journal_id, count in (
        Journal.objects.annotate(count=Count("entries")).filter(count__lt=2).values_list("pk", "count").order_by("pk")
    ):
        report.mismatches.append({"kind": "journal_too_few_entries", "journal": journal_id, "entries": count})
    for entry_id, journal_id, currency, account_currency in (
        Entry.objects.exclude(currency=F("account__currency"))
        .values_list("pk", "journal_id", "currency", "account__currency")
        .order_by("pk")
    ):
        report.mismatches.append(
            {
                "kind": "entry_currency",
                "entry": entry_id,
                "journal": journal_id,
                "currency": currency,
                "account_currency": account_currency,
            }
        )
    for currency, total in (
        Entry.objects.values_list("currency")
        .annotate(total=Sum("amount"))
        .values_list("currency", "total")
        .order_by("currency")
    ):
        report.currency_totals[currency] = total
        if total != 0:
            report.mismatches.append({"kind": "currency_total", "currency": currency, "sum_of_all_entries": total})
    return report
