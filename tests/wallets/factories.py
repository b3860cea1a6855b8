"""Factories for ``apps.wallets``' models. Every row is made by the wallet services and the ledger, so tests see
the same rows, balances and journals the platform writes: money only ever arrives as a posted journal (a
deposit from the bank rail's clearing account, by default), never as a balance written by hand."""

from datetime import date, datetime

import factory
from django.db import transaction

from apps.core.principal import Principal
from apps.core.scopes import ACCOUNTS_READ, BALANCES_READ, TRANSACTIONS_READ
from apps.wallets import ledger, services
from apps.wallets.funding_sources import funding_source_add
from apps.wallets.ledger import TransactionSpec
from apps.wallets.models import Entry, FundingSource, Hold, Journal, LedgerAccount, Transaction, Wallet, WalletHolder
from apps.wallets.validators import BankAccountDetails, CardDetails
from tests.partners.factories import PartnerFactory

# UK account numbers; the sandbox rail refuses a funding source whose last four digits are 0002.
GOOD_ACCOUNT_NUMBER = "31926819"
DECLINED_ACCOUNT_NUMBER = "41920002"


class WalletHolderFactory(factory.django.DjangoModelFactory):
    """A ``basic`` holder in a fresh partner's sandbox, made by ``holder_create``; ``live=True`` for one of the
    bank's own customers (no partner)."""

    class Meta:
        model = WalletHolder

    class Params:
        live = factory.Trait(environment="live", partner=None)

    environment = "sandbox"
    partner = factory.SubFactory(PartnerFactory)
    name = "Ada Lovelace"
    email = ""
    kyc_tier = WalletHolder.KycTier.BASIC

    @classmethod
    def _create(cls, model_class: type[WalletHolder], **kwargs: object) -> WalletHolder:
        return services.holder_create(**kwargs)  # type: ignore[arg-type]


class WalletFactory(factory.django.DjangoModelFactory):
    """A USD wallet opened by ``wallet_open`` (with its ledger account); ``balance=N`` funds it with one deposit
    of N, posted through the ledger."""

    class Meta:
        model = Wallet
        skip_postgeneration_save = True

    holder = factory.SubFactory(WalletHolderFactory)
    currency = "USD"

    @classmethod
    def _create(cls, model_class: type[Wallet], **kwargs: object) -> Wallet:
        return services.wallet_open(**kwargs)  # type: ignore[arg-type]

    @factory.post_generation
    def balance(wallet: Wallet, create: bool, extracted: int | None, **kwargs: object) -> None:
        if create and extracted:
            post(wallet=wallet, amount=extracted, type="deposit", category="income", description="Opening deposit")
            wallet.refresh_from_db()


class LedgerAccountFactory(factory.django.DjangoModelFactory):
    """A system account (the bank rail's clearing account by default) of a fresh partner's sandbox, as
    ``ledger.system_account`` opens it on first use. A wallet's own account comes with ``WalletFactory``."""

    class Meta:
        model = LedgerAccount

    code = ledger.CLEARING_BANK
    currency = "USD"
    environment = "sandbox"
    partner = factory.SubFactory(PartnerFactory)

    @classmethod
    def _create(cls, model_class: type[LedgerAccount], **kwargs: object) -> LedgerAccount:
        return ledger.system_account(**kwargs)  # type: ignore[arg-type]


class TransactionFactory(factory.django.DjangoModelFactory):
    """One posted transaction on ``wallet``: a deposit of ``amount`` (a card payment when it is negative, which
    needs the money: ``wallet=WalletFactory(balance=...)``)."""

    class Meta:
        model = Transaction

    wallet = factory.SubFactory(WalletFactory)
    amount = 1_000
    category = "income"

    @classmethod
    def _create(cls, model_class: type[Transaction], **kwargs: object) -> Transaction:
        return post(**kwargs)  # type: ignore[arg-type]


class JournalFactory(factory.django.DjangoModelFactory):
    """The journal of one deposit of ``amount`` into ``wallet``: the wallet's entry and the clearing account's,
    summing to zero."""

    class Meta:
        model = Journal

    wallet = factory.SubFactory(WalletFactory)
    amount = 1_000

    @classmethod
    def _create(cls, model_class: type[Journal], *, wallet: Wallet, amount: int) -> Journal:
        journal = post(wallet=wallet, amount=amount, category="income").journal
        assert journal is not None
        return journal


class EntryFactory(factory.django.DjangoModelFactory):
    """The wallet's side of a deposit journal (``JournalFactory``): ``amount`` on the wallet's account."""

    class Meta:
        model = Entry

    wallet = factory.SubFactory(WalletFactory)
    amount = 1_000

    @classmethod
    def _create(cls, model_class: type[Entry], *, wallet: Wallet, amount: int) -> Entry:
        journal = JournalFactory(wallet=wallet, amount=amount)
        return journal.entries.get(account__wallet=wallet)


class HoldFactory(factory.django.DjangoModelFactory):
    """Money set aside by ``hold_place`` for a pending card payment, on a wallet funded to cover it."""

    class Meta:
        model = Hold

    wallet = factory.SubFactory(WalletFactory, balance=10_000)
    amount = 2_500
    category = "groceries"
    merchant_name = "Corner Shop"

    @classmethod
    def _create(cls, model_class: type[Hold], **kwargs: object) -> Hold:
        return services.hold_place(**kwargs).hold  # type: ignore[arg-type]


