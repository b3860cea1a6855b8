"""Property test of transfers: hypothesis runs random sequences of p2p transfers, top-ups and payouts (some caught
by a review rule and held), rail steps, cancels, full and partial reversals and staff releases and rejections
through the real durable services, keeps a model of every balance and status, and checks the book after every
step.

The model knows the seeded limits of the holders' tier and the review rules (sanctioned names, the review
threshold, a first large transfer to a new counterparty), so every refusal must have a true reason and every
success must change exactly what the model says."""

from dataclasses import dataclass

import pytest
from django.db import connection
from hypothesis import HealthCheck, event, settings
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
from apps.transfers.lifecycle import (
    ReversalExceedsRemaining,
    transfer_advance,
    transfer_cancel,
    transfer_reverse,
    transfer_review_reject,
    transfer_review_release,
)
from apps.transfers.limits import REVIEW_COMPLIANCE, REVIEW_NEW_COUNTERPARTY, REVIEW_OVER_THRESHOLD, LimitExceeded
from apps.transfers.models import LimitRule, Transfer
from apps.transfers.services import NoFundingSource, TransferRequest, transfer_create
from apps.transfers.tasks import transfer_advance_task
from apps.wallets.ledger import CurrencyMismatch, InsufficientFunds, InvalidStateTransition
from apps.wallets.models import FundingSource, Wallet
from tests.core.factories import UserFactory
from tests.helpers import assert_book_balanced
from tests.transfers.factories import api_key_principal, transfer_problems
from tests.wallets.factories import DECLINED_ACCOUNT_NUMBER, add_bank_account, make_holder, make_wallet

pytestmark = pytest.mark.django_db(transaction=True)

S = Transfer.Status
T = Transfer.Type
CURRENCIES = ("USD", "EUR")
SANCTIONED = "Sanctioned Person"
HOLDER_NAMES = ("Holder Zero", "Holder One", SANCTIONED)
# Above the review threshold (a large transfer can be held) and below the per-transfer limit (overdrawing is
# refused for the money, not the limit) of the seeded "full" tier.
OPENING_BALANCE = 1_500_000
# Each holder's bank accounts in fallback order: (currency, declines at the rail, account holder name on the
# sanctions list). A USD top-up of Holder Zero without a source starts from an account that declines and falls
# back; Holder One's only EUR account declines; the sanctioned holder has no EUR account.
SOURCES = (
    (("USD", True, False), ("USD", False, False), ("EUR", False, False)),
    (("EUR", True, False), ("USD", False, False), ("USD", False, True)),
    (("USD", False, False),),
)
# Who acts: the sanctioned holder (whose every transfer is held) one time in five.
HOLDERS = st.sampled_from([0, 0, 1, 1, 2])
PAIRS = st.sampled_from([(0, 1), (1, 0)] * 3 + [(0, 2), (2, 0), (1, 2), (2, 1)])
NOT_COUNTED = (S.FAILED, S.CANCELED)
# While a transfer waits, its money is set aside on the source wallet (held p2p, pending or held payouts).
WAITING = (S.PENDING, S.HELD, S.PROCESSING)

MACHINE_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Every query is a round trip on PostgreSQL, whose pass also runs the concurrency tests: there, fewer examples of
# the same depth keep it within its time budget (SQLite runs all 30).
POSTGRES_SETTINGS = settings(MACHINE_SETTINGS, max_examples=20)


@dataclass
class ModelWallet:
    wallet: Wallet
    holder: int
    ledger: int = 0
    available: int = 0


@dataclass
class ModelSource:
    source: FundingSource
    currency: str
    declines: bool
    sanctioned: bool


@dataclass
class ModelTransfer:
    transfer: Transfer
    type: str
    holder: int
    amount: int
    currency: str
    status: str
    source: int | None = None  # wallet pk
    destination: int | None = None  # wallet pk
    bank: ModelSource | None = None
    explicit: bool = True
    amount_reversed: int = 0
    failure_code: str = ""

    def sets_money_aside(self) -> bool:
        """A hold on the source wallet: a payout until it settles, a p2p transfer while it is held."""
        if self.status not in WAITING:
            return False
        return self.type == T.PAYOUT or (self.type == T.P2P and self.status == S.HELD)


