"""Reconciliation: ``reconciliation.reconcile()``, the ``reconcile_ledger`` task and ``manage.py reconcile_ledger``."""

import json
from io import StringIO

import pytest
import structlog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from apps.wallets import ledger, reconciliation, services, tasks
from apps.wallets.models import Entry, Journal, Wallet

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    """Undo a deliberately broken book before it reaches a commit (PostgreSQL would refuse it there)."""


@pytest.fixture
def book(holder):
    """A small healthy book: two currencies, a captured hold, an open hold, a refund."""
    usd = services.wallet_open(holder=holder, currency="USD")
    jpy = services.wallet_open(holder=holder, currency="JPY")
    services.external_credit(wallet=usd, amount=10_000, type="deposit", category="salary")
    services.external_credit(wallet=jpy, amount=5_000, type="deposit", category="income")
    payment = services.external_debit(wallet=usd, amount=1_200, type="card_payment", category="dining")
    services.transaction_reverse(txn=payment)
    captured = services.hold_place(wallet=usd, amount=700)
    services.hold_capture(hold=captured.hold, amount=650)
    services.hold_place(wallet=jpy, amount=1_000)
    return usd, jpy


def corrupt(wallet: Wallet, *, ledger_delta: int = 0, available_delta: int = 0) -> None:
    """Change a cached balance behind the ledger's back, as a bad migration or a manual fix would."""
    wallet.refresh_from_db()
    Wallet.objects.filter(pk=wallet.pk).update(
        ledger_balance=wallet.ledger_balance + ledger_delta,
        available_balance=wallet.available_balance + available_delta,
    )