class FundingSourceFactory(factory.django.DjangoModelFactory):
    """A UK bank account in USD added by ``funding_source_add`` at the end of the holder's fallback order;
    ``kind="card"`` for a Visa card (``last4``) that expires in a few years."""

    class Meta:
        model = FundingSource

    holder = factory.SubFactory(WalletHolderFactory)
    kind = FundingSource.Kind.BANK_ACCOUNT
    account_holder_name = factory.LazyAttribute(lambda o: o.holder.name)
    account_number = GOOD_ACCOUNT_NUMBER
    currency = "USD"
    last4 = "4242"

    @classmethod
    def _create(
        cls,
        model_class: type[FundingSource],
        *,
        holder: WalletHolder,
        kind: str,
        account_holder_name: str,
        account_number: str,
        currency: str,
        last4: str,
    ) -> FundingSource:
        if kind == FundingSource.Kind.CARD:
            year = date.today().year + 3
            card = CardDetails(brand="visa", last4=last4, exp_month=12, exp_year=year, holder_name=account_holder_name)
            return funding_source_add(holder=holder, kind=kind, card=card)
        details = BankAccountDetails(
            account_holder_name=account_holder_name,
            sort_code="12-34-56",
            account_number=account_number,
            currency=currency,
        )
        return funding_source_add(holder=holder, kind=kind, bank_account=details)


def add_bank_account(*, holder, account_number: str = GOOD_ACCOUNT_NUMBER, currency: str = "USD", name: str = ""):
    """A UK bank account of ``holder`` in ``currency``, added at the end of its fallback order."""
    return FundingSourceFactory(
        holder=holder, account_number=account_number, currency=currency, account_holder_name=name or holder.name
    )


def add_card(*, holder, last4: str = "4242", name: str = ""):
    """A Visa card of ``holder`` (any currency) that expires in a few years, at the end of its fallback order."""
    return FundingSourceFactory(holder=holder, kind="card", last4=last4, account_holder_name=name)


def make_holder(
    *, partner=None, environment: str = "sandbox", name: str = "Ada Lovelace", email: str = "", kyc_tier: str = "basic"
) -> WalletHolder:
    """A holder in ``partner``'s sandbox (or a live holder: ``environment="live"``, no partner)."""
    return WalletHolderFactory(
        environment=environment,
        partner=partner if environment == "sandbox" else None,
        name=name,
        email=email,
        kyc_tier=kyc_tier,
    )


def make_wallet(*, holder: WalletHolder, currency: str = "USD", balance: int = 0) -> Wallet:
    """Open a wallet and, when ``balance`` is given, fund it with one deposit."""
    return WalletFactory(holder=holder, currency=currency, balance=balance)


def post(
    *,
    wallet: Wallet,
    amount: int,
    type: str | None = None,
    category: str = "other",
    description: str = "",
    merchant_name: str = "",
    counterparty: str = "",
    booked_at: datetime | None = None,
) -> Transaction:
    """Post one transaction: money in when ``amount`` is positive (from the bank rail), out when negative (to
    the card rail). ``booked_at`` backdates it as seeding does."""
    spec = TransactionSpec(
        type=type or ("deposit" if amount > 0 else "card_payment"),
        category=category,
        description=description,
        merchant_name=merchant_name,
        counterparty=counterparty,
        booked_at=booked_at,
    )
    with transaction.atomic():
        if amount > 0:
            posting = services.external_credit_inner(wallet=wallet, amount=amount, spec=spec)
        else:
            posting = services.external_debit_inner(wallet=wallet, amount=-amount, spec=spec)
    return posting.transactions[0]


def make_history(*, wallet: Wallet, count: int, amount: int = 100) -> list[Transaction]:
    """``count`` transactions, oldest first: deposits of ``2 * amount`` alternating with card payments of
    ``amount``, so the balance never runs out."""
    made = []
    for index in range(count):
        if index % 2 == 0:
            made.append(post(wallet=wallet, amount=2 * amount, category="income", description=f"Deposit {index}"))
        else:
            made.append(
                post(
                    wallet=wallet,
                    amount=-amount,
                    category="groceries",
                    description=f"Groceries {index}",
                    merchant_name="Corner Shop",
                )
            )
    return made


def oauth_principal(
    *,
    partner,
    environment,
    holder: WalletHolder,
    wallets: list[Wallet] | None = None,
    scopes: frozenset[str] = frozenset({ACCOUNTS_READ, BALANCES_READ, TRANSACTIONS_READ}),
) -> Principal:
    """The principal an OAuth access token bound to ``holder``'s consent resolves to (``wallets``: the consented
    wallets, all of the holder's when None)."""
    return Principal(
        partner=partner,
        environment=environment,
        credential_type="oauth_token",
        credential_id="at_test",
        scopes=scopes,
        holder=holder,
        wallet_ids=None if wallets is None else frozenset(w.public_id for w in wallets),
    )