class TransferMachine(RuleBasedStateMachine):
    environment = None  # set by the test
    staff = None

    def __init__(self) -> None:
        super().__init__()
        self.principal = api_key_principal(environment=self.environment)
        self.holders = [make_holder(partner=self.environment.partner, kyc_tier="full", name=n) for n in HOLDER_NAMES]
        self.rules = {c: LimitRule.objects.get(kyc_tier="full", currency=c) for c in CURRENCIES}
        self.wallets: dict[int, ModelWallet] = {}
        self.wallet_of: dict[tuple[int, str], ModelWallet] = {}
        self.sources: list[list[ModelSource]] = []
        self.transfers: dict[int, ModelTransfer] = {}

    @initialize()
    def open_wallets_and_bank_accounts(self) -> None:
        for index, holder in enumerate(self.holders):
            for currency in CURRENCIES:
                wallet = make_wallet(holder=holder, currency=currency, balance=OPENING_BALANCE)
                modelled = ModelWallet(wallet, index, OPENING_BALANCE, OPENING_BALANCE)
                self.wallets[wallet.pk] = self.wallet_of[(index, currency)] = modelled
            self.sources.append(
                [
                    ModelSource(
                        add_bank_account(
                            holder=holder,
                            currency=currency,
                            account_number=DECLINED_ACCOUNT_NUMBER if declines else "31926819",
                            name=SANCTIONED if sanctioned else "",
                        ),
                        currency,
                        declines,
                        sanctioned,
                    )
                    for currency, declines, sanctioned in SOURCES[index]
                ]
            )

    # --- the model's rules ------------------------------------------------------------------------------------------
    def _over_limit(self, holder: int, currency: str, amount: int) -> bool:
        """``limits_check``: per transfer, then the rolling totals of what counts (everything here is recent)."""
        rule = self.rules[currency]
        counted = [t for t in self.transfers.values() if t.holder == holder and t.status not in NOT_COUNTED]
        used = sum(t.amount for t in counted if t.currency == currency)
        return (
            amount > rule.per_transfer_max
            or used + amount > min(rule.daily_max, rule.monthly_max)
            or len(counted) + 1 > rule.velocity_max_count
        )

    def _knows(self, holder: int, counterparty: int) -> bool:
        return any(
            t.type == T.P2P
            and t.holder == holder
            and self.wallets[t.destination].holder == counterparty
            and t.status in (S.SUCCEEDED, S.REVERSED)
            for t in self.transfers.values()
        )

    def _review(
        self, kind: str, *, holder: int, amount: int, currency: str, counterparty: int | None = None, named=False
    ) -> str:
        """``review_reason``: sanctions screening, then the review threshold, then a new counterparty."""
        rule = self.rules[currency]
        names = [HOLDER_NAMES[holder]] + ([HOLDER_NAMES[counterparty]] if counterparty is not None else [])
        if named or SANCTIONED in names:
            return REVIEW_COMPLIANCE
        if amount > rule.review_threshold:
            return REVIEW_OVER_THRESHOLD
        if (
            kind == T.P2P
            and counterparty is not None
            and amount >= rule.new_counterparty_review_amount
            and not self._knows(holder, counterparty)
        ):
            return REVIEW_NEW_COUNTERPARTY
        return ""

    # --- drawing ----------------------------------------------------------------------------------------------------
    def _amount(self, data, currency: str, available: int) -> int:
        """Mostly small; sometimes about all the wallet has, more than it has, in a review band, or over the
        per-transfer limit."""
        rule = self.rules[currency]
        bands = {
            "small": (1, 20_000),
            "everything": (max(1, available - 500), max(1, available)),
            "overdraw": (available + 1, available + 1_000),
            "new counterparty": (rule.new_counterparty_review_amount, rule.review_threshold),
            "review": (rule.review_threshold + 1, rule.per_transfer_max),
            "too big": (rule.per_transfer_max + 1, rule.per_transfer_max + 1_000),
        }
        band = data.draw(st.sampled_from(["small"] * 8 + list(bands)[1:]), label="amount band")
        return data.draw(st.integers(*bands[band]), label="amount")

    def _pick(self, data, wanted) -> ModelTransfer:
        """Mostly a transfer the operation applies to (``wanted``); one time in five any transfer, to check the
        refusal."""
        candidates = sorted(self.transfers)
        fitting = [pk for pk in candidates if wanted(self.transfers[pk])]
        if fitting and data.draw(st.integers(0, 4), label="fitting?") != 0:
            candidates = fitting
        return self.transfers[data.draw(st.sampled_from(candidates), label="transfer")]

    def _create(self, request: TransferRequest, refusal: type[ApplicationError] | None) -> Transfer | None:
        if refusal is not None:
            event(f"create {request.type}: {refusal.code}")
            with pytest.raises(refusal):
                transfer_create(principal=self.principal, request=request)
            return None
        return transfer_create(principal=self.principal, request=request)

    def _created(self, transfer: Transfer, modelled: ModelTransfer, reason: str) -> None:
        event(f"create {modelled.type}: {modelled.status} {reason}".strip())
        assert (transfer.status, transfer.review_reason) == (modelled.status, reason)
        self.transfers[transfer.pk] = modelled

    # --- creating ---------------------------------------------------------------------------------------------------
    @rule(data=st.data(), currency=st.sampled_from(CURRENCIES), pair=PAIRS)
    def create_p2p(self, data, currency: str, pair: tuple[int, int]) -> None:
        payer, payee = pair
        source, destination = self.wallet_of[(payer, currency)], self.wallet_of[(payee, currency)]
        amount = self._amount(data, currency, source.available)
        request = TransferRequest(
            type="p2p",
            source=source.wallet.public_id,
            destination=destination.wallet.public_id,
            amount=amount,
            currency=currency,
        )
        reason = self._review(T.P2P, holder=payer, amount=amount, currency=currency, counterparty=payee)
        refusal = (
            LimitExceeded
            if self._over_limit(payer, currency, amount)
            else InsufficientFunds
            if source.available < amount
            else None
        )
        transfer = self._create(request, refusal)
        if transfer is None:
            return
        modelled = ModelTransfer(
            transfer,
            T.P2P,
            payer,
            amount,
            currency,
            S.HELD if reason else S.SUCCEEDED,
            source=source.wallet.pk,
            destination=destination.wallet.pk,
        )
        self._created(transfer, modelled, reason)
        source.available -= amount
        if not reason:
            source.ledger -= amount
            destination.ledger += amount
            destination.available += amount

    def _bank(self, data, holder: int, currency: str, *, implicit: bool) -> tuple[ModelSource | None, bool]:
        """One of the holder's accounts (any currency: another is a ``currency_mismatch``), or, with
        ``implicit``, maybe none: the first in the fallback order that fits the currency."""
        sources = self.sources[holder]
        first_fitting = next((s for s in sources if s.currency == currency), None)
        if implicit and data.draw(st.integers(0, 3), label="name the source?") == 0:
            return first_fitting, False
        fitting = [s for s in sources if s.currency == currency]
        if not fitting or data.draw(st.integers(0, 9), label="any currency?") == 0:
            fitting = sources
        return data.draw(st.sampled_from(fitting), label="bank account"), True

    @rule(data=st.data(), holder=HOLDERS, currency=st.sampled_from(CURRENCIES))
    def create_top_up(self, data, holder: int, currency: str) -> None:
        wallet = self.wallet_of[(holder, currency)]
        bank, explicit = self._bank(data, holder, currency, implicit=True)
        amount = self._amount(data, currency, 0)
        request = TransferRequest(
            type="top_up",
            source=bank.source.public_id if explicit and bank else None,
            destination=wallet.wallet.public_id,
            amount=amount,
            currency=currency,
        )
        if bank is None:
            self._create(request, NoFundingSource)
            return
        if bank.currency != currency:
            self._create(request, CurrencyMismatch)
            return
        if self._over_limit(holder, currency, amount):
            self._create(request, LimitExceeded)
            return
        reason = self._review(T.TOP_UP, holder=holder, amount=amount, currency=currency, named=bank.sanctioned)
        transfer = self._create(request, None)
        assert transfer is not None
        status = S.HELD if reason else S.PENDING
        modelled = ModelTransfer(
            transfer, T.TOP_UP, holder, amount, currency, status, destination=wallet.wallet.pk, bank=bank
        )
        modelled.explicit = explicit  # without a named source the rail may fall back to the next account
        self._created(transfer, modelled, reason)
        # A pending credit: nothing is spendable until the rail settles it.

    @rule(data=st.data(), holder=HOLDERS, currency=st.sampled_from(CURRENCIES))
    def create_payout(self, data, holder: int, currency: str) -> None:
        wallet = self.wallet_of[(holder, currency)]
        bank, _ = self._bank(data, holder, currency, implicit=False)
        assert bank is not None
        amount = self._amount(data, currency, wallet.available)
        request = TransferRequest(
            type="payout",
            source=wallet.wallet.public_id,
            destination=bank.source.public_id,
            amount=amount,
            currency=currency,
        )
        if bank.currency != currency:
            self._create(request, CurrencyMismatch)
            return
        if self._over_limit(holder, currency, amount):
            self._create(request, LimitExceeded)
            return
        if wallet.available < amount:
            self._create(request, InsufficientFunds)
            return
        reason = self._review(T.PAYOUT, holder=holder, amount=amount, currency=currency, named=bank.sanctioned)
        transfer = self._create(request, None)
        assert transfer is not None
        status = S.HELD if reason else S.PENDING
        modelled = ModelTransfer(
            transfer, T.PAYOUT, holder, amount, currency, status, source=wallet.wallet.pk, bank=bank
        )
        self._created(transfer, modelled, reason)
        wallet.available -= amount

    # --- the rail ---------------------------------------------------------------------------------------------------
    def _settles_with(self, modelled: ModelTransfer) -> ModelSource | None:
        """The account the rail takes a top-up from: its own unless it declines; without a named source, the
        next one in the fallback order that fits and does not decline. None: the top-up fails."""
        assert modelled.bank is not None
        if not modelled.bank.declines:
            return modelled.bank
        if modelled.explicit:
            return None
        others = [s for s in self.sources[modelled.holder] if s is not modelled.bank]
        return next((s for s in others if s.currency == modelled.currency and not s.declines), None)

    def _step(self, modelled: ModelTransfer) -> str | None:
        """Apply the rail's next step for ``modelled`` to the model: submitted (``processing``), then settled or
        failed. Returns the status it leaves, or None when nothing is due (not a top-up or payout, held, done)."""
        if modelled.type not in (T.TOP_UP, T.PAYOUT) or modelled.status not in (S.PENDING, S.PROCESSING):
            return None
        if modelled.status == S.PENDING:
            modelled.status = S.PROCESSING
        elif modelled.type == T.TOP_UP:
            used = self._settles_with(modelled)
            if used is None:
                modelled.status, modelled.failure_code = S.FAILED, "funding_source_declined"
            else:
                modelled.status, modelled.bank = S.SUCCEEDED, used
                wallet = self.wallets[modelled.destination]
                wallet.ledger += modelled.amount
                wallet.available += modelled.amount
        else:
            assert modelled.bank is not None
            wallet = self.wallets[modelled.source]
            if modelled.bank.declines:
                modelled.status, modelled.failure_code = S.FAILED, "bank_account_closed"
                wallet.available += modelled.amount
            else:
                # The hold is captured: the money leaves the ledger; it had already left "available".
                modelled.status = S.SUCCEEDED
                wallet.ledger -= modelled.amount
        event(f"rail {modelled.type}: {modelled.status} {modelled.failure_code}".strip())
        return modelled.status

    @staticmethod
    def _on_the_rail(modelled: ModelTransfer) -> bool:
        return modelled.type in (T.TOP_UP, T.PAYOUT) and modelled.status in (S.PENDING, S.PROCESSING)

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def advance(self, data) -> None:
        modelled = self._pick(data, self._on_the_rail)
        expected = self._step(modelled)
        advanced = transfer_advance(transfer_pk=modelled.transfer.pk)
        if expected is None:
            assert advanced is None
            return
        assert advanced is not None
        assert (advanced.status, advanced.failure_code) == (expected, modelled.failure_code)
        assert modelled.bank is not None and advanced.funding_source_id == modelled.bank.source.pk

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def advance_with_the_worker_task(self, data) -> None:
        """The Celery task's body runs the same step (a no-op, returning None, when none is due)."""
        modelled = self._pick(data, self._on_the_rail)
        expected = self._step(modelled)
        assert transfer_advance_task.run(transfer_id=modelled.transfer.public_id) == expected

    # --- cancel, reverse, review ------------------------------------------------------------------------------------
    def _give_back(self, modelled: ModelTransfer) -> None:
        """The money a waiting transfer set aside returns to ``available``."""
        if modelled.sets_money_aside():
            self.wallets[modelled.source].available += modelled.amount

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def cancel(self, data) -> None:
        # Mostly held ones: a pending top-up or payout canceled at once never reaches the rail.
        waiting = (S.HELD,) if data.draw(st.integers(0, 2), label="only held?") else (S.PENDING, S.HELD)
        modelled = self._pick(data, lambda t: t.status in waiting)
        event(f"cancel {modelled.type} {modelled.status}")
        if modelled.status not in (S.PENDING, S.HELD):
            with pytest.raises(InvalidStateTransition):
                transfer_cancel(principal=self.principal, transfer_id=modelled.transfer.public_id)
            return
        canceled = transfer_cancel(principal=self.principal, transfer_id=modelled.transfer.public_id)
        assert canceled.status == S.CANCELED
        self._give_back(modelled)
        modelled.status = S.CANCELED

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def reverse(self, data) -> None:
        modelled = self._pick(data, lambda t: t.status == S.SUCCEEDED)
        remaining = modelled.amount - modelled.amount_reversed
        amount = data.draw(st.none() | st.integers(1, max(1, remaining) + 3), label="reversal")
        public_id = modelled.transfer.public_id
        if modelled.status != S.SUCCEEDED:
            event("reverse: invalid_state_transition")
            with pytest.raises(InvalidStateTransition):
                transfer_reverse(principal=self.principal, transfer_id=public_id, amount=amount)
            return
        if amount is not None and amount > remaining:
            event("reverse: reversal_exceeds_remaining")
            with pytest.raises(ReversalExceedsRemaining):
                transfer_reverse(principal=self.principal, transfer_id=public_id, amount=amount)
            return
        share = remaining if amount is None else amount
        # Money goes back the way it came: out of the wallet that received it (p2p, top-up), into the one that
        # paid (p2p, payout).
        deltas = {
            T.P2P: {modelled.destination: -share, modelled.source: share},
            T.TOP_UP: {modelled.destination: -share},
            T.PAYOUT: {modelled.source: share},
        }[modelled.type]
        event(f"reverse {modelled.type}: {'full' if share == remaining else 'partial'}")
        if any(self.wallets[pk].available + delta < 0 for pk, delta in deltas.items()):
            event("reverse: insufficient_funds")
            with pytest.raises(InsufficientFunds):
                transfer_reverse(principal=self.principal, transfer_id=public_id, amount=amount)
            return
        reversal = transfer_reverse(principal=self.principal, transfer_id=public_id, amount=amount)
        assert reversal.amount == share
        for pk, delta in deltas.items():
            self.wallets[pk].ledger += delta
            self.wallets[pk].available += delta
        modelled.amount_reversed += share
        if modelled.amount_reversed == modelled.amount:
            modelled.status = S.REVERSED

    @precondition(lambda self: self.transfers)
    @rule(data=st.data(), release=st.booleans())
    def review(self, data, release: bool) -> None:
        """Bank staff release a held transfer (p2p posts at once, a top-up or payout goes to the rail) or reject
        it (failed, its money released)."""
        modelled = self._pick(data, lambda t: t.status == S.HELD)
        act = transfer_review_release if release else transfer_review_reject
        event(f"{'release' if release else 'reject'} {modelled.type} {modelled.status}")
        if modelled.status != S.HELD:
            with pytest.raises(InvalidStateTransition):
                act(transfer_pk=modelled.transfer.pk, staff_user=self.staff)
            return
        reviewed = act(transfer_pk=modelled.transfer.pk, staff_user=self.staff)
        if not release:
            self._give_back(modelled)
            modelled.status, modelled.failure_code = S.FAILED, "review_rejected"
        elif modelled.type == T.P2P:
            source, destination = self.wallets[modelled.source], self.wallets[modelled.destination]
            source.ledger -= modelled.amount
            destination.ledger += modelled.amount
            destination.available += modelled.amount
            modelled.status = S.SUCCEEDED
        else:
            modelled.status = S.PENDING
        assert (reviewed.status, reviewed.failure_code) == (modelled.status, modelled.failure_code)

    # --- invariants -------------------------------------------------------------------------------------------------
    @invariant()
    def the_book_reconciles(self) -> None:
        assert_book_balanced()

    @invariant()
    def every_balance_is_what_the_model_says_and_waiting_money_is_not_available(self) -> None:
        aside: dict[int, int] = {pk: 0 for pk in self.wallets}
        for modelled in self.transfers.values():
            if modelled.sets_money_aside():
                aside[modelled.source] += modelled.amount
        rows = Wallet.objects.filter(pk__in=list(self.wallets)).values_list("pk", "ledger_balance", "available_balance")
        for pk, ledger_balance, available in rows:
            expected = self.wallets[pk]
            assert (ledger_balance, available) == (expected.ledger, expected.available), pk
            assert 0 <= available <= ledger_balance
            assert ledger_balance - available == aside[pk], pk

    @invariant()
    def every_transfer_is_what_the_model_says(self) -> None:
        rows = Transfer.objects.filter(pk__in=list(self.transfers)).values_list(
            "pk", "status", "amount", "amount_reversed", "failure_code"
        )
        for pk, status, amount, amount_reversed, failure_code in rows:
            modelled = self.transfers[pk]
            assert (status, amount_reversed, failure_code) == (
                modelled.status,
                modelled.amount_reversed,
                modelled.failure_code,
            ), modelled.transfer.public_id
            assert 0 <= amount_reversed <= amount

    @invariant()
    def histories_journals_holds_and_events_hold_together(self) -> None:
        problems = transfer_problems(transfer_pks=list(self.transfers))
        assert not problems, problems


class TestTransferProperties:
    def test_random_transfers_keep_every_invariant(self, sandbox, settings, monkeypatch):
        settings.TRANSFER_SETTLEMENT_DELAY_SECONDS = 0
        # The model knows the limits' review rules, not the risk score's (its holds: test_transfer_risk.py):
        # a score never holds here.
        settings.RISK_REVIEW_SCORE = 101
        # The rules run each rail step themselves: no messages for a broker nobody reads.
        monkeypatch.setattr(transfer_advance_task, "apply_async", lambda *args, **kwargs: None)

        class Machine(TransferMachine):
            pass

        Machine.environment = sandbox
        Machine.staff = UserFactory(is_staff=True)
        on_postgres = connection.vendor == "postgresql"
        run_state_machine_as_test(Machine, settings=POSTGRES_SETTINGS if on_postgres else MACHINE_SETTINGS)
