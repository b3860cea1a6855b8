"""Deferred writes (apps.core.deferred): a transaction's rows in one statement on PostgreSQL, sent before the
next statement, with the keys back on the instances."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core import sql
from apps.core.deferred import deferred_writes
from apps.wallets.ledger import TransactionSpec, build_transaction
from apps.wallets.models import Entry, Journal, Transaction, Wallet
from apps.webhooks.models import WebhookEndpoint
from tests.wallets.factories import make_holder, make_wallet


@pytest.fixture
def wallet(partner):
    return make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace"), balance=1_000)


def _journal(partner) -> Journal:
    from apps.core import clock

    return Journal(kind="transfer", description="test", environment="sandbox", partner=partner, posted_at=clock.now())


def _rows(partner, wallet):
    """A journal, its two entries and the wallet's transaction: rows that name rows not yet written."""
    from apps.core import clock

    journal = _journal(partner)
    other = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"))
    entries = [
        Entry(journal=journal, account=wallet.account, amount=-100, currency="USD"),
        Entry(journal=journal, account=other.account, amount=100, currency="USD"),
    ]
    txn = build_transaction(
        wallet=wallet,
        amount=-100,
        spec=TransactionSpec(type="transfer", category="transfer", description="Dinner"),
        status=Transaction.Status.POSTED,
        now=clock.now(),
        journal=journal,
        balance_after=900,
    )
    return journal, entries, txn


