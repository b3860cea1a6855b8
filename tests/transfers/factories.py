"""Factories for ``apps.transfers``' models, and the rows and readers the transfers tests share: the seeded
reference tables, principals, quotes and plain ``Transfer`` rows.

Transfers, their status changes and reversals are made by the services, so their money moves as journals
through the ledger. ``make_transfer_row`` writes a transfer directly, without the service and without moving
money: it is test data for code that only reads transfers (limits, review rules), with the status and
``initiated_at`` a test needs.
"""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

import factory
from django.apps import apps
from django.db import connection

from apps.core.principal import Principal
from apps.core.scopes import PARTNER_LEVEL
from apps.partners.models import Environment
from apps.risk.selectors import matcher_cache_clear
from apps.risk.services import sandbox_list_ensure
from apps.transfers.fx import fx_quote_create, fx_rates_cache_clear
from apps.transfers.lifecycle import transfer_reverse
from apps.transfers.limits import limits_cache_clear
from apps.transfers.models import (
    FxQuote,
    FxRate,
    LimitRule,
    Transfer,
    TransferReversal,
    TransferStatusChange,
    TransferUsage,
)
from apps.transfers.services import TransferRequest, transfer_create
from apps.wallets.models import Wallet
from tests.partners.factories import PartnerFactory, sandbox_of
from tests.wallets.factories import (
    WalletFactory,
    WalletHolderFactory,
    add_bank_account,  # noqa: F401 - still imported from here by test_limits_usage.py
)

_SEED = importlib.import_module("apps.transfers.migrations.0002_seed_rates_and_limits")


@contextmanager
def fresh_reference_tables(*, seed: bool) -> Iterator[None]:
    """This process's copies of the FX rate and limit rule tables forgotten before and after the block (a cached
    table would outlive a test's rollback); with ``seed``, the seeded rows a transactional test's flush removed
    put back first."""
    fx_rates_cache_clear()
    limits_cache_clear()
    matcher_cache_clear()
    if seed:
        seed_reference_data()
    try:
        yield
    finally:
        fx_rates_cache_clear()
        limits_cache_clear()
        matcher_cache_clear()


def seed_reference_data() -> None:
    """Put the seeded FX rates and limit rules back where they are missing (a transactional test's flush
    empties every table, data migrations' rows included), and load the sandbox's sanctions test list as the
    sandbox seeding does. Rows that exist are left as they are."""
    _SEED.seed(apps, SimpleNamespace(connection=connection))
    sandbox_list_ensure()


def api_key_principal(*, environment: Environment, scopes: frozenset[str] = PARTNER_LEVEL) -> Principal:
    """What an unrestricted secret key of ``environment`` resolves to."""
    return Principal(
        partner=environment.partner,
        environment=environment,
        credential_type="api_key",
        credential_id="key_test",
        scopes=scopes,
    )


class FxRateFactory(factory.django.DjangoModelFactory):
    """A rate as staff set it in the admin (the pair's row is replaced if it exists), with this process's copy
    of the rate table forgotten so the next quote reads it."""

    class Meta:
        model = FxRate

    base_currency = "USD"
    quote_currency = "SEK"
    rate = "10.4512"
    fee_bps = 50

    @classmethod
    def _create(cls, model_class: type[FxRate], *, base_currency: str, quote_currency: str, **values: object) -> FxRate:
        rate, _ = FxRate.objects.update_or_create(
            base_currency=base_currency, quote_currency=quote_currency, defaults=values
        )
        fx_rates_cache_clear()
        return rate


class LimitRuleFactory(factory.django.DjangoModelFactory):
    """A tier's limits in one currency as staff set them in the admin (the row is replaced if it exists), with
    this process's copy of the rules forgotten."""

    class Meta:
        model = LimitRule

    kyc_tier = "basic"
    currency = "SEK"
    per_transfer_max = 2_500_000
    daily_max = 5_000_000
    monthly_max = 20_000_000
    review_threshold = 2_000_000
    new_counterparty_review_amount = 1_000_000
    velocity_max_count = 30
    velocity_window_seconds = 3600

    @classmethod
    def _create(cls, model_class: type[LimitRule], *, kyc_tier: str, currency: str, **values: object) -> LimitRule:
        rule, _ = LimitRule.objects.update_or_create(kyc_tier=kyc_tier, currency=currency, defaults=values)
        limits_cache_clear()
        return rule


