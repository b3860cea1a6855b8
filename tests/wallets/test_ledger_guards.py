"""The database's own guards on the ledger (apps/wallets/migrations/0002_ledger_triggers.py): entries are
append-only everywhere; on PostgreSQL a deferred trigger also refuses, at commit, any journal that does not have
two or more entries summing to zero per currency, whoever wrote it."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from apps.wallets import ledger, services
from apps.wallets.models import Entry, Journal

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def wallet(holder):
    wallet = services.wallet_open(holder=holder, currency="USD")
    services.external_credit(wallet=wallet, amount=1_000, type="deposit", category="income")
    return wallet


@pytest.fixture
def clearing(holder, wallet):
    return ledger.system_account(
        code=ledger.CLEARING_BANK, currency="USD", environment="sandbox", partner=holder.partner
    )


def _journal(holder, wallet) -> Journal:
    return Journal.objects.create(
        kind="manual", environment="sandbox", partner=holder.partner, posted_at=wallet.created_at
    )


def _purge_switch() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('causeway.ledger_purge', true)")
        return cursor.fetchone()[0]


class TestEntriesAreAppendOnly:
    """On every database."""

    def test_an_update_of_an_entry_is_refused(self, wallet):
        entry = Entry.objects.filter(account__wallet=wallet).get()

        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Entry.objects.filter(pk=entry.pk).update(amount=2_000)

        assert Entry.objects.get(pk=entry.pk).amount == 1_000

    def test_saving_a_changed_entry_is_refused(self, wallet):
        entry = Entry.objects.filter(account__wallet=wallet).get()
        entry.amount = 1

        with pytest.raises(DatabaseError), transaction.atomic():
            entry.save()

        assert Entry.objects.get(pk=entry.pk).amount == 1_000

    def test_a_delete_of_an_entry_is_refused(self, wallet):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            Entry.objects.filter(account__wallet=wallet).delete()

        assert Entry.objects.count() == 2

    def test_a_delete_inside_the_purge_switch_works(self, wallet):
        with transaction.atomic(), ledger.sandbox_purge_allowed():
            Entry.objects.all().delete()

        assert not Entry.objects.exists()

    def test_the_purge_switch_does_not_outlive_its_transaction(self, wallet):
        with transaction.atomic(), ledger.sandbox_purge_allowed():
            pass

        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.all().delete()
        assert Entry.objects.count() == 2

    def test_the_purge_switch_needs_a_transaction(self, wallet):
        with pytest.raises(RuntimeError), ledger.sandbox_purge_allowed():
            pass


@pytest.mark.postgres
class TestPostgresGuards:
    def test_the_purge_setting_is_transaction_local(self, wallet):
        with transaction.atomic(), ledger.sandbox_purge_allowed():
            assert _purge_switch() == "on"
            Entry.objects.all().delete()

        # Even a transaction that commits while the switch is on leaves the next one guarded.
        with transaction.atomic():
            assert _purge_switch() in (None, "", "off")

    def test_the_purge_setting_is_off_again_after_the_block_inside_the_same_transaction(self, wallet):
        with transaction.atomic():
            with ledger.sandbox_purge_allowed():
                pass
            assert _purge_switch() == "off"
            with pytest.raises(DatabaseError), transaction.atomic():
                Entry.objects.all().delete()

        assert Entry.objects.count() == 2

    def test_a_switch_left_on_by_a_rolled_back_transaction_does_not_leak(self, wallet):
        with pytest.raises(ZeroDivisionError), transaction.atomic(), ledger.sandbox_purge_allowed():
            Entry.objects.all().delete()
            1 / 0  # noqa: B018

        assert Entry.objects.count() == 2
        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.all().delete()

    def test_an_unbalanced_journal_is_refused_at_commit_not_at_insert(self, holder, wallet, clearing):
        journals = Journal.objects.count()
        inserted = False

        with pytest.raises(IntegrityError, match="does not sum to zero in USD"), transaction.atomic():
            journal = _journal(holder, wallet)
            Entry.objects.create(journal=journal, account=ledger.wallet_account(wallet), amount=500, currency="USD")
            Entry.objects.create(journal=journal, account=clearing, amount=-499, currency="USD")
            inserted = True  # both inserts succeeded: the check is deferred

        assert inserted
        assert Journal.objects.count() == journals
        assert Entry.objects.count() == 2

    def test_a_journal_balanced_per_currency_total_but_not_per_currency_is_refused(self, holder, wallet, clearing):
        eur = services.wallet_open(holder=holder, currency="EUR")

        with pytest.raises(IntegrityError, match="does not sum to zero"), transaction.atomic():
            journal = _journal(holder, wallet)
            Entry.objects.create(journal=journal, account=ledger.wallet_account(eur), amount=100, currency="EUR")
            Entry.objects.create(journal=journal, account=clearing, amount=-100, currency="USD")

        assert Entry.objects.count() == 2

    def test_a_single_entry_journal_is_refused_at_commit(self, holder, wallet, clearing):
        inserted = False

        # Entries are never zero, so a lone entry is always unbalanced; the trigger's count check backs that up.
        with pytest.raises(IntegrityError, match="journal"), transaction.atomic():
            journal = _journal(holder, wallet)
            Entry.objects.create(journal=journal, account=clearing, amount=7, currency="USD")
            inserted = True

        assert inserted
        assert not Journal.objects.filter(pk=journal.pk).exists()
        assert Entry.objects.count() == 2

    def test_a_balanced_journal_written_directly_commits(self, holder, wallet, clearing):
        with transaction.atomic():
            journal = _journal(holder, wallet)
            Entry.objects.create(journal=journal, account=clearing, amount=5, currency="USD")
            Entry.objects.create(journal=journal, account=clearing, amount=-5, currency="USD")

        assert journal.entries.count() == 2

    def test_the_check_runs_at_commit_of_the_outermost_transaction_not_the_savepoint(self, holder, wallet, clearing):
        with pytest.raises(IntegrityError), transaction.atomic():
            with transaction.atomic():
                journal = _journal(holder, wallet)
                Entry.objects.create(journal=journal, account=clearing, amount=5, currency="USD")
            # The savepoint was released without complaint; the journal is still unbalanced.
            assert journal.entries.count() == 1

        assert not Journal.objects.filter(pk=journal.pk).exists()


@pytest.mark.postgres
class TestWholeJournalStatements:
    """``ledger.whole_journals()`` (migration 0005): a statement's own entries are checked at its end instead."""

    def test_a_balanced_statement_commits(self, holder, wallet, clearing):
        with transaction.atomic():
            journal = _journal(holder, wallet)
            with ledger.whole_journals():
                Entry.objects.bulk_create(
                    [
                        Entry(journal=journal, account=clearing, amount=5, currency="USD"),
                        Entry(journal=journal, account=clearing, amount=-5, currency="USD"),
                    ]
                )

        assert journal.entries.count() == 2

    @pytest.mark.parametrize("amounts", [(5, -4), (7,), ((5, "USD"), (-5, "EUR"))])
    def test_an_unbalanced_statement_is_refused_at_its_end_not_at_commit(self, holder, wallet, clearing, amounts):
        eur = ledger.system_account(
            code=ledger.CLEARING_BANK, currency="EUR", environment="sandbox", partner=holder.partner
        )
        entries_before = Entry.objects.count()
        refused_inside = False

        with pytest.raises(IntegrityError, match="journal"), transaction.atomic():
            journal = _journal(holder, wallet)
            rows = [amount if isinstance(amount, tuple) else (amount, "USD") for amount in amounts]
            with ledger.whole_journals():
                try:
                    Entry.objects.bulk_create(
                        [
                            Entry(journal=journal, account=clearing if c == "USD" else eur, amount=a, currency=c)
                            for a, c in rows
                        ]
                    )
                except IntegrityError:
                    refused_inside = True
                    raise

        assert refused_inside
        assert Entry.objects.count() == entries_before

    def test_a_later_entry_without_the_switch_is_still_checked_at_commit(self, holder, wallet, clearing):
        with pytest.raises(IntegrityError, match="does not sum to zero"), transaction.atomic():
            journal = _journal(holder, wallet)
            with ledger.whole_journals():
                Entry.objects.bulk_create(
                    [
                        Entry(journal=journal, account=clearing, amount=5, currency="USD"),
                        Entry(journal=journal, account=clearing, amount=-5, currency="USD"),
                    ]
                )
            Entry.objects.create(journal=journal, account=clearing, amount=3, currency="USD")

        assert not Journal.objects.filter(pk=journal.pk).exists()

    def test_the_switch_ends_with_the_block_and_with_the_transaction(self, holder, wallet, clearing):
        with transaction.atomic():
            with ledger.whole_journals():
                assert _setting() == "on"
            assert _setting() == "off"
        with pytest.raises(ZeroDivisionError), transaction.atomic(), ledger.whole_journals():
            1 / 0  # noqa: B018
        assert _setting() in (None, "", "off")

    def test_it_needs_a_transaction(self):
        with pytest.raises(RuntimeError), ledger.whole_journals():
            pass


def _setting() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('causeway.ledger_whole_journals', true)")
        return cursor.fetchone()[0]
