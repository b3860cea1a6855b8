"""``manage.py reconcile_ledger [--json]``: check the book and exit 1 on any mismatch (0 when it is clean)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.core import clock
from apps.wallets.reconciliation import ReconciliationReport, reconcile, result_record


def describe(mismatch: dict[str, Any]) -> str:
    """One line a person can act on."""
    kind = mismatch.get("kind")
    if kind == "wallet_balance":
        return (
            f"wallet {mismatch['wallet']}: ledger balance {mismatch['ledger_balance']} "
            f"(entries say {mismatch['expected_ledger_balance']}), available {mismatch['available_balance']} "
            f"(entries and holds say {mismatch['expected_available_balance']})"
        )
    if kind == "journal_unbalanced":
        return f"journal {mismatch['journal']}: entries sum to {mismatch['sum']} in {mismatch['currency']}, not 0"
    if kind == "journal_too_few_entries":
        return f"journal {mismatch['journal']}: {mismatch['entries']} entries (a journal needs two or more)"
    if kind == "entry_currency":
        return (
            f"entry {mismatch['entry']} of journal {mismatch['journal']}: {mismatch['currency']} "
            f"on a {mismatch['account_currency']} account"
        )
    if kind == "currency_total":
        return f"currency {mismatch['currency']}: all accounts sum to {mismatch['sum_of_all_entries']}, not 0"
    return json.dumps(mismatch, sort_keys=True)


class Command(BaseCommand):
    help = (
        "Recompute every wallet's balances from its ledger entries and holds, and check that every journal and "
        "every currency sums to zero. Exit status 1 on any mismatch, 0 when the book is clean."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print only the JSON report on stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = reconcile()
        result_record(report=report, finished_at=clock.now())
        if options["json"]:
            self.stdout.write(json.dumps(self._as_json(report), sort_keys=True))
        else:
            self._write_human(report)
        if not report.ok:
            # CommandError goes to stderr, so --json keeps stdout pure JSON; its returncode is the exit status.
            raise CommandError(f"the ledger does not reconcile: {len(report.mismatches)} mismatch(es)", returncode=1)

    @staticmethod
    def _as_json(report: ReconciliationReport) -> dict[str, Any]:
        return {
            "ok": report.ok,
            "wallets_checked": report.wallets_checked,
            "mismatch_count": len(report.mismatches),
            "mismatches": report.mismatches,
            "currency_totals": report.currency_totals,
        }

    def _write_human(self, report: ReconciliationReport) -> None:
        self.stdout.write(f"Wallets checked: {report.wallets_checked}")
        if report.currency_totals:
            totals = ", ".join(f"{currency} {total}" for currency, total in sorted(report.currency_totals.items()))
            self.stdout.write(f"Sum of all entries per currency (must be 0): {totals}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("OK: the ledger reconciles."))
            return
        self.stdout.write(self.style.ERROR(f"{len(report.mismatches)} mismatch(es):"))
        for mismatch in report.mismatches:
            self.stdout.write(f"  - {describe(mismatch)}")
