"""A monitoring run reads a bounded window of the holder's ledger, however long their history: every statement it
sends goes through an index, and on PostgreSQL no step of any plan touches more than a few dozen rows against
thousands in the history."""

import json
from datetime import timedelta

import pytest
from django.db import connection

from apps.risk.monitoring.detectors import STRUCTURING
from apps.risk.monitoring.history import holder_window
from apps.wallets import ledger
from apps.wallets.bulk.history import history_import
from apps.wallets.validators import HistoryItem
from tests.risk.monitoring import deposit, findings
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

HISTORY = 3000


@pytest.fixture
def wallet(partner, at):
    """A wallet with two years of history (3,000 movements, the newest two days old)."""
    wallet = make_wallet(holder=make_holder(partner=partner))
    oldest = at - timedelta(days=730)
    step = (timedelta(days=728)) / HISTORY
    items = [
        HistoryItem(
            wallet=wallet,
            booked_at=oldest + step * n,
            amount=2_000 if n % 2 == 0 else -1_000,
            type="deposit" if n % 2 == 0 else "card_payment",
            category="income" if n % 2 == 0 else "groceries",
            rail=ledger.CLEARING_BANK if n % 2 == 0 else ledger.CLEARING_CARD,
            counterparty=f"Sender {n % 7}",
        )
        for n in range(HISTORY)
    ]
    history_import(items=items)
    return wallet


def statements(run):
    """The statements ``run()`` sends, with their parameters."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = run()
    return result, sent


def _rows_touched(plan: dict) -> int:
    """The most rows any step of a PostgreSQL plan (EXPLAIN ANALYZE, JSON) produced or threw away."""
    own = (plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)) * plan.get("Actual Loops", 1)
    return max([own, *(_rows_touched(child) for child in plan.get("Plans", []))])


class TestBoundedRead:
    def test_a_run_over_a_long_history_reads_only_its_window(self, wallet, at):
        made = [deposit(wallet, 950_000, at=at, hours=hours) for hours in (20, 10, 1)]
        params_hours, max_rows = 24, 1000

        window, sent = statements(
            lambda: holder_window(holder_id=wallet.holder_id, at=at, hours=params_hours, max_rows=max_rows)
        )

        assert [m.id for m in window.movements] == [txn.public_id for txn in made]
        assert window.previous is not None and window.previous.booked_at < at - timedelta(days=1)
        assert [finding.kind for finding in findings(wallet, at=at)] == [STRUCTURING]
        reads = [(sql, params) for sql, params in sent if "wallets_transaction" in sql]
        assert len(reads) == 2  # the window, and the latest movement before it (one wallet)
        with connection.cursor() as cursor:
            for sql, params in reads:
                if connection.vendor == "postgresql":
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
                    plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    assert _rows_touched(plan[0]["Plan"]) <= 10, (sql, plan)
                else:
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                    details = [row[-1] for row in cursor.fetchall()]
                    assert not any(d.startswith("SCAN") and "wallets_transaction" in d for d in details), details
                    assert any("USING INDEX wallets_txn_booked" in d for d in details), details

    def test_a_window_with_more_rows_than_a_run_reads_is_cut_to_the_newest(self, wallet, at):
        made = [deposit(wallet, 100, at=at, hours=hours) for hours in (5, 4, 3, 2, 1)]

        window = holder_window(holder_id=wallet.holder_id, at=at, hours=24, max_rows=3)

        assert window.truncated
        assert [m.id for m in window.movements] == [txn.public_id for txn in made[2:]]
