"""The ledger end to end in committed transactions: postings, holds and reversals keep the book balanced, and
the database refuses what the services never do (changing entries, deleting them outside the purge switch)."""

import pytest
from django.db import DatabaseError, transaction

from apps.wallets import ledger, reconciliation, services
from apps.wallets.models import Entry, Transaction, Wallet

pytestmark = pytest.mark.django_db(transaction=True)


class TestLedgerPostingsAndGuards:
    def test_credit_hold_capture_release_reverse_keep_the_book_balanced(self, holder):
        wallet = services.wallet_open(holder=holder, currency="USD")
        services.external_credit(wallet=wallet, amount=10_000, type="deposit", category="salary", description="Pay")
        placed = services.hold_place(wallet=wallet, amount=2_500, category="groceries", merchant_name="Tesco")
        wallet.refresh_from_db()
        assert (wallet.ledger_balance, wallet.available_balance) == (10_000, 7_500)

        posted = services.hold_capture(hold=placed.hold, amount=2_000)
        wallet.refresh_from_db()
        assert posted.status == "posted" and posted.amount == -2_000 and posted.balance_after == 8_000
        assert (wallet.ledger_balance, wallet.available_balance) == (8_000, 8_000)

        other = services.hold_place(wallet=wallet, amount=500)
        services.hold_release(hold=other.hold)
        wallet.refresh_from_db()
        assert wallet.available_balance == 8_000
        assert Transaction.objects.get(pk=other.transaction.pk).status == "reversed"

        refund = services.transaction_reverse(txn=posted)
        wallet.refresh_from_db()
        assert refund.amount == 2_000 and wallet.ledger_balance == 10_000
        assert reconciliation.reconcile().ok

    def test_a_debit_beyond_the_available_balance_is_refused_and_writes_nothing(self, holder):
        wallet = services.wallet_open(holder=holder, currency="EUR")
        services.external_credit(wallet=wallet, amount=100, type="deposit", category="income")
        entries = Entry.objects.count()

        with pytest.raises(ledger.InsufficientFunds):
            services.external_debit(wallet=wallet, amount=101, type="card_payment", category="dining")

        assert Entry.objects.count() == entries
        assert Wallet.objects.get(pk=wallet.pk).ledger_balance == 100

    def test_entries_cannot_be_updated_or_deleted(self, holder):
        wallet = services.wallet_open(holder=holder, currency="JPY")
        services.external_credit(wallet=wallet, amount=500, type="deposit", category="income")

        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.update(amount=1)
        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.all().delete()
        assert Entry.objects.count() == 2

    def test_the_sandbox_purge_switch_allows_deletes_inside_its_transaction_only(self, holder):
        wallet = services.wallet_open(holder=holder, currency="GBP")
        services.external_credit(wallet=wallet, amount=500, type="deposit", category="income")

        with transaction.atomic(), ledger.sandbox_purge_allowed():
            Transaction.objects.all().delete()
            Entry.objects.all().delete()
        assert Entry.objects.count() == 0

        services.external_credit(wallet=wallet, amount=500, type="deposit", category="income")
        with pytest.raises(DatabaseError), transaction.atomic():
            Entry.objects.all().delete()
        assert Entry.objects.count() == 2

    def test_the_sandbox_purge_switch_refuses_to_open_outside_a_transaction(self):
        with pytest.raises(RuntimeError), ledger.sandbox_purge_allowed():
            pass


class TestPointsStayWithTheirHolder:
    def test_points_cannot_move_between_two_holders_and_nothing_is_written(self, holder, partner):
        other = services.holder_create(environment="sandbox", partner=partner, name="Grace Hopper")
        mine = services.wallet_open(holder=holder, currency="XPT")
        theirs = services.wallet_open(holder=other, currency="XPT")
        services.external_credit(wallet=mine, amount=100, type="points", category="points", rail=ledger.POINTS_ISSUANCE)
        entries = Entry.objects.count()

        with pytest.raises(ledger.PointsNotTransferable), transaction.atomic(durable=True):
            ledger.journal_post(
                kind="transfer",
                lines=[
                    ledger.Line(account=ledger.wallet_account(mine), amount=-50),
                    ledger.Line(account=ledger.wallet_account(theirs), amount=50),
                ],
                environment="sandbox",
                partner=partner,
            )

        assert Entry.objects.count() == entries
        assert Wallet.objects.get(pk=mine.pk).ledger_balance == 100


class TestPostingEvents:
    def test_a_transaction_posted_at_once_is_announced_as_created_then_posted(self, holder):
        from apps.events.models import Event

        wallet = services.wallet_open(holder=holder, currency="USD")
        txn = services.external_credit(wallet=wallet, amount=500, type="deposit", category="income")

        types = list(Event.objects.filter(object_id=txn.public_id).order_by("sequence").values_list("type", flat=True))
        assert types == ["transaction.created", "transaction.posted"]