@pytest.mark.postgres
class TestDeferredWrites:
    def test_writes_go_in_one_statement_and_the_rows_name_each_other(self, partner, wallet):
        journal, entries, txn = _rows(partner, wallet)
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            with deferred_writes():
                sql.insert([journal])
                sql.insert(entries)
                sql.insert([txn])
                wallet.ledger_balance = wallet.available_balance = 900
                wallet.last_transaction = txn
                sql.update([wallet], ("ledger_balance", "available_balance", "last_transaction", "updated_at"))
                assert journal.pk is None and txn.pk is None  # nothing sent yet
            writes = [query for query in captured.captured_queries if query["sql"].startswith("WITH")]
            assert len(captured.captured_queries) == 1 and len(writes) == 1
            assert journal.pk is not None and txn.pk is not None and not txn._state.adding
            assert {entry.journal_id for entry in entries} == {journal.pk}
            assert txn.journal_id == journal.pk and wallet.last_transaction_id == txn.pk
            stored = Wallet.objects.get(pk=wallet.pk)
            assert (stored.ledger_balance, stored.last_transaction_id) == (900, txn.pk)
            assert list(Entry.objects.filter(journal=journal).order_by("pk").values_list("amount", flat=True)) == [
                -100,
                100,
            ]
            assert Transaction.objects.get(pk=txn.pk).journal_id == journal.pk

    def test_the_next_statement_sends_the_pending_writes_first_so_it_sees_them(self, partner, wallet):
        journal = _journal(partner)
        with transaction.atomic(), deferred_writes():
            sql.insert([journal])
            assert Journal.objects.filter(description="test", partner=partner).count() == 1
            assert journal.pk is not None

    def test_keys_follow_the_order_of_the_rows(self, partner):
        journals = [_journal(partner) for _ in range(5)]
        with transaction.atomic(), deferred_writes():
            sql.insert(journals)
        keys = [journal.pk for journal in journals]
        assert keys == sorted(keys) and len(set(keys)) == 5

    def test_a_row_updated_twice_gets_both_changes_in_order(self, wallet):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            with deferred_writes():
                wallet.ledger_balance = wallet.available_balance = 700
                sql.update([wallet], ("ledger_balance", "available_balance"))
                wallet.available_balance = 600
                sql.update([wallet], ("available_balance",))
            assert len(captured.captured_queries) == 2  # a row changes once per statement: the first went ahead
            stored = Wallet.objects.get(pk=wallet.pk)
        assert (stored.ledger_balance, stored.available_balance) == (700, 600)

    def test_a_failing_check_raises_when_the_writes_are_sent(self, partner):
        seen = []

        def check(count):
            seen.append(count)
            raise LookupError("no such row")

        journal = _journal(partner)
        with pytest.raises(LookupError), transaction.atomic(), deferred_writes():
            sql.insert([journal])
            sql.execute_checked(
                'UPDATE "wallets_journal" SET "description" = %s WHERE "id" = %s RETURNING "id"', ["x", -1], check
            )
        assert seen == [0]

    def test_a_block_that_raises_sends_nothing(self, partner):
        journal = _journal(partner)
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            with pytest.raises(ZeroDivisionError), deferred_writes():
                sql.insert([journal])
                1 / 0  # noqa: B018
            assert captured.captured_queries == [] and journal.pk is None

    def test_a_row_naming_an_unsaved_object_outside_the_buffer_is_refused(self, partner, wallet):
        stray = _journal(partner)
        entry = Entry(journal=stray, account=wallet.account, amount=1, currency="USD")
        with pytest.raises(ValueError, match="unsaved"), transaction.atomic(), deferred_writes():
            sql.insert([entry])

    def test_outside_a_transaction_it_refuses(self):
        with pytest.raises(RuntimeError, match="inside a transaction"), deferred_writes():
            pass

    def test_a_read_rides_on_the_writes_and_its_callback_writes_after_them(self, partner):
        """``sql.values_then``: the query goes in the statement of writes; its callback gets the rows (as JSON
        gives them back) once the keys are in, and what the callback defers is sent before the block ends."""
        sandbox = partner.environments.get(kind="sandbox")
        endpoint = WebhookEndpoint.objects.create(
            partner=partner, environment=sandbox, url="https://example.com/hook", enabled_events=["transfer.*"]
        )
        journal, later = _journal(partner), _journal(partner)
        got = []

        def then(rows):
            got.append((rows, journal.pk))
            later.description = f"after {journal.pk}"
            sql.insert([later])

        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            with deferred_writes():
                sql.insert([journal])
                sql.values_then(
                    WebhookEndpoint,
                    ("id", "enabled_events"),
                    where='"environment_id" = %s AND "disabled_at" IS NULL',
                    params=[sandbox.pk],
                    then=then,
                )
                assert got == []
            assert got == [([[endpoint.pk, ["transfer.*"]]], journal.pk)]
            assert len(captured.captured_queries) == 2  # the writes with the read, then the callback's write
            assert Journal.objects.get(pk=later.pk).description == f"after {journal.pk}"

    def test_a_read_with_no_rows_hands_over_an_empty_list(self, partner):
        got = []
        with transaction.atomic(), deferred_writes():
            sql.insert([_journal(partner)])
            sql.values_then(WebhookEndpoint, ("id",), where='"environment_id" = %s', params=[-1], then=got.append)
        assert got == [[]]

    def test_a_read_of_a_field_json_would_change_is_refused(self, partner):
        with pytest.raises(ValueError, match="JSON form"), transaction.atomic(), deferred_writes():
            sql.values_then(WebhookEndpoint, ("created_at",), where="true", params=[], then=print)


class TestWithoutDeferral:
    def test_outside_a_block_each_write_is_sent_at_once(self, partner):
        journal = _journal(partner)
        with transaction.atomic():
            sql.insert([journal])
            assert journal.pk is not None

    def test_outside_a_block_a_read_runs_at_once(self, partner):
        got = []
        with transaction.atomic():
            sql.values_then(WebhookEndpoint, ("id",), where='"environment_id" = %s', params=[-1], then=got.append)
            assert got == [[]]

    @pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL defers")
    def test_sqlite_writes_at_once_even_inside_a_block(self, partner):
        journal = _journal(partner)
        with transaction.atomic(), deferred_writes():
            sql.insert([journal])
            assert journal.pk is not None
