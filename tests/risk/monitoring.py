"""Seeding a holder's history for the monitoring tests: postings through the ledger, backdated as seeding does."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.risk.monitoring.detectors import Finding, detect
from apps.risk.monitoring.history import holder_window
from apps.risk.monitoring.rules import parameters
from apps.wallets.ledger import Line, TransactionSpec, journal_post
from apps.wallets.models import Transaction, Wallet
from tests.wallets.factories import post

# 10,000.00 USD is the default reporting threshold; "just below" is 9,000.00 up to 9,999.99.
THRESHOLD = 1_000_000


def hours_before(at: datetime, hours: float) -> datetime:
    return at - timedelta(hours=hours)


def deposit(
    wallet: Wallet, amount: int, *, at: datetime, hours: float = 0, sender: str = "Acme Payroll"
) -> Transaction:
    """A deposit of ``amount`` from ``sender`` booked ``hours`` before ``at``."""
    return post(
        wallet=wallet,
        amount=amount,
        type="deposit",
        category="income",
        counterparty=sender,
        booked_at=hours_before(at, hours),
    )


def spend(wallet: Wallet, amount: int, *, at: datetime, hours: float = 0, type: str = "card_payment") -> Transaction:
    """Money out of ``wallet`` (a card payment by default) booked ``hours`` before ``at``."""
    return post(wallet=wallet, amount=-amount, type=type, category="shopping", booked_at=hours_before(at, hours))


def pay(source: Wallet, destination: Wallet, amount: int, *, at: datetime, hours: float = 0) -> Transaction:
    """A wallet-to-wallet transfer's journal (as a p2p transfer posts it); returns the destination's side."""
    when = hours_before(at, hours)
    spec = TransactionSpec(type="transfer", category="transfer", booked_at=when)
    with transaction.atomic():
        posting = journal_post(
            kind="transfer",
            lines=[Line(source.account, -amount, spec), Line(destination.account, amount, spec)],
            environment=source.holder.environment,
            partner=source.holder.partner,
        )
    return posting.transactions[1]


def findings(wallet: Wallet, *, at: datetime) -> list[Finding]:
    """What the rules find for ``wallet``'s holder in the window ending at ``at``."""
    params = parameters()
    window = holder_window(holder_id=wallet.holder_id, at=at, hours=params.window_hours, max_rows=params.max_rows)
    return detect(window, params)


def kinds(wallet: Wallet, *, at: datetime) -> list[str]:
    return [finding.kind for finding in findings(wallet, at=at)]


def now() -> datetime:
    return timezone.now()
