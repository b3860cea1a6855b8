"""The wallet services: every happy path and every refusal, with the rows and events each one writes."""

import pytest
from django.db import transaction

from apps.events.models import Event
from apps.wallets import ledger, reconciliation, services
from apps.wallets.ledger import Line, TransactionSpec
from apps.wallets.models import Hold, Journal, LedgerAccount, Transaction, Wallet
from tests.helpers import balances, book_size

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_holder(partner):
    return services.holder_create(environment="sandbox", partner=partner, name="Grace Hopper")


def credit(wallet: Wallet, amount: int, **kwargs) -> Transaction:
    return services.external_credit(wallet=wallet, amount=amount, type="deposit", category="income", **kwargs)


def debit(wallet: Wallet, amount: int, **kwargs) -> Transaction:
    return services.external_debit(wallet=wallet, amount=amount, type="card_payment", category="dining", **kwargs)


def move(source: Wallet, destination: Wallet, amount: int) -> ledger.Posting:
    """A wallet-to-wallet journal, as a transfer posts it."""
    holder = source.holder
    with transaction.atomic(durable=True):
        return ledger.journal_post(
            kind="transfer",
            lines=[
                Line(ledger.wallet_account(source), -amount, TransactionSpec(type="transfer", category="transfer")),
                Line(ledger.wallet_account(destination), amount, TransactionSpec(type="transfer", category="transfer")),
            ],
            environment=holder.environment,
            partner=holder.partner,
        )


def freeze(wallet: Wallet) -> None:
    Wallet.objects.filter(pk=wallet.pk).update(status=Wallet.Status.FROZEN)


def events_for(obj, type: str) -> list[Event]:
    return list(Event.objects.filter(object_id=obj.public_id, type=type).order_by("sequence"))


class TestHolderCreate:
    def test_a_sandbox_holder_belongs_to_the_partner(self, partner):
        holder = services.holder_create(environment="sandbox", partner=partner, name="Ada", kyc_tier="basic")

        assert holder.public_id.startswith("ph_")
        assert (holder.partner, holder.environment, holder.kyc_tier, holder.status) == (
            partner,
            "sandbox",
            "basic",
            "active",
        )

    def test_a_live_holder_has_no_partner(self):
        holder = services.holder_create(environment="live", partner=None, name="Customer")

        assert holder.partner is None and holder.environment == "live"


class TestWalletOpen:
    def test_opens_an_empty_wallet_with_its_own_ledger_account(self, holder, partner):
        wallet = services.wallet_open(holder=holder, currency="usd")

        assert wallet.public_id.startswith("wal_")
        assert (wallet.currency, wallet.status, wallet.ledger_balance, wallet.available_balance) == (
            "USD",
            "active",
            0,
            0,
        )
        account = LedgerAccount.objects.get(wallet=wallet)
        assert (account.kind, account.currency, account.environment, account.partner) == (
            "wallet",
            "USD",
            "sandbox",
            partner,
        )

    @pytest.mark.parametrize("currency", ["JPY", "KWD", "XPT"])
    def test_opens_zero_and_three_decimal_currencies_and_points(self, holder, currency):
        assert services.wallet_open(holder=holder, currency=currency).currency == currency

    @pytest.mark.parametrize("currency", ["ABC", "US", "", "usdollar"])
    def test_an_unknown_currency_is_refused_with_400_and_nothing_is_written(self, holder, currency):
        with pytest.raises(services.UnsupportedCurrency) as refused:
            services.wallet_open(holder=holder, currency=currency)

        assert (refused.value.status, refused.value.code) == (400, "currency_unsupported")
        assert refused.value.errors[0]["field"] == "currency"
        assert not Wallet.objects.exists() and not LedgerAccount.objects.exists()

    def test_a_second_open_wallet_in_the_same_currency_is_refused_with_409(self, holder, usd):
        with pytest.raises(services.WalletExists) as refused:
            services.wallet_open(holder=holder, currency="USD")

        assert (refused.value.status, refused.value.code) == (409, "wallet_exists")
        assert holder.wallets.count() == 1

    def test_another_holder_may_open_the_same_currency(self, usd, other_holder):
        assert services.wallet_open(holder=other_holder, currency="USD").pk != usd.pk

    def test_after_closing_a_wallet_the_currency_can_be_opened_again(self, holder, usd):
        services.wallet_close(wallet=usd)

        reopened = services.wallet_open(holder=holder, currency="USD")

        assert reopened.pk != usd.pk and reopened.status == "active"