class FxQuoteFactory(factory.django.DjangoModelFactory):
    """A quote made by ``fx_quote_create`` with a partner key of ``environment`` (a fresh partner's sandbox),
    for ``source_amount`` (or, with ``source_amount=None``, the ``destination_amount`` to receive)."""

    class Meta:
        model = FxQuote

    environment = factory.LazyFunction(lambda: sandbox_of(PartnerFactory()))
    source_currency = "USD"
    destination_currency = "EUR"
    source_amount = 10_000
    destination_amount = None

    @classmethod
    def _create(cls, model_class: type[FxQuote], *, environment: Environment, **request: object) -> FxQuote:
        return fx_quote_create(principal=api_key_principal(environment=environment), **request)  # type: ignore[arg-type]


def make_quote(
    *, environment: Environment, source_currency: str = "USD", destination_currency: str = "EUR", **amounts: int
) -> FxQuote:
    """A quote made by the service (``source_amount=10_000`` unless an amount is given)."""
    return FxQuoteFactory(
        environment=environment,
        source_currency=source_currency,
        destination_currency=destination_currency,
        source_amount=amounts.get("source_amount", None if amounts else 10_000),
        destination_amount=amounts.get("destination_amount"),
    )


def _payee_wallet(source: Wallet) -> Wallet:
    """A wallet in ``source``'s currency of another holder of the same partner."""
    return WalletFactory(
        holder=WalletHolderFactory(partner=source.holder.partner, name="Grace Hopper"), currency=source.currency
    )


class TransferFactory(factory.django.DjangoModelFactory):
    """A p2p transfer made by ``transfer_create`` with a partner key of the source's sandbox: ``amount`` from
    ``source`` (a funded wallet) to ``destination`` (another holder's wallet of the same partner). Small enough
    for a basic holder's limits and review rules, so it has ``succeeded`` and its journal is posted."""

    class Meta:
        model = Transfer

    source = factory.SubFactory(WalletFactory, balance=10_000)
    destination = factory.LazyAttribute(lambda o: _payee_wallet(o.source))
    amount = 1_000
    description = ""

    @classmethod
    def _create(
        cls, model_class: type[Transfer], *, source: Wallet, destination: Wallet, amount: int, description: str
    ) -> Transfer:
        request = TransferRequest(
            type="p2p",
            source=source.public_id,
            destination=destination.public_id,
            amount=amount,
            currency=source.currency,
            description=description,
        )
        principal = api_key_principal(environment=sandbox_of(source.holder.partner))
        return transfer_create(principal=principal, request=request)


def create_transfer(environment: Environment, **request: object) -> Transfer:
    """``transfer_create`` with an unrestricted key of ``environment``; ``request`` is a ``TransferRequest``'s
    fields (any type: top-ups, payouts and FX too)."""
    principal = api_key_principal(environment=environment)
    return transfer_create(principal=principal, request=TransferRequest(**request))  # type: ignore[arg-type]


class TransferStatusChangeFactory(factory.django.DjangoModelFactory):
    """The last step of a transfer's history (by default a new p2p transfer's ``pending -> succeeded``): status
    changes are written only by the transfer services, in the transaction that moves the money."""

    class Meta:
        model = TransferStatusChange

    transfer = factory.SubFactory(TransferFactory)

    @classmethod
    def _create(cls, model_class: type[TransferStatusChange], *, transfer: Transfer) -> TransferStatusChange:
        change = transfer.status_changes.order_by("pk").last()
        assert change is not None, f"{transfer.public_id} has no history"
        return change


class TransferReversalFactory(factory.django.DjangoModelFactory):
    """A reversal made by ``transfer_reverse`` of ``amount`` (all that remains when None) of a succeeded
    transfer, whose journal mirrors that share of the transfer's."""

    class Meta:
        model = TransferReversal

    transfer = factory.SubFactory(TransferFactory)
    amount = None
    description = ""

    @classmethod
    def _create(cls, model_class: type[TransferReversal], *, transfer: Transfer, **request: object) -> TransferReversal:
        principal = api_key_principal(environment=transfer.environment)
        return transfer_reverse(principal=principal, transfer_id=transfer.public_id, **request)  # type: ignore[arg-type]


