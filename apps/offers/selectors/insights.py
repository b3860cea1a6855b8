"""Spending insights over a holder's ledger (``GET /v1/wallet_holders/{id}/insights``, docs/offers.md).

Only for holders who opted in (``WalletHolder.personalisation``). The read is bounded: one indexed range read of
the holder's posted transactions in one currency, on ``(wallet, booked_at)``, from the start of the previous
period (or 400 days back, for yearly recurring payments) to the end of the window, however long the history.

What counts: posted movements. A reversed payment and the reversal that undid it both drop out (the journal is
undone); merchant refunds are reported apart (``refunds``) and FX conversions between the holder's own wallets
count as neither income nor spending.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NoReturn

from django.db.models import OuterRef, QuerySet, Subquery

from apps.core.errors import error_type
from apps.core.principal import Principal
from apps.offers.recurring import Movement, Recurring, detect
from apps.wallets import currencies
from apps.wallets.models import Journal, Transaction, Wallet, WalletHolder
from apps.wallets.selectors import holder_get, wallet_visibility

RECURRING_LOOKBACK = timedelta(days=400)
MAX_WINDOW_DAYS = 366
# The days a window may cover: no ledger predates the first, and the last leaves room for its end-of-day bound.
EARLIEST_DAY, LATEST_DAY = date(1970, 1, 1), date(9998, 12, 31)

PersonalisationOff = error_type(
    "PersonalisationOff",
    "personalisation_off",
    403,
    "Holder has not opted in",
    "This holder has not turned on spending insights and offers, so their spending is not used.",
    doc="Insights, eligible offers and activations exist only for holders who opted in (docs/offers.md).",
)
NoWalletInCurrency = error_type(
    "NoWalletInCurrency",
    "wallet_not_found_for_currency",
    404,
    "No wallet in that currency",
    "The holder has no wallet this credential can see in that currency.",
)

InsightsWindowInvalid = error_type(
    "InsightsWindowInvalid",
    "window_invalid",
    422,
    "Invalid window",
    "The window must lie between 1970-01-01 and 9998-12-31, start on or before its last day, and span at most "
    "366 days.",
    doc="Well-formed dates (the schema's `date`) that make no window: `from` after `to`, more than 366 days, or "
    "outside 1970-01-01 to 9998-12-31. A rule across two parameters that no schema can state.",
)


def _refuse(name: str, message: str) -> NoReturn:
    raise InsightsWindowInvalid(message, errors=[{"field": name, "code": "window_invalid", "message": message}])


def _window(*, start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The window's first and last days, defaults filled in; raises ``InsightsWindowInvalid``."""
    end = end or today
    if not EARLIEST_DAY <= end <= LATEST_DAY:
        _refuse("to", "The window must end between 1970-01-01 and 9998-12-31.")
    start = start or max(end - timedelta(days=89), EARLIEST_DAY)
    if start > end:
        _refuse("from", "Must not be after `to`.")
    if start < EARLIEST_DAY:
        _refuse("from", "The window must start on or after 1970-01-01.")
    if (end - start).days >= MAX_WINDOW_DAYS:
        _refuse("from", f"The window is at most {MAX_WINDOW_DAYS} days.")
    return start, end


@dataclass
class CategoryTotal:
    category: str
    amount: int = 0
    count: int = 0
    previous_amount: int = 0


@dataclass
class MonthFlow:
    month: str
    income: int = 0
    spending: int = 0