class TestWalletClose:
    def test_closes_a_wallet_at_zero(self, usd):
        credit(usd, 500)
        debit(usd, 500)

        closed = services.wallet_close(wallet=usd)

        assert closed.status == "closed"
        assert Wallet.objects.get(pk=usd.pk).status == "closed"

    def test_a_wallet_with_money_is_not_closed(self, usd):
        credit(usd, 1)

        with pytest.raises(services.WalletNotEmpty) as refused:
            services.wallet_close(wallet=usd)

        assert refused.value.status == 409
        assert Wallet.objects.get(pk=usd.pk).status == "active"

    def test_a_wallet_whose_money_is_all_held_is_not_closed(self, usd):
        credit(usd, 300)
        services.hold_place(wallet=usd, amount=300)
        assert balances(usd) == (300, 0)

        with pytest.raises(services.WalletNotEmpty):
            services.wallet_close(wallet=usd)

    def test_closing_twice_is_a_state_conflict(self, usd):
        services.wallet_close(wallet=usd)

        with pytest.raises(ledger.InvalidStateTransition) as refused:
            services.wallet_close(wallet=usd)

        assert refused.value.status == 409

    def test_a_closed_wallet_refuses_postings_and_holds(self, usd):
        services.wallet_close(wallet=usd)
        before = book_size()

        with pytest.raises(ledger.WalletFrozen):
            credit(usd, 100)
        with pytest.raises(ledger.WalletFrozen):
            services.hold_place(wallet=usd, amount=1)

        assert book_size() == before


class TestExternalCredit:
    def test_posts_a_balanced_journal_and_a_posted_transaction(self, usd, partner):
        txn = credit(usd, 10_000, description="Salary", counterparty="Acme Ltd")

        assert balances(usd) == (10_000, 10_000)
        assert (txn.status, txn.amount, txn.currency, txn.balance_after) == ("posted", 10_000, "USD", 10_000)
        assert (txn.type, txn.category, txn.description, txn.counterparty) == (
            "deposit",
            "income",
            "Salary",
            "Acme Ltd",
        )
        entries = list(txn.journal.entries.select_related("account").order_by("amount"))
        assert [(e.account.kind, e.account.code, e.amount) for e in entries] == [
            ("system", ledger.CLEARING_BANK, -10_000),
            ("wallet", "", 10_000),
        ]
        assert entries[0].account.partner == partner
        assert Wallet.objects.get(pk=usd.pk).last_transaction == txn

    def test_records_transaction_posted_and_wallet_balance_updated_in_the_partners_sandbox(self, usd, partner, sandbox):
        txn = credit(usd, 2_500)

        [posted] = events_for(txn, "transaction.posted")
        [updated] = events_for(usd, "wallet.balance_updated")
        for event in (posted, updated):
            assert (event.partner, event.environment) == (partner, sandbox)
        assert posted.data["object"]["status"] == "posted" and posted.data["object"]["amount"] == 2_500
        assert updated.data["object"]["ledger_balance"] == {"amount": 2_500, "currency": "USD"}

    def test_a_live_holders_wallet_is_credited_without_partner_events(self):
        holder = services.holder_create(environment="live", partner=None, name="Customer")
        wallet = services.wallet_open(holder=holder, currency="EUR")

        credit(wallet, 700)

        assert balances(wallet) == (700, 700)
        assert not Event.objects.exists()
        assert LedgerAccount.objects.get(kind="system", currency="EUR").partner is None

    @pytest.mark.parametrize("amount", [0, -5, 1.5, True, "100"])
    def test_an_amount_that_is_not_a_positive_integer_is_refused_with_400(self, usd, amount):
        before = book_size()

        with pytest.raises(services.InvalidAmount) as refused:
            credit(usd, amount)

        assert refused.value.status == 400
        assert book_size() == before

    def test_an_unknown_category_is_refused_with_400(self, usd):
        with pytest.raises(services.InvalidCategory) as refused:
            services.external_credit(wallet=usd, amount=1, type="deposit", category="lottery")

        assert refused.value.status == 400
        assert not Journal.objects.exists()

    def test_a_frozen_wallet_refuses_credits_and_nothing_is_written(self, usd):
        freeze(usd)
        before = book_size()

        with pytest.raises(ledger.WalletFrozen) as refused:
            credit(usd, 100)

        assert (refused.value.status, refused.value.code) == (422, "wallet_frozen")
        assert book_size() == before
        assert balances(usd) == (0, 0)


