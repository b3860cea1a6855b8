"""Property test of the ledger: hypothesis runs random sequences of wallet opens and closes, credits, debits,
wallet-to-wallet moves, holds, captures (full and partial), releases and reversals through the real durable
entry points, keeps a model of what every balance must be, and checks the book's invariants after every step.

Each refusal must have a true reason (an ``InsufficientFunds`` only when the model says the money is short, a
``WalletFrozen`` only on a closed wallet, a 409 only on something already finished), and each success must
change exactly what the model says."""

from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from apps.core.errors import ApplicationError
from apps.wallets import ledger, services
from apps.wallets.ledger import InsufficientFunds, InvalidStateTransition, Line, TransactionSpec, WalletFrozen
from apps.wallets.models import Entry, Hold, Transaction, Wallet
from tests.helpers import assert_book_balanced

pytestmark = pytest.mark.django_db(transaction=True)

HOLDERS = 3
CURRENCIES = ("USD", "JPY", "XPT")

MACHINE_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@dataclass
class ModelWallet:
    wallet: Wallet
    ledger: int = 0
    available: int = 0
    closed: bool = False


@dataclass
class ModelJournal:
    deltas: dict[int, int]
    transactions: list[int]
    is_reversal: bool = False
    reversed: bool = False


@dataclass
class ModelHold:
    hold: Hold
    wallet_pk: int
    amount: int
    status: str = "held"
    journal_pk: int | None = None


@dataclass
class Model:
    wallets: dict[int, ModelWallet] = field(default_factory=dict)
    open_by_key: dict[tuple[int, str], int] = field(default_factory=dict)
    journals: dict[int, ModelJournal] = field(default_factory=dict)
    holds: dict[int, ModelHold] = field(default_factory=dict)
    # Every transaction this run created: pk -> (journal pk or None, hold pk or None)
    transactions: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)

    def txn_status(self, txn_pk: int) -> str:
        journal_pk, hold_pk = self.transactions[txn_pk]
        if hold_pk is not None:
            hold = self.holds[hold_pk]
            if hold.status == "held":
                return "pending"
            if hold.status == "released":
                return "reversed"
            journal_pk = hold.journal_pk
        assert journal_pk is not None
        return "reversed" if self.journals[journal_pk].reversed else "posted"