@dataclass
class Insights:
    holder: WalletHolder
    currency: str
    start: date
    end: date  # inclusive
    income: int = 0
    spending: int = 0
    refunds: int = 0
    by_category: list[CategoryTotal] = field(default_factory=list)
    cash_flow: list[MonthFlow] = field(default_factory=list)
    recurring: list[Recurring] = field(default_factory=list)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _months(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def require_personalisation(holder: WalletHolder) -> None:
    """Raise ``PersonalisationOff`` unless the holder opted in."""
    if not holder.personalisation:
        raise PersonalisationOff()


def holder_wallets(*, principal: Principal, holder: WalletHolder, currency: str | None) -> list[Wallet]:
    """The holder's wallets ``principal`` may see in ``currency`` (default: the oldest open non-points one's)."""
    wallets = list(Wallet.objects.filter(wallet_visibility(principal), holder=holder).order_by("pk"))
    if currency is None:
        money = [w for w in wallets if w.currency != currencies.POINTS and w.status != Wallet.Status.CLOSED]
        currency = money[0].currency if money else None
    chosen = [w for w in wallets if w.currency == currency]
    if not chosen:
        raise NoWalletInCurrency()
    return chosen


def spending_rows(*, wallets: list[Wallet], since: datetime, until: datetime) -> list[tuple]:
    """(amount, category, type, merchant, counterparty, booked_at) of the wallets' counted movements in
    [since, until), oldest first: one range read on the ``(wallet, booked_at)`` index (``wallets_txn_booked``),
    both bounds in its index condition, so older history is never read (docs/performance.md, "Insights")."""
    rows = spending_query(wallets=wallets, since=since, until=until).values_list(*_SPENDING_COLUMNS)
    return [row[:-1] for row in rows if row[-1] is None]


# The last one is ``spending_query``'s annotation: the journal a row's journal reverses (None for most rows).
_SPENDING_COLUMNS = ("amount", "category", "type", "merchant_name", "counterparty", "booked_at", "undoes")


def spending_query(*, wallets: list[Wallet], since: datetime, until: datetime) -> QuerySet[Transaction]:
    """The query of ``spending_rows`` (``bench/insights.py`` prints its plan). Ordered by the index's own order,
    so the planner takes the bounded range on ``wallets_txn_booked`` however the statistics look."""
    # Whether a row undoes another (a reversal's: its journal ``reverses`` one) is a scalar subquery in the select
    # list, one primary-key probe of the journal per row read: as a join the planner hashed the whole journal
    # table once the holder had older history, and as an EXISTS it hashes every reversal journal of the ledger;
    # both reads grow with the ledger (bench/insights.py showed the first).
    undoes = Subquery(Journal.objects.filter(pk=OuterRef("journal_id")).values("reverses_id")[:1])
    return (
        Transaction.objects.filter(
            wallet__in=[w.pk for w in wallets],
            booked_at__gte=since,
            booked_at__lt=until,
            status=Transaction.Status.POSTED,
        )
        .exclude(type=Transaction.Type.FX)
        .annotate(undoes=undoes)
        .order_by("wallet", "booked_at")
    )


def holder_insights(
    *, principal: Principal, holder_id: str, start: date | None, end: date | None, currency: str | None, today: date
) -> Insights:
    """Insights of the holder ``holder_id`` between ``start`` and ``end`` (inclusive days; default the 90 days
    to ``today``) in ``currency``. Raises ``NotFound`` (not visible), ``PersonalisationOff``,
    ``NoWalletInCurrency``, ``InsightsWindowInvalid``."""
    holder = holder_get(principal=principal, holder_id=holder_id)
    require_personalisation(holder)
    start, end = _window(start=start, end=end, today=today)
    wallets = holder_wallets(principal=principal, holder=holder, currency=currency)
    length = (end - start).days + 1
    since, until = _midnight(start), _midnight(end + timedelta(days=1))
    previous_since = since - timedelta(days=length)
    read_from = min(previous_since, until - RECURRING_LOOKBACK)
    result = Insights(holder=holder, currency=wallets[0].currency, start=start, end=end)
    categories: dict[str, CategoryTotal] = {}
    flows = {month: MonthFlow(month) for month in _months(start, end)}
    movements = []
    for amount, category, kind, merchant, counterparty, booked_at in spending_rows(
        wallets=wallets, since=read_from, until=until
    ):
        if kind == Transaction.Type.REFUND:
            if since <= booked_at:
                result.refunds += amount
            continue
        movements.append(Movement(merchant=merchant or counterparty, category=category, amount=amount, at=booked_at))
        if amount < 0 and previous_since <= booked_at < since:
            categories.setdefault(category, CategoryTotal(category)).previous_amount -= amount
        if booked_at < since:
            continue
        flow = flows[f"{booked_at.year:04d}-{booked_at.month:02d}"]
        if amount > 0:
            result.income += amount
            flow.income += amount
        else:
            total = categories.setdefault(category, CategoryTotal(category))
            total.amount -= amount
            total.count += 1
            result.spending -= amount
            flow.spending -= amount
    result.by_category = sorted(
        (c for c in categories.values() if c.amount or c.previous_amount), key=lambda c: (-c.amount, c.category)
    )
    result.cash_flow = list(flows.values())
    result.recurring = detect(movements, end=until)
    return result