class TestExternalDebit:
    def test_moves_money_to_the_card_clearing_account(self, usd):
        credit(usd, 1_000)

        txn = debit(usd, 400, merchant_name="Pret")

        assert balances(usd) == (600, 600)
        assert (txn.amount, txn.balance_after, txn.merchant_name) == (-400, 600, "Pret")
        clearing = txn.journal.entries.get(account__kind="system")
        assert (clearing.account.code, clearing.amount) == (ledger.CLEARING_CARD, 400)

    def test_more_than_the_balance_is_refused_and_nothing_is_written(self, usd):
        credit(usd, 100)
        before = book_size()

        with pytest.raises(ledger.InsufficientFunds) as refused:
            debit(usd, 101)

        assert (refused.value.status, refused.value.code) == (422, "insufficient_funds")
        assert refused.value.extra == {"wallet": usd.public_id, "available": 100, "required": 101}
        assert book_size() == before
        assert balances(usd) == (100, 100)

    def test_money_set_aside_by_a_hold_cannot_be_spent(self, usd):
        credit(usd, 100)
        services.hold_place(wallet=usd, amount=60)

        with pytest.raises(ledger.InsufficientFunds):
            debit(usd, 41)

        debit(usd, 40)
        assert balances(usd) == (60, 0)

    def test_a_frozen_wallet_refuses_debits(self, usd):
        credit(usd, 100)
        freeze(usd)

        with pytest.raises(ledger.WalletFrozen):
            debit(usd, 1)

        assert balances(usd) == (100, 100)


class TestHoldPlace:
    def test_lowers_the_available_balance_only_and_shows_a_pending_transaction(self, usd):
        credit(usd, 1_000)

        placed = services.hold_place(wallet=usd, amount=250, category="groceries", merchant_name="Tesco")

        assert balances(usd) == (1_000, 750)
        assert placed.hold.public_id.startswith("hld_") and placed.hold.status == "held"
        txn = placed.transaction
        assert (txn.status, txn.amount, txn.journal, txn.balance_after) == ("pending", -250, None, None)
        assert (txn.category, txn.merchant_name) == ("groceries", "Tesco")
        assert Wallet.objects.get(pk=usd.pk).last_transaction == txn

    def test_records_transaction_created_and_wallet_balance_updated_in_the_partners_sandbox(
        self, usd, partner, sandbox
    ):
        credit(usd, 1_000)

        placed = services.hold_place(wallet=usd, amount=250)

        [created] = events_for(placed.transaction, "transaction.created")
        assert (created.partner, created.environment) == (partner, sandbox)
        assert created.data["object"]["status"] == "pending"
        assert not events_for(placed.transaction, "transaction.posted")
        latest = events_for(usd, "wallet.balance_updated")[-1]
        assert latest.environment == sandbox
        assert latest.data["object"]["available_balance"] == {"amount": 750, "currency": "USD"}

    def test_a_hold_beyond_the_available_balance_is_refused_and_nothing_is_written(self, usd):
        credit(usd, 1_000)
        services.hold_place(wallet=usd, amount=600)
        before = book_size()

        with pytest.raises(ledger.InsufficientFunds):
            services.hold_place(wallet=usd, amount=401)

        assert book_size() == before
        assert balances(usd) == (1_000, 400)

    def test_a_frozen_wallet_refuses_holds(self, usd):
        credit(usd, 1_000)
        freeze(usd)

        with pytest.raises(ledger.WalletFrozen):
            services.hold_place(wallet=usd, amount=1)

        assert not Hold.objects.exists()

    @pytest.mark.parametrize("amount", [0, -1])
    def test_a_hold_must_be_positive(self, usd, amount):
        credit(usd, 10)

        with pytest.raises(services.InvalidAmount):
            services.hold_place(wallet=usd, amount=amount)