class TransferUsageFactory(factory.django.DjangoModelFactory):
    """The ``span`` bucket (``hour`` or ``day``) that a new p2p transfer (``TransferFactory``) was counted in: usage
    is written only with the transfers it counts, by the transfer services."""

    class Meta:
        model = TransferUsage

    transfer = factory.SubFactory(TransferFactory)
    span = TransferUsage.Span.HOUR

    @classmethod
    def _create(cls, model_class: type[TransferUsage], *, transfer: Transfer, span: str) -> TransferUsage:
        at = transfer.initiated_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return TransferUsage.objects.get(
            holder=transfer.holder,
            currency=transfer.currency,
            span=span,
            period_start=at if span == TransferUsage.Span.HOUR else at.replace(hour=0),
        )


def make_transfer_row(
    *,
    source: Wallet,
    destination: Wallet,
    amount: int,
    initiated_at: datetime,
    status: str = Transfer.Status.SUCCEEDED,
    fx_quote: FxQuote | None = None,
) -> Transfer:
    """A p2p transfer row from ``source`` to ``destination`` (or an ``fx`` one when ``fx_quote`` is given),
    counted against the source wallet's holder, in the source wallet's currency (added to its usage buckets unless
    it failed or was canceled). Sandbox wallets only."""
    from apps.transfers.usage import usage_add

    holder = source.holder
    environment = Environment.objects.get(partner=holder.partner, kind=holder.environment)
    transfer = Transfer.objects.create(
        partner=holder.partner,
        environment=environment,
        type=Transfer.Type.FX if fx_quote is not None else Transfer.Type.P2P,
        status=status,
        holder=holder,
        source_wallet=source,
        destination_wallet=destination,
        amount=amount,
        currency=source.currency,
        fx_quote=fx_quote,
        amount_reversed=amount if status == Transfer.Status.REVERSED else 0,
        initiated_at=initiated_at,
    )
    usage_add(transfer=transfer)  # as the service does
    return transfer


# --- Readers of what a transfer wrote, and the rail -------------------------------------------------------------------
def table_counts() -> dict[str, int]:
    """Rows of every table a transfer request can write: a refused request leaves all of them unchanged."""
    from apps.core.models import IdempotencyKey
    from apps.events.models import Event
    from apps.transfers.models import TransferReversal, TransferStatusChange
    from apps.wallets.models import Entry, Hold, Journal, Transaction

    tables = [Transfer, TransferStatusChange, TransferReversal, Journal, Entry, Transaction, Hold]
    tables += [Event, IdempotencyKey]
    return {model.__name__: model.objects.count() for model in tables}


def run_rail(transfer: Transfer) -> Transfer:
    """Run both rail steps of a top-up or payout (submit, then settle) and return it re-read. Needs
    ``TRANSFER_SETTLEMENT_DELAY_SECONDS = 0``, so the second step is due as soon as the first has run."""
    from apps.transfers.lifecycle import transfer_advance

    for _ in range(2):
        assert transfer_advance(transfer_pk=transfer.pk) is not None, "the rail step was not due"
    return Transfer.objects.get(pk=transfer.pk)


def transfer_events(transfer: Transfer) -> list[tuple[str, int, str, dict]]:
    """The transfer's events in order: (type, sequence, status shown, previous_attributes)."""
    from apps.events.models import Event

    return [
        (event.type, event.sequence, event.data["object"]["status"], event.data["previous_attributes"])
        for event in Event.objects.filter(object_id=transfer.public_id).order_by("sequence")
    ]


def journal_totals(journal_id: int) -> dict[str, int]:
    """The sum of a journal's entries per currency (every value is 0 for a balanced journal)."""
    from apps.wallets.models import Entry

    totals: dict[str, int] = {}
    for currency, amount in Entry.objects.filter(journal_id=journal_id).values_list("currency", "amount"):
        totals[currency] = totals.get(currency, 0) + amount
    return totals


