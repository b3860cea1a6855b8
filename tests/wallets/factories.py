"""Holders, wallets and history made through the services, so tests see the same rows, balances and
journals the platform writes."""

from datetime import datetime

from django.db import transaction

from apps.core.principal import Principal
from apps.core.scopes import ACCOUNTS_READ, BALANCES_READ, TRANSACTIONS_READ
from apps.wallets import services
from apps.wallets.ledger import TransactionSpec
from apps.wallets.models import Transaction, Wallet, WalletHolder


def make_holder(
    *, partner=None, environment: str = "sandbox", name: str = "Ada Lovelace", email: str = "", kyc_tier: str = "basic"
) -> WalletHolder:
    """A holder in ``partner``'s sandbox (or a live holder: ``environment="live"``, no partner)."""
    return services.holder_create(
        environment=environment,
        partner=partner if environment == "sandbox" else None,
        name=name,
        email=email,
        kyc_tier=kyc_tier,
    )


def make_wallet(*, holder: WalletHolder, currency: str = "USD", balance: int = 0) -> Wallet:
    """Open a wallet and, when ``balance`` is given, fund it with one deposit."""
    wallet = services.wallet_open(holder=holder, currency=currency)
    if balance:
        post(wallet=wallet, amount=balance, type="deposit", category="income", description="Opening deposit")
    wallet.refresh_from_db()
    return wallet


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