class LedgerMachine(RuleBasedStateMachine):
    partner = None  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.holders = [
            services.holder_create(environment="sandbox", partner=self.partner, name=f"Holder {i}")
            for i in range(HOLDERS)
        ]
        self.model = Model()

    # --- helpers ------------------------------------------------------------------------------------------------
    def _wallet(self, data, currency: str | None = None) -> ModelWallet:
        """Mostly an open wallet (closed ones refuse everything, so they are drawn one time in ten)."""
        candidates = [w for w in self.model.wallets.values() if currency is None or w.wallet.currency == currency]
        open_ones = [w for w in candidates if not w.closed]
        if open_ones and data.draw(st.integers(0, 9), label="closed wallet?") != 0:
            candidates = open_ones
        pks = sorted(w.wallet.pk for w in candidates)
        return self.model.wallets[data.draw(st.sampled_from(pks), label="wallet")]

    @staticmethod
    def _amount(data, available: int) -> int:
        """Mostly an amount the wallet can afford; one time in five more than it has."""
        if available > 0 and data.draw(st.integers(0, 4), label="overdraw?") != 0:
            return data.draw(st.integers(1, available), label="amount")
        return data.draw(st.integers(available + 1, available + 1_000), label="amount")

    def _record_posting(self, posting: ledger.Posting, deltas: dict[int, int], *, is_reversal: bool = False) -> None:
        txns = [t.pk for t in posting.transactions]
        self.model.journals[posting.journal.pk] = ModelJournal(
            deltas=deltas, transactions=txns, is_reversal=is_reversal
        )
        for pk in txns:
            self.model.transactions.setdefault(pk, (posting.journal.pk, None))
        for wallet_pk, delta in deltas.items():
            self.model.wallets[wallet_pk].ledger += delta
            self.model.wallets[wallet_pk].available += delta

    def _expect_refusal_reason(self, error: ApplicationError, deltas: dict[int, int]) -> None:
        """A refused posting must have a true reason."""
        wallets = [self.model.wallets[pk] for pk in deltas]
        if isinstance(error, WalletFrozen):
            assert any(w.closed for w in wallets), error
        elif isinstance(error, InsufficientFunds):
            assert any(self.model.wallets[pk].available + d < 0 for pk, d in deltas.items() if d < 0), error
        else:
            raise AssertionError(f"unexpected refusal {error!r}")

    def _could_post(self, deltas: dict[int, int]) -> bool:
        return all(
            not self.model.wallets[pk].closed and self.model.wallets[pk].available + d >= 0 for pk, d in deltas.items()
        )

    def _post(self, deltas: dict[int, int], call, *, is_reversal: bool = False):
        expected_ok = self._could_post(deltas)
        try:
            result = call()
        except (WalletFrozen, InsufficientFunds) as error:
            assert not expected_ok, f"refused although the model allows it: {error!r}"
            self._expect_refusal_reason(error, deltas)
            return None
        assert expected_ok, "posted although the model refuses it"
        return result

    # --- rules --------------------------------------------------------------------------------------------------
    @initialize()
    def open_first_wallets(self) -> None:
        for index in range(2):
            wallet = self._open(index, "USD")
            services.external_credit(wallet=wallet, amount=10_000, type="deposit", category="salary")
            self.model.wallets[wallet.pk].ledger = self.model.wallets[wallet.pk].available = 10_000

    def _open(self, holder_index: int, currency: str) -> Wallet:
        wallet = services.wallet_open(holder=self.holders[holder_index], currency=currency)
        self.model.wallets[wallet.pk] = ModelWallet(wallet=wallet)
        self.model.open_by_key[(holder_index, currency)] = wallet.pk
        return wallet

    @rule(holder_index=st.integers(0, HOLDERS - 1), currency=st.sampled_from(CURRENCIES))
    def open_wallet(self, holder_index: int, currency: str) -> None:
        if (holder_index, currency) in self.model.open_by_key:
            with pytest.raises(services.WalletExists):
                services.wallet_open(holder=self.holders[holder_index], currency=currency)
        else:
            self._open(holder_index, currency)

    @rule(data=st.data())
    def close_wallet(self, data) -> None:
        target = self._wallet(data)
        if target.closed:
            with pytest.raises(InvalidStateTransition):
                services.wallet_close(wallet=target.wallet)
        elif target.ledger or target.available:
            with pytest.raises(services.WalletNotEmpty):
                services.wallet_close(wallet=target.wallet)
        else:
            services.wallet_close(wallet=target.wallet)
            target.closed = True
            holder_index = next(i for i, h in enumerate(self.holders) if h.pk == target.wallet.holder_id)
            del self.model.open_by_key[(holder_index, target.wallet.currency)]

    @rule(data=st.data(), amount=st.integers(min_value=1, max_value=20_000))
    def credit(self, data, amount: int) -> None:
        target = self._wallet(data)
        rail = ledger.POINTS_ISSUANCE if target.wallet.currency == "XPT" else ledger.CLEARING_BANK
        deltas = {target.wallet.pk: amount}
        posting_txn = self._post(
            deltas,
            lambda: services.external_credit(
                wallet=target.wallet, amount=amount, type="deposit", category="income", rail=rail
            ),
        )
        if posting_txn is not None:
            self._record_posting(ledger.Posting(journal=posting_txn.journal, transactions=[posting_txn]), deltas)

    @rule(data=st.data())
    def debit(self, data) -> None:
        target = self._wallet(data)
        amount = self._amount(data, target.available)
        deltas = {target.wallet.pk: -amount}
        txn = self._post(
            deltas,
            lambda: services.external_debit(
                wallet=target.wallet, amount=amount, type="card_payment", category="dining"
            ),
        )
        if txn is not None:
            self._record_posting(ledger.Posting(journal=txn.journal, transactions=[txn]), deltas)

    def _movable_currencies(self) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        for w in self.model.wallets.values():
            counts[w.wallet.currency] += 1
        return sorted(c for c, n in counts.items() if n > 1 and c != "XPT")

    @precondition(lambda self: bool(self._movable_currencies()))
    @rule(data=st.data())
    def move(self, data) -> None:
        """A wallet-to-wallet journal through ``journal_post`` in its own durable transaction, as transfers do.
        Points never move between holders (``PointsNotTransferable``, tested on its own), so XPT is left out."""
        by_currency = defaultdict(list)
        for pk, w in self.model.wallets.items():
            by_currency[w.wallet.currency].append(pk)
        currency = data.draw(st.sampled_from(self._movable_currencies()))
        source = self._wallet(data, currency)
        destination = self._wallet(data, currency)
        if source is destination:
            return
        amount = self._amount(data, source.available)
        deltas = {source.wallet.pk: -amount, destination.wallet.pk: amount}

        def post() -> ledger.Posting:
            spec = TransactionSpec(type="transfer", category="transfer")
            with transaction.atomic(durable=True):
                return ledger.journal_post(
                    kind="transfer",
                    lines=[
                        Line(ledger.wallet_account(source.wallet), -amount, spec),
                        Line(ledger.wallet_account(destination.wallet), amount, spec),
                    ],
                    environment="sandbox",
                    partner=self.partner,
                )

        posting = self._post(deltas, post)
        if posting is not None:
            self._record_posting(posting, deltas)

    @rule(data=st.data())
    def hold_place(self, data) -> None:
        target = self._wallet(data)
        amount = self._amount(data, target.available)
        deltas = {target.wallet.pk: -amount}
        placed = self._post(deltas, lambda: services.hold_place(wallet=target.wallet, amount=amount))
        if placed is not None:
            self.model.holds[placed.hold.pk] = ModelHold(hold=placed.hold, wallet_pk=target.wallet.pk, amount=amount)
            self.model.transactions[placed.transaction.pk] = (None, placed.hold.pk)
            target.available -= amount

    @precondition(lambda self: self.model.holds)
    @rule(data=st.data())
    def hold_capture(self, data) -> None:
        held = self.model.holds[data.draw(st.sampled_from(sorted(self.model.holds)), label="hold")]
        amount = data.draw(st.none() | st.integers(min_value=1, max_value=held.amount + 3), label="capture")
        if held.status != "held":
            with pytest.raises(InvalidStateTransition):
                services.hold_capture(hold=held.hold, amount=amount)
            return
        if amount is not None and amount > held.amount:
            with pytest.raises(services.InvalidAmount):
                services.hold_capture(hold=held.hold, amount=amount)
            return
        captured = held.amount if amount is None else amount
        txn = services.hold_capture(hold=held.hold, amount=amount)
        assert (txn.status, txn.amount) == ("posted", -captured)
        wallet = self.model.wallets[held.wallet_pk]
        wallet.available += held.amount
        held.status, held.journal_pk = "captured", txn.journal_id
        self._record_posting(ledger.Posting(journal=txn.journal, transactions=[txn]), {held.wallet_pk: -captured})

    @precondition(lambda self: self.model.holds)
    @rule(data=st.data())
    def hold_release(self, data) -> None:
        held = self.model.holds[data.draw(st.sampled_from(sorted(self.model.holds)), label="hold")]
        if held.status != "held":
            with pytest.raises(InvalidStateTransition):
                services.hold_release(hold=held.hold)
            return
        services.hold_release(hold=held.hold)
        held.status = "released"
        self.model.wallets[held.wallet_pk].available += held.amount

    @precondition(lambda self: self.model.transactions)
    @rule(data=st.data())
    def reverse(self, data) -> None:
        txn_pk = data.draw(st.sampled_from(sorted(self.model.transactions)), label="transaction")
        status = self.model.txn_status(txn_pk)
        txn = Transaction.objects.get(pk=txn_pk)
        if status != "posted":
            with pytest.raises(InvalidStateTransition):
                services.transaction_reverse(txn=txn)
            return
        journal_pk, hold_pk = self.model.transactions[txn_pk]
        if hold_pk is not None:
            journal_pk = self.model.holds[hold_pk].journal_pk
        journal = self.model.journals[journal_pk]
        if journal.is_reversal:
            with pytest.raises(InvalidStateTransition):
                services.transaction_reverse(txn=txn)
            return
        deltas = {pk: -delta for pk, delta in journal.deltas.items()}
        refund = self._post(deltas, lambda: services.transaction_reverse(txn=txn))
        if refund is not None:
            journal.reversed = True
            reversal = refund.journal
            posting = ledger.Posting(journal=reversal, transactions=list(reversal.transactions.all()))
            self._record_posting(posting, deltas, is_reversal=True)

    # --- invariants ---------------------------------------------------------------------------------------------
    @invariant()
    def the_book_reconciles(self) -> None:
        assert_book_balanced()

    # reconcile() checks the whole book; the checks below are independent of it and look only at this run's
    # wallets and journals, so they stay cheap as the book grows across examples.
    @invariant()
    def every_journal_has_two_or_more_entries_summing_to_zero_per_currency(self) -> None:
        entries = Entry.objects.filter(journal_id__in=self.model.journals)
        unbalanced = entries.values("journal_id", "currency").annotate(total=Sum("amount")).exclude(total=0)
        assert not unbalanced.exists(), list(unbalanced)
        lonely = entries.values("journal_id").annotate(n=Count("id")).filter(n__lt=2)
        assert not lonely.exists(), list(lonely)

    @invariant()
    def every_balance_is_what_the_model_says_and_what_entries_and_holds_say(self) -> None:
        pks = list(self.model.wallets)
        entries = dict(
            Entry.objects.filter(account__wallet__in=pks)
            .values_list("account__wallet_id")
            .annotate(t=Sum("amount"))
            .values_list("account__wallet_id", "t")
        )
        held = dict(
            Hold.objects.filter(wallet__in=pks, status="held")
            .values_list("wallet_id")
            .annotate(t=Sum("amount"))
            .values_list("wallet_id", "t")
        )
        rows = Wallet.objects.filter(pk__in=pks).values_list("pk", "ledger_balance", "available_balance", "status")
        for pk, ledger_balance, available, status in rows:
            expected = self.model.wallets[pk]
            assert (ledger_balance, available) == (expected.ledger, expected.available), pk
            assert (status == "closed") == expected.closed
            assert ledger_balance == entries.get(pk, 0)
            assert available == ledger_balance - held.get(pk, 0)
            assert 0 <= available <= ledger_balance

    @invariant()
    def the_transactions_partners_see_add_up_to_the_balances(self) -> None:
        sums = (
            Transaction.objects.filter(wallet__in=list(self.model.wallets))
            .values("wallet_id")
            .annotate(
                booked=Sum("amount", filter=Q(journal__isnull=False)),
                pending=Sum("amount", filter=Q(status="pending")),
            )
        )
        by_wallet = {row["wallet_id"]: row for row in sums}
        for pk, expected in self.model.wallets.items():
            row = by_wallet.get(pk, {})
            assert (row.get("booked") or 0) == expected.ledger
            assert -(row.get("pending") or 0) == expected.ledger - expected.available


class TestLedgerProperties:
    def test_random_operations_keep_every_invariant(self, partner):
        class Machine(LedgerMachine):
            pass

        Machine.partner = partner
        run_state_machine_as_test(Machine, settings=MACHINE_SETTINGS)