def run_command(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("reconcile_ledger", *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def post_unbalanced_journal(holder, wallet: Wallet) -> Journal:
    """Entries written straight through the ORM, bypassing ``journal_post``."""
    journal = Journal.objects.create(
        kind="manual", environment="sandbox", partner=holder.partner, posted_at=wallet.created_at
    )
    clearing = ledger.system_account(
        code=ledger.CLEARING_BANK, currency="USD", environment="sandbox", partner=holder.partner
    )
    Entry.objects.create(journal=journal, account=ledger.wallet_account(wallet), amount=500, currency="USD")
    Entry.objects.create(journal=journal, account=clearing, amount=-499, currency="USD")
    return journal


class TestReconcile:
    def test_a_healthy_book_reconciles(self, book):
        report = reconciliation.reconcile()

        assert report.ok, report.mismatches
        assert report.wallets_checked == 2
        assert report.currency_totals == {"JPY": 0, "USD": 0}

    def test_a_corrupted_ledger_balance_is_reported_with_what_the_entries_say(self, book):
        usd, _ = book
        corrupt(usd, ledger_delta=100, available_delta=100)

        report = reconciliation.reconcile()

        assert not report.ok
        assert report.mismatches == [
            {
                "kind": "wallet_balance",
                "wallet": usd.public_id,
                "ledger_balance": 9_450,
                "expected_ledger_balance": 9_350,
                "available_balance": 9_450,
                "expected_available_balance": 9_350,
            }
        ]

    def test_an_available_balance_that_forgets_a_hold_is_reported(self, book):
        _, jpy = book
        corrupt(jpy, available_delta=1_000)

        [mismatch] = reconciliation.reconcile().mismatches

        assert mismatch["wallet"] == jpy.public_id
        assert (mismatch["available_balance"], mismatch["expected_available_balance"]) == (5_000, 4_000)

    def test_an_unbalanced_journal_is_reported_with_the_currency_total(self, holder, book):
        usd, _ = book
        with pytest.raises(_Rollback), transaction.atomic():
            journal = post_unbalanced_journal(holder, usd)
            report = reconciliation.reconcile()
            raise _Rollback

        kinds = {m["kind"]: m for m in report.mismatches}
        assert kinds["journal_unbalanced"] == {
            "kind": "journal_unbalanced",
            "journal": journal.pk,
            "currency": "USD",
            "sum": 1,
        }
        assert kinds["currency_total"]["sum_of_all_entries"] == 1
        # The wallet's cached balance never saw the stray entry either.
        assert kinds["wallet_balance"]["wallet"] == usd.public_id

    def test_a_journal_with_one_entry_is_reported(self, holder, book):
        usd, _ = book
        with pytest.raises(_Rollback), transaction.atomic():
            journal = Journal.objects.create(
                kind="manual", environment="sandbox", partner=holder.partner, posted_at=usd.created_at
            )
            report = reconciliation.reconcile()
            raise _Rollback

        assert {"kind": "journal_too_few_entries", "journal": journal.pk, "entries": 0} in report.mismatches

    def test_an_entry_in_another_currency_than_its_account_is_reported(self, holder, book):
        usd, jpy = book
        with pytest.raises(_Rollback), transaction.atomic():
            journal = Journal.objects.create(
                kind="manual", environment="sandbox", partner=holder.partner, posted_at=usd.created_at
            )
            Entry.objects.create(journal=journal, account=ledger.wallet_account(usd), amount=5, currency="JPY")
            Entry.objects.create(journal=journal, account=ledger.wallet_account(jpy), amount=-5, currency="JPY")
            report = reconciliation.reconcile()
            raise _Rollback

        [wrong] = [m for m in report.mismatches if m["kind"] == "entry_currency"]
        assert (wrong["journal"], wrong["currency"], wrong["account_currency"]) == (journal.pk, "JPY", "USD")


class TestReconcileLedgerCommand:
    def test_a_clean_book_prints_ok_and_exits_0(self, book):
        output, error = run_command()

        assert error is None
        assert "Wallets checked: 2" in output
        assert "OK: the ledger reconciles." in output

    def test_a_clean_book_as_json(self, book):
        output, error = run_command("--json")

        assert error is None
        assert json.loads(output) == {
            "ok": True,
            "wallets_checked": 2,
            "mismatch_count": 0,
            "mismatches": [],
            "currency_totals": {"JPY": 0, "USD": 0},
        }

    def test_an_empty_book_is_clean(self):
        output, error = run_command("--json")

        assert error is None and json.loads(output)["wallets_checked"] == 0

    def test_a_corrupted_cached_balance_exits_1_naming_the_wallet(self, book):
        usd, jpy = book
        corrupt(usd, ledger_delta=-50, available_delta=-50)

        output, error = run_command()

        assert error is not None and error.returncode == 1
        assert "1 mismatch(es)" in str(error)
        assert usd.public_id in output
        assert jpy.public_id not in output
        assert "ledger balance 9300 (entries say 9350)" in output

    def test_json_output_stays_pure_json_when_the_book_is_wrong(self, book):
        usd, _ = book
        corrupt(usd, ledger_delta=1, available_delta=1)

        output, error = run_command("--json")

        assert error is not None and error.returncode == 1
        report = json.loads(output)
        assert (report["ok"], report["mismatch_count"]) == (False, 1)
        assert report["mismatches"][0]["wallet"] == usd.public_id

    def test_an_unbalanced_journal_is_described(self, holder, book):
        usd, _ = book
        with pytest.raises(_Rollback), transaction.atomic():
            journal = post_unbalanced_journal(holder, usd)
            output, error = run_command()
            raise _Rollback

        assert error is not None and error.returncode == 1
        assert f"journal {journal.pk}: entries sum to 1 in USD, not 0" in output
        assert "currency USD: all accounts sum to 1, not 0" in output


class TestReconcileLedgerTask:
    @pytest.fixture
    def logs(self, monkeypatch):
        with structlog.testing.capture_logs() as captured:
            # A logger made inside capture_logs, so the module's cached one cannot bypass the capture.
            monkeypatch.setattr(tasks, "logger", structlog.get_logger("apps.wallets.tasks"))
            yield captured

    def test_is_registered_under_its_beat_name_with_time_limits(self, settings):
        task = tasks.reconcile_ledger
        assert task.name == "apps.wallets.tasks.reconcile_ledger"
        assert (task.soft_time_limit, task.time_limit) == (900, 960)
        scheduled = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
        assert task.name in scheduled

    def test_a_clean_book_logs_info(self, book, logs):
        assert tasks.reconcile_ledger.apply().get() == {"ok": True, "wallets_checked": 2, "mismatch_count": 0}

        [line] = logs
        assert (line["event"], line["log_level"]) == ("ledger_reconciled", "info")

    def test_a_mismatch_logs_an_error_with_the_count_and_the_first_mismatches(self, holder, book, logs, monkeypatch):
        monkeypatch.setattr(tasks, "LOGGED_MISMATCHES", 2)
        wallets = [services.wallet_open(holder=holder, currency=code) for code in ("EUR", "GBP", "CHF")]
        for wallet in wallets:
            services.external_credit(wallet=wallet, amount=100, type="deposit", category="income")
            corrupt(wallet, ledger_delta=1, available_delta=1)

        summary = tasks.reconcile_ledger()

        assert summary == {"ok": False, "wallets_checked": 5, "mismatch_count": 3}
        [line] = logs
        assert (line["event"], line["log_level"]) == ("ledger_reconciliation_failed", "error")
        assert line["mismatch_count"] == 3
        assert len(line["mismatches"]) == 2
        assert {m["wallet"] for m in line["mismatches"]} <= {w.public_id for w in wallets}