# --- Limits for load tests and the transfer invariants ------------------------------------------------------------
def raise_limits(*, kyc_tier: str, currencies: tuple[str, ...], review_threshold: int = 10**12) -> None:
    """Lift every limit of ``kyc_tier`` in ``currencies`` out of the way (many transfers by one holder in little
    time), keeping only a review threshold, and forget this process's copy of the rules."""
    from apps.transfers.limits import limits_cache_clear
    from apps.transfers.models import LimitRule

    for currency in currencies:
        LimitRule.objects.update_or_create(
            kyc_tier=kyc_tier,
            currency=currency,
            defaults={
                "per_transfer_max": 10**12,
                "daily_max": 10**13,
                "monthly_max": 10**14,
                "review_threshold": review_threshold,
                "new_counterparty_review_amount": 10**12,
                "velocity_max_count": 1_000_000,
                "velocity_window_seconds": 3600,
            },
        )
    limits_cache_clear()


def transfer_problems(*, transfer_pks) -> list[str]:
    """Every broken invariant among the transfers ``transfer_pks`` (reads only, a fixed number of queries):

    - the status history is a chain of ``TRANSITIONS`` from ``created -> pending`` to the current status;
    - ``amount_reversed`` is the sum of the reversals, within the amount, and equals it exactly when ``reversed``;
    - a succeeded or reversed transfer has a journal of two or more entries summing to zero per currency, whose
      wallet entries move the amount between the transfer's parties; each reversal's journal balances, reverses
      it and mirrors its share; any other transfer has no journal and no reversal;
    - the money set aside is in the state the status says: a hold ``held`` while the transfer waits, captured
      for a settled payout, released otherwise; a top-up's pending credit pending, posted or dropped;
    - events: one ``transfer.created``, one ``transfer.held`` / ``succeeded`` / ``failed`` / ``canceled`` per
      time the history entered that status, one ``transfer.reversed`` per reversal.
    """
    from collections import Counter, defaultdict
    from itertools import pairwise

    from django.db.models import Count

    from apps.events.models import Event
    from apps.transfers.models import TransferReversal, TransferStatusChange
    from apps.transfers.states import TRANSITIONS
    from apps.wallets.models import Entry, Journal

    S = Transfer.Status
    pks = list(transfer_pks)
    transfers = {t.pk: t for t in Transfer.objects.filter(pk__in=pks).select_related("hold", "pending_transaction")}
    chains: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for transfer_id, previous, status in (
        TransferStatusChange.objects.filter(transfer_id__in=pks)
        .order_by("transfer_id", "pk")
        .values_list("transfer_id", "previous_status", "status")
    ):
        chains[transfer_id].append((previous, status))
    reversals: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for transfer_id, amount, journal_id in TransferReversal.objects.filter(transfer_id__in=pks).values_list(
        "transfer_id", "amount", "journal_id"
    ):
        reversals[transfer_id].append((amount, journal_id))
    journal_ids = {t.journal_id for t in transfers.values() if t.journal_id} | {
        journal_id for rows in reversals.values() for _, journal_id in rows
    }
    reverses = dict(Journal.objects.filter(pk__in=journal_ids).values_list("pk", "reverses_id"))
    sums: dict[tuple[int, str], int] = defaultdict(int)
    entry_counts: Counter = Counter()
    on_wallets: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for journal_id, currency, amount, wallet_id in Entry.objects.filter(journal_id__in=journal_ids).values_list(
        "journal_id", "currency", "amount", "account__wallet_id"
    ):
        sums[(journal_id, currency)] += amount
        entry_counts[journal_id] += 1
        if wallet_id is not None:
            on_wallets[journal_id][wallet_id] += amount
    unbalanced = {journal_id for (journal_id, _), total in sums.items() if total}
    events = Counter(
        dict(
            ((object_id, kind), n)
            for object_id, kind, n in Event.objects.filter(
                object_id__in=[t.public_id for t in transfers.values()], type__startswith="transfer."
            )
            .values_list("object_id", "type")
            .annotate(n=Count("pk"))
            .values_list("object_id", "type", "n")
        )
    )

    def wallet_side(transfer: Transfer, amount: int) -> dict[int, int]:
        sides = {
            Transfer.Type.P2P: {transfer.source_wallet_id: -amount, transfer.destination_wallet_id: amount},
            Transfer.Type.TOP_UP: {transfer.destination_wallet_id: amount},
            Transfer.Type.PAYOUT: {transfer.source_wallet_id: -amount},
        }
        return sides.get(transfer.type, {})

    problems: list[str] = []
    for pk in pks:
        transfer = transfers[pk]
        name = f"{transfer.public_id} ({transfer.type}, {transfer.status})"
        chain = chains[pk]
        if not chain or chain[0] != ("", S.PENDING):
            problems.append(f"{name}: history does not start with created -> pending: {chain}")
        for (_, before), (previous, status) in pairwise(chain):
            if previous != before or status not in TRANSITIONS.get(previous, frozenset()):
                problems.append(f"{name}: illegal move {previous or '-'} -> {status} after {before}: {chain}")
        if chain and chain[-1][1] != transfer.status:
            problems.append(f"{name}: history ends at {chain[-1][1]}")
        entered = Counter(status for _, status in chain)
        reversed_total = sum(amount for amount, _ in reversals[pk])
        if transfer.amount_reversed != reversed_total or not 0 <= reversed_total <= transfer.amount:
            problems.append(f"{name}: amount_reversed {transfer.amount_reversed}, reversals sum to {reversed_total}")
        if (transfer.status == S.REVERSED) != (transfer.amount_reversed == transfer.amount):
            problems.append(f"{name}: amount_reversed {transfer.amount_reversed} of {transfer.amount}")
        settled = transfer.status in (S.SUCCEEDED, S.REVERSED)
        if settled:
            journal_id = transfer.journal_id
            if journal_id is None or journal_id in unbalanced or entry_counts.get(journal_id, 0) < 2:
                problems.append(f"{name}: journal {journal_id} missing or unbalanced")
            elif transfer.type != Transfer.Type.FX and dict(on_wallets[journal_id]) != wallet_side(
                transfer, transfer.amount
            ):
                problems.append(f"{name}: journal moves {dict(on_wallets[journal_id])} on wallets")
            for amount, reversal_journal in reversals[pk]:
                if reversal_journal in unbalanced or reverses.get(reversal_journal) != journal_id:
                    problems.append(f"{name}: reversal journal {reversal_journal} unbalanced or unlinked")
                elif transfer.type != Transfer.Type.FX and dict(on_wallets[reversal_journal]) != wallet_side(
                    transfer, -amount
                ):
                    problems.append(f"{name}: reversal moves {dict(on_wallets[reversal_journal])} on wallets")
        elif transfer.journal_id is not None or reversals[pk]:
            problems.append(f"{name}: has a journal or reversals")
        waiting = transfer.status in (S.PENDING, S.HELD, S.PROCESSING)
        if transfer.hold is not None:
            captured = settled and transfer.type == Transfer.Type.PAYOUT
            expected = "held" if waiting else "captured" if captured else "released"
            if transfer.hold.status != expected:
                problems.append(f"{name}: hold is {transfer.hold.status}, not {expected}")
        elif transfer.type == Transfer.Type.PAYOUT or (transfer.type == Transfer.Type.P2P and entered[S.HELD]):
            problems.append(f"{name}: no hold")
        if transfer.type == Transfer.Type.TOP_UP:
            credit = transfer.pending_transaction
            # A fully reversed top-up's credit is marked reversed with the rest of its journal.
            expected = "pending" if waiting else "posted" if transfer.status == S.SUCCEEDED else "reversed"
            if credit is None or credit.status != expected:
                problems.append(f"{name}: pending credit is {credit and credit.status}, not {expected}")
        expected_events = {
            "transfer.created": 1,
            "transfer.held": entered[S.HELD],
            "transfer.succeeded": entered[S.SUCCEEDED],
            "transfer.failed": entered[S.FAILED],
            "transfer.canceled": entered[S.CANCELED],
            "transfer.reversed": len(reversals[pk]),
        }
        seen = {kind: events[(transfer.public_id, kind)] for kind in expected_events}
        if seen != expected_events:
            problems.append(f"{name}: events {seen}, expected {expected_events}")
    return problems
