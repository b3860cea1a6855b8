"""The last ledger reconciliation on /metrics: nothing before a run, then what the task found."""

import pytest
from django.utils import timezone

from apps.wallets import services, tasks
from apps.wallets.models import Wallet
from tests.helpers import metric, scrape_metrics

pytestmark = pytest.mark.django_db

OK = "causeway_ledger_reconciliation_ok"


class TestReconciliationMetrics:
    def test_before_any_run_there_is_no_status(self):
        samples = scrape_metrics()

        assert not [key for key in samples if key[0].startswith("causeway_ledger_reconciliation")]

    def test_a_clean_run_then_a_broken_book(self, holder):
        wallet = services.wallet_open(holder=holder, currency="USD")
        services.external_credit(wallet=wallet, amount=5_000, type="deposit", category="salary")
        started = timezone.now().timestamp()

        tasks.reconcile_ledger()
        clean = scrape_metrics()

        assert metric(clean, OK) == 1
        assert metric(clean, "causeway_ledger_reconciliation_mismatches") == 0
        assert metric(clean, "causeway_ledger_reconciliation_wallets_checked") >= 1
        assert metric(clean, "causeway_ledger_reconciliation_last_run_timestamp_seconds") >= int(started)

        Wallet.objects.filter(pk=wallet.pk).update(ledger_balance=6_000)
        tasks.reconcile_ledger()
        broken = scrape_metrics()

        assert metric(broken, OK) == 0
        assert metric(broken, "causeway_ledger_reconciliation_mismatches") == 1
