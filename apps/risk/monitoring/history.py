"""The one read of a monitoring run: a bounded window of a holder's ledger, ending at the posting's time.

``holder_window`` reads the holder's money wallets' transactions booked in ``[at - window, at]`` through the
``(wallet, booked_at)`` index (at most ``max_rows`` of them, the newest), the paying holder of each transfer
received in it, and the holder's latest transaction before the window's first one (one row per wallet, for the
dormancy rule). However long the history, a run reads the window and a few rows more, never the whole ledger.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog

from apps.wallets.currencies import POINTS
from apps.wallets.models import Transaction, Wallet

logger = structlog.get_logger(__name__)

# Money in from outside (a deposit, a top-up) or from another holder: what structuring and mule rules count.
CREDIT_TYPES = frozenset({Transaction.Type.DEPOSIT, Transaction.Type.TRANSFER})
# Money leaving the holder: paid to another holder, out to a bank, spent by card. An exchange between the holder's
# own wallets and a fee are not money leaving.
DEBIT_TYPES = frozenset({Transaction.Type.TRANSFER, Transaction.Type.WITHDRAWAL, Transaction.Type.CARD_PAYMENT})


@dataclass(frozen=True)
class Movement:
    """One transaction of the window: ``id`` its public id, ``seq`` its posting sequence (the internal key, which
    orders two transactions booked at the same time), ``sender`` who paid a credit (the paying holder's public id
    for a transfer, else the counterparty's name in lower case; "" unknown)."""

    id: str
    seq: int
    wallet_id: int
    currency: str
    amount: int
    type: str
    status: str
    booked_at: datetime
    sender: str = ""

    @property
    def posted(self) -> bool:
        return self.status == Transaction.Status.POSTED

    @property
    def is_credit(self) -> bool:
        return self.posted and self.amount > 0 and self.type in CREDIT_TYPES

    @property
    def is_debit(self) -> bool:
        return self.posted and self.amount < 0 and self.type in DEBIT_TYPES


@dataclass(frozen=True)
class Window:
    """What a run looks at: the holder's movements booked in ``[start, at]``, oldest first (``truncated`` when
    there were more than the run reads), and ``previous``, the latest movement before the first of them."""

    holder_id: int
    at: datetime
    start: datetime
    movements: list[Movement]
    truncated: bool
    previous: Movement | None


_COLUMNS = ("public_id", "pk", "wallet_id", "currency", "amount", "type", "status", "booked_at")


def holder_window(*, holder_id: int, at: datetime, hours: int, max_rows: int) -> Window:
    """The holder's window of ``hours`` ending at ``at`` (the posting's time, on its environment's clock)."""
    start = at - timedelta(hours=hours)
    wallet_ids = list(
        Wallet.objects.filter(holder_id=holder_id).exclude(currency=POINTS).order_by("pk").values_list("pk", flat=True)
    )
    if not wallet_ids:
        return Window(holder_id=holder_id, at=at, start=start, movements=[], truncated=False, previous=None)
    rows = list(
        Transaction.objects.filter(wallet_id__in=wallet_ids, booked_at__gte=start, booked_at__lte=at)
        .order_by("-booked_at", "-pk")
        .values_list(*_COLUMNS, "journal_id", "counterparty")[: max_rows + 1]
    )
    truncated = len(rows) > max_rows
    if truncated:
        rows = rows[:max_rows]
        logger.warning("monitoring_window_truncated", holder=holder_id, rows=max_rows)
    rows.reverse()
    payers = _payers(holder_id, [row[8] for row in rows if row[5] == Transaction.Type.TRANSFER and row[4] > 0])
    movements = [_movement(row, sender=payers.get(row[8]) or _name(row[9])) for row in rows]
    before = movements[0].booked_at if movements else at
    return Window(
        holder_id=holder_id,
        at=at,
        start=start,
        movements=movements,
        truncated=truncated,
        previous=_latest_before(wallet_ids, before),
    )


def _payers(holder_id: int, journal_ids: list[int | None]) -> dict[int, str]:
    """The paying holder's public id of each of these transfer journals (the other holder's side of it)."""
    keys = [key for key in journal_ids if key is not None]
    if not keys:
        return {}
    paid = (
        Transaction.objects.filter(journal_id__in=keys, amount__lt=0)
        .exclude(wallet__holder_id=holder_id)
        .values_list("journal_id", "wallet__holder__public_id")
    )
    return dict(paid)


def _name(counterparty: str) -> str:
    return " ".join(counterparty.casefold().split())


def _latest_before(wallet_ids: list[int], before: datetime) -> Movement | None:
    """The holder's latest transaction booked before ``before``: one indexed row per wallet (an ``IN`` over the
    wallets ordered by time would sort their whole history)."""
    latest = None
    for wallet_id in wallet_ids:
        row = (
            Transaction.objects.filter(wallet_id=wallet_id, booked_at__lt=before)
            .order_by("-booked_at")
            .values_list(*_COLUMNS)
            .first()
        )
        if row is not None and (latest is None or row[7] > latest.booked_at):
            latest = _movement(row)
    return latest


def _movement(row: Sequence[Any], *, sender: str = "") -> Movement:
    public_id, pk, wallet_id, currency, amount, type_, status, booked_at = row[:8]
    return Movement(
        id=public_id,
        seq=pk,
        wallet_id=wallet_id,
        currency=currency,
        amount=amount,
        type=type_,
        status=status,
        booked_at=booked_at,
        sender=sender,
    )