class TestHoldCapture:
    def test_capturing_in_full_posts_the_pending_transaction(self, usd, sandbox):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)

        posted = services.hold_capture(hold=placed.hold)

        assert posted.pk == placed.transaction.pk
        assert (posted.status, posted.amount, posted.balance_after) == ("posted", -300, 700)
        assert posted.journal.kind == "hold_capture"
        assert balances(usd) == (700, 700)
        assert Hold.objects.get(pk=placed.hold.pk).status == "captured"
        [event] = events_for(posted, "transaction.posted")
        assert event.environment == sandbox and event.data["object"]["amount"] == -300
        assert reconciliation.reconcile().ok

    def test_capturing_less_than_held_gives_the_rest_back(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)

        posted = services.hold_capture(hold=placed.hold, amount=120)

        assert posted.amount == -120
        assert balances(usd) == (880, 880)
        assert reconciliation.reconcile().ok

    def test_capturing_more_than_held_is_refused_and_the_hold_stays(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        before = book_size()

        with pytest.raises(services.InvalidAmount) as refused:
            services.hold_capture(hold=placed.hold, amount=301)

        assert refused.value.status == 400
        assert book_size() == before
        assert Hold.objects.get(pk=placed.hold.pk).status == "held"
        assert balances(usd) == (1_000, 700)

    def test_capturing_twice_is_a_state_conflict(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        services.hold_capture(hold=placed.hold)

        with pytest.raises(ledger.InvalidStateTransition) as refused:
            services.hold_capture(hold=placed.hold)

        assert refused.value.status == 409
        assert balances(usd) == (700, 700)

    def test_a_released_hold_cannot_be_captured(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        services.hold_release(hold=placed.hold)

        with pytest.raises(ledger.InvalidStateTransition):
            services.hold_capture(hold=placed.hold)

        assert balances(usd) == (1_000, 1_000)

    def test_a_payment_authorised_before_a_freeze_still_settles(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        freeze(usd)

        services.hold_capture(hold=placed.hold)

        assert balances(usd) == (700, 700)

    def test_the_first_capture_in_a_currency_creates_its_clearing_account(self, holder, partner):
        wallet = services.wallet_open(holder=holder, currency="KWD")
        credit(wallet, 5_000)
        placed = services.hold_place(wallet=wallet, amount=1_250)

        services.hold_capture(hold=placed.hold)

        account = LedgerAccount.objects.get(kind="system", code=ledger.CLEARING_CARD, currency="KWD")
        assert account.partner == partner
        assert account.entries.get().amount == 1_250


class TestHoldRelease:
    def test_gives_the_money_back_and_reverses_the_pending_transaction(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        journals = Journal.objects.count()

        released = services.hold_release(hold=placed.hold)

        assert released.status == "released"
        assert balances(usd) == (1_000, 1_000)
        assert Transaction.objects.get(pk=placed.transaction.pk).status == "reversed"
        assert Journal.objects.count() == journals
        assert events_for(usd, "wallet.balance_updated")[-1].data["object"]["available_balance"]["amount"] == 1_000

    def test_releasing_twice_is_a_state_conflict(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        services.hold_release(hold=placed.hold)

        with pytest.raises(ledger.InvalidStateTransition) as refused:
            services.hold_release(hold=placed.hold)

        assert refused.value.status == 409
        assert balances(usd) == (1_000, 1_000)

    def test_a_captured_hold_cannot_be_released(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        services.hold_capture(hold=placed.hold)

        with pytest.raises(ledger.InvalidStateTransition):
            services.hold_release(hold=placed.hold)

        assert balances(usd) == (700, 700)


class TestTransactionReverse:
    def test_reversing_a_payment_refunds_it_with_a_mirror_journal(self, usd, sandbox):
        credit(usd, 1_000)
        payment = debit(usd, 400, merchant_name="Pret")

        refund = services.transaction_reverse(txn=payment)

        assert balances(usd) == (1_000, 1_000)
        assert (refund.status, refund.amount, refund.type, refund.category) == ("posted", 400, "refund", "refund")
        assert refund.merchant_name == "Pret" and refund.balance_after == 1_000
        assert refund.journal.kind == "reversal" and refund.journal.reverses == payment.journal
        assert Transaction.objects.get(pk=payment.pk).status == "reversed"
        mirrored = sorted(-e.amount for e in payment.journal.entries.all())
        assert sorted(e.amount for e in refund.journal.entries.all()) == mirrored
        [event] = events_for(refund, "transaction.posted")
        assert event.environment == sandbox
        assert reconciliation.reconcile().ok

    def test_reversing_either_side_of_a_wallet_to_wallet_journal_undoes_both(self, usd, other_holder):
        other = services.wallet_open(holder=other_holder, currency="USD")
        credit(usd, 1_000)
        posting = move(usd, other, 300)
        sent, received = posting.transactions

        services.transaction_reverse(txn=received)

        assert balances(usd) == (1_000, 1_000) and balances(other) == (0, 0)
        assert {t.status for t in Transaction.objects.filter(pk__in=[sent.pk, received.pk])} == {"reversed"}
        with pytest.raises(ledger.InvalidStateTransition):
            services.transaction_reverse(txn=sent)

    def test_reversing_twice_is_a_state_conflict(self, usd):
        credit(usd, 1_000)
        payment = debit(usd, 400)
        services.transaction_reverse(txn=payment)
        before = book_size()

        with pytest.raises(ledger.InvalidStateTransition) as refused:
            services.transaction_reverse(txn=payment)

        assert refused.value.status == 409
        assert book_size() == before

    def test_a_reversal_cannot_be_reversed(self, usd):
        credit(usd, 1_000)
        refund = services.transaction_reverse(txn=debit(usd, 400))
        before = book_size()

        with pytest.raises(ledger.InvalidStateTransition) as refused:
            services.transaction_reverse(txn=refund)

        assert refused.value.status == 409
        assert book_size() == before
        assert balances(usd) == (1_000, 1_000)

    def test_a_pending_transaction_cannot_be_reversed(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)

        with pytest.raises(ledger.InvalidStateTransition) as refused:
            services.transaction_reverse(txn=placed.transaction)

        assert refused.value.status == 409
        assert Hold.objects.get(pk=placed.hold.pk).status == "held"

    def test_a_released_holds_transaction_cannot_be_reversed(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        services.hold_release(hold=placed.hold)

        with pytest.raises(ledger.InvalidStateTransition):
            services.transaction_reverse(txn=placed.transaction)

    def test_a_captured_hold_can_be_refunded(self, usd):
        credit(usd, 1_000)
        placed = services.hold_place(wallet=usd, amount=300)
        captured = services.hold_capture(hold=placed.hold, amount=250)

        services.transaction_reverse(txn=captured)

        assert balances(usd) == (1_000, 1_000)
        assert reconciliation.reconcile().ok

    def test_reversing_a_credit_that_was_spent_is_refused(self, usd):
        deposit = credit(usd, 1_000)
        debit(usd, 900)

        with pytest.raises(ledger.InsufficientFunds):
            services.transaction_reverse(txn=deposit)

        assert Transaction.objects.get(pk=deposit.pk).status == "posted"
        assert balances(usd) == (100, 100)


class TestJournalPost:
    def _post(self, lines, holder):
        with transaction.atomic(durable=True):
            return ledger.journal_post(kind="test", lines=lines, environment="sandbox", partner=holder.partner)

    def _clearing(self, holder, currency="USD"):
        return ledger.system_account(
            code=ledger.CLEARING_BANK, currency=currency, environment="sandbox", partner=holder.partner
        )

    def test_lines_that_do_not_sum_to_zero_are_refused(self, holder, usd):
        with pytest.raises(ledger.UnbalancedJournal):
            self._post([Line(ledger.wallet_account(usd), 100), Line(self._clearing(holder), -99)], holder)

        assert not Journal.objects.exists()

    def test_a_single_line_is_refused(self, holder, usd):
        with pytest.raises(ledger.UnbalancedJournal):
            self._post([Line(ledger.wallet_account(usd), 100)], holder)

    def test_a_zero_line_is_refused(self, holder, usd):
        account = ledger.wallet_account(usd)
        with pytest.raises(ledger.UnbalancedJournal):
            self._post([Line(account, 100), Line(self._clearing(holder), -100), Line(account, 0)], holder)

    def test_each_currency_must_balance_on_its_own(self, holder, usd):
        eur = services.wallet_open(holder=holder, currency="EUR")
        lines = [Line(ledger.wallet_account(usd), 100), Line(self._clearing(holder, "EUR"), -100)]
        with pytest.raises(ledger.UnbalancedJournal):
            self._post(lines, holder)
        assert balances(eur) == (0, 0)

    @pytest.mark.django_db(transaction=True)
    def test_it_refuses_to_run_outside_a_transaction(self, holder, usd):
        with pytest.raises(RuntimeError):
            ledger.journal_post(
                kind="test",
                lines=[Line(ledger.wallet_account(usd), 1), Line(self._clearing(holder), -1)],
                environment="sandbox",
                partner=holder.partner,
            )

    def test_an_unknown_system_account_code_is_a_programming_error(self, holder):
        with pytest.raises(ValueError):
            ledger.system_account(code="suspense", currency="USD", environment="sandbox", partner=holder.partner)
