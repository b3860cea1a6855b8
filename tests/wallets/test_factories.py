"""Each factory of ``tests/wallets/factories.py`` makes valid rows, and every one that moves money leaves a book
that reconciles: balances equal their entries and holds, and every journal sums to zero."""

import pytest

from apps.wallets import ledger
from apps.wallets.funding_sources import masked
from apps.wallets.models import Entry, FundingSource, Hold, Journal, LedgerAccount, Transaction, Wallet, WalletHolder
from tests.helpers import assert_book_balanced, balances
from tests.wallets.factories import (
    EntryFactory,
    FundingSourceFactory,
    HoldFactory,
    JournalFactory,
    LedgerAccountFactory,
    TransactionFactory,
    WalletFactory,
    WalletHolderFactory,
)

pytestmark = pytest.mark.django_db


class TestWalletsFactories:
    def test_a_holder_is_a_basic_sandbox_holder_of_its_partner(self):
        holder = WalletHolderFactory()

        stored = WalletHolder.objects.get(pk=holder.pk)
        assert (stored.environment, stored.kyc_tier, stored.status) == ("sandbox", "basic", "active")
        assert stored.partner_id is not None

    def test_a_live_holder_has_no_partner(self):
        holder = WalletHolderFactory(live=True)

        assert (WalletHolder.objects.get(pk=holder.pk).environment, holder.partner_id) == ("live", None)

    def test_a_wallet_opens_empty_with_its_ledger_account(self):
        wallet = WalletFactory()

        assert balances(wallet) == (0, 0)
        assert LedgerAccount.objects.get(wallet=wallet).currency == "USD"
        assert_book_balanced()

    def test_a_wallets_balance_arrives_as_one_posted_deposit(self):
        wallet = WalletFactory(currency="EUR", balance=5_000)

        assert balances(wallet) == (5_000, 5_000)
        (deposit,) = Transaction.objects.filter(wallet=wallet)
        assert (deposit.type, deposit.status, deposit.amount, deposit.balance_after) == (
            "deposit",
            "posted",
            5_000,
            5_000,
        )
        assert_book_balanced()

    def test_a_system_account_belongs_to_its_partners_sandbox(self):
        account = LedgerAccountFactory()

        stored = LedgerAccount.objects.get(pk=account.pk)
        assert (stored.kind, stored.code, stored.environment) == ("system", ledger.CLEARING_BANK, "sandbox")
        assert stored.partner_id is not None and stored.wallet_id is None

    def test_a_transaction_is_posted_through_the_ledger(self):
        txn = TransactionFactory(amount=700)

        assert (txn.status, txn.amount, txn.balance_after) == ("posted", 700, 700)
        assert balances(txn.wallet) == (700, 700)
        assert_book_balanced()

    def test_a_negative_transaction_is_a_card_payment_from_a_funded_wallet(self):
        txn = TransactionFactory(wallet=WalletFactory(balance=1_000), amount=-400, category="groceries")

        assert (txn.type, txn.amount) == ("card_payment", -400)
        assert balances(txn.wallet) == (600, 600)
        assert_book_balanced()

    def test_a_journal_moves_the_amount_from_the_clearing_account_into_the_wallet(self):
        journal = JournalFactory(amount=1_200)

        stored = Journal.objects.get(pk=journal.pk)
        sides = sorted(
            (entry.account.kind, entry.amount, entry.currency) for entry in stored.entries.select_related("account")
        )
        assert sides == [("system", -1_200, "USD"), ("wallet", 1_200, "USD")]
        assert_book_balanced()

    def test_an_entry_is_the_wallets_side_of_a_posted_journal(self):
        entry = EntryFactory(amount=300)

        stored = Entry.objects.get(pk=entry.pk)
        assert (stored.amount, stored.currency) == (300, "USD")
        assert stored.account.wallet.ledger_balance == 300
        assert_book_balanced()

    def test_a_hold_lowers_the_available_balance_only(self):
        hold = HoldFactory()

        stored = Hold.objects.get(pk=hold.pk)
        assert (stored.status, stored.amount, stored.transaction.status) == ("held", 2_500, "pending")
        assert balances(stored.wallet) == (10_000, 7_500)
        assert_book_balanced()

    def test_a_bank_account_is_stored_encrypted_and_shown_masked(self):
        source = FundingSourceFactory()

        stored = FundingSource.objects.get(pk=source.pk)
        assert (stored.kind, stored.status, stored.position, stored.currency) == ("bank_account", "active", 1, "USD")
        assert "31926819" not in stored.account_encrypted
        assert masked(stored).endswith("6819")

    def test_a_card_comes_after_the_holders_bank_account(self):
        bank = FundingSourceFactory()

        card = FundingSourceFactory(holder=bank.holder, kind="card", last4="1111")

        stored = FundingSource.objects.get(pk=card.pk)
        assert (stored.kind, stored.last4, stored.position, stored.brand) == ("card", "1111", 2, "visa")
        assert stored.account_encrypted == ""


class TestWalletsFactoryBooks:
    def test_several_factories_together_still_reconcile(self):
        wallet = WalletFactory(balance=10_000)
        HoldFactory(wallet=wallet, amount=1_000)
        TransactionFactory(wallet=wallet, amount=-2_000, category="dining")
        EntryFactory(wallet=wallet, amount=500)

        assert balances(wallet) == (8_500, 7_500)
        assert Wallet.objects.get(pk=wallet.pk).last_transaction is not None
        assert_book_balanced()
