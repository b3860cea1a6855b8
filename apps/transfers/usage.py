"""How much each holder has moved: the buckets the limits read instead of the holder's history.

``TransferUsage`` keeps, per holder and currency, the amount and number of the holder's counted transfers per UTC
hour and per UTC day of their ``initiated_at``. A transfer counts from its creation unless it ``failed`` or was
``canceled`` (docs/limits.md): ``usage_add`` puts it in its two buckets in the transaction that creates it,
``usage_remove`` takes it out in the one that fails or cancels it.

A rolling window, the counted transfers initiated after ``start``, is then read in three parts whatever the
history: the transfers of the hour that holds ``start`` (its edge hour, an index range on ``(holder,
initiated_at)``), the hour buckets of the rest of that day, and the day buckets from the next midnight on. The
edge hour's bucket, taken whole, makes an upper bound, which answers a check that passes by a margin without
reading any transfer.

Every statement here is written out once; none is restated elsewhere.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Model, Sum
from django.db.models.functions import TruncDay, TruncHour
from django.utils.dateparse import parse_datetime

from apps.core import store
from apps.transfers.models import Transfer, TransferUsage

NOT_COUNTED = (Transfer.Status.FAILED, Transfer.Status.CANCELED)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# An upper bound for "no later bucket" (later than any clock a sandbox can be moved to).
_END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)
_SPAN = TransferUsage.Span


def _hour(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _day(at: datetime) -> datetime:
    return _hour(at).replace(hour=0)


def _db(value: datetime) -> Any:
    # As the ORM stores it (SQLite compares the stored text).
    return connection.ops.adapt_datetimefield_value(value)


def _from_db(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = parse_datetime(value)
    assert parsed is not None, value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# Security scan (bandit B608, "nosec B608" below): the SQL text built here holds only identifiers taken from model
# metadata, quoted, and placeholders; every value is a bound parameter, so no input reaches the statement text.
def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# --- Keeping the buckets ------------------------------------------------------------------------------------------
def usage_increment(*, transfer: Transfer) -> store.Increment | None:
    """What ``transfer`` (just created) adds to its holder's usage: its amount and one transfer in its currency,
    in the hour and the day of its ``initiated_at`` (buckets created if needed); for the creating service to
    write with the transfer. None for a transfer created already failed or canceled, which does not count. The
    hour comes first in every write, so two writers of one bucket pair queue on the same row instead of
    deadlocking."""
    if transfer.status in NOT_COUNTED:
        return None
    at = transfer.initiated_at
    buckets = [
        store.new(
            TransferUsage,
            holder_id=transfer.holder_id,
            span=span,
            period_start=start,
            currency=transfer.currency,
            amount=transfer.amount,
            count=1,
        )
        for span, start in ((_SPAN.HOUR, _hour(at)), (_SPAN.DAY, _day(at)))
    ]
    return store.Increment(buckets, key=("holder", "span", "period_start", "currency"), add=("amount", "count"))


def usage_add(*, transfer: Transfer) -> None:
    """Count ``transfer`` against its holder now (``usage_increment``, written at once)."""
    increment = usage_increment(transfer=transfer)
    if increment is not None:
        store.write(increment)


def usage_remove(*, transfer: Transfer) -> None:
    """Stop counting ``transfer``, which was counted until now and is becoming failed or canceled (call it in
    the transaction that changes its status): its amount and one transfer leave the buckets of its
    ``initiated_at``."""
    at = transfer.initiated_at
    for span, start in ((_SPAN.HOUR, _hour(at)), (_SPAN.DAY, _day(at))):
        TransferUsage.objects.filter(
            holder_id=transfer.holder_id, span=span, period_start=start, currency=transfer.currency
        ).update(amount=F("amount") - transfer.amount, count=F("count") - 1)


def usage_rebuild(
    *,
    transfer_model: type[Model] = Transfer,
    usage_model: type[Model] = TransferUsage,
    holder_ids: Sequence[int] | None = None,
    batch_size: int = 2000,
) -> int:
    """Recompute the buckets of ``holder_ids`` (default: every holder) from their transfers, replacing what was
    there; returns the number of buckets written. The data migration that introduced the buckets runs it (with
    its historical models); so do benchmarks that load transfers in bulk."""
    usage = usage_model._default_manager.all()
    counted = transfer_model._default_manager.exclude(status__in=NOT_COUNTED)
    if holder_ids is not None:
        usage, counted = usage.filter(holder_id__in=holder_ids), counted.filter(holder_id__in=holder_ids)
    written = 0
    with transaction.atomic():
        usage.delete()
        for span, trunc in ((_SPAN.HOUR, TruncHour), (_SPAN.DAY, TruncDay)):
            buckets = (
                counted.annotate(period=trunc("initiated_at", tzinfo=UTC))
                .values_list("holder_id", "currency", "period")
                .annotate(total=Sum("amount"), number=Count("pk"))
                .order_by()
            )
            rows = [
                usage_model(
                    holder_id=holder, span=span, period_start=period, currency=currency, amount=total, count=number
                )
                for holder, currency, period, total, number in buckets.iterator()
            ]
            usage_model._default_manager.bulk_create(rows, batch_size=batch_size)
            written += len(rows)
    return written


# --- Reading a window -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """The holder's counted transfers initiated after ``start`` (and at any later time), in ``currency``, or in
    every currency when it is None."""

    start: datetime
    currency: str | None

    @property
    def edge(self) -> datetime:
        """The hour that holds ``start``: only its transfers after ``start`` are in the window."""
        return _hour(self.start)

    @property
    def hours_from(self) -> datetime:
        return self.edge + HOUR

    @property
    def days_from(self) -> datetime:
        """The first midnight at or after the edge hour's end: from there on whole days are in the window."""
        day = _day(self.hours_from)
        return day if day == self.hours_from else day + DAY


@dataclass(frozen=True)
class Bound:
    """What the buckets say of a window: ``amount`` and ``count`` with the edge hour's bucket taken whole (an
    upper bound), and that bucket's share of them (``edge_amount``, ``edge_count``). Exact when the edge hour
    had no counted transfer."""

    amount: int
    count: int
    edge_amount: int
    edge_count: int

    @property
    def exact(self) -> bool:
        return self.edge_count == 0


def _currency_filter(window: Window, params: list[Any]) -> str:
    if window.currency is None:
        return ""
    params.append(window.currency)
    return " AND currency = %s"


@dataclass(frozen=True)
class Probe:
    """A read of at most one row and one integer column elsewhere (``sql``, a complete SELECT, with its
    ``params``), sent inside the buckets' statement so that a caller under the lock saves a round trip."""

    sql: str
    params: tuple[Any, ...]


def bounds(*, holder_id: int, windows: Sequence[Window], probe: Probe | None = None) -> tuple[list[Bound], int | None]:
    """The buckets' bound of each of ``windows`` (one statement), and ``probe``'s value (None when it found no
    row, or without a probe). Per window it reads at most the hour buckets of one day and the day buckets from
    the next midnight on (one per day and currency)."""
    usage = _table(TransferUsage)
    arms: list[str] = []
    params: list[Any] = []
    if probe is not None:
        arms.append(f"SELECT -1, ({probe.sql}), 0, 0, 0")
        params += probe.params
    for index, window in enumerate(windows):
        edge, days_from = _db(window.edge), _db(window.days_from)
        params += [edge, edge, holder_id, _SPAN.HOUR, edge, days_from]
        currency = _currency_filter(window, params)
        arms.append(
            f"SELECT {index}, SUM(amount), SUM(count), SUM(CASE WHEN period_start = %s THEN amount ELSE 0 END), "  # noqa: S608  # nosec B608
            f"SUM(CASE WHEN period_start = %s THEN count ELSE 0 END) FROM {usage} "
            f"WHERE holder_id = %s AND span = %s AND period_start >= %s AND period_start < %s{currency}"
        )
        params += [holder_id, _SPAN.DAY, days_from]
        currency = _currency_filter(window, params)
        arms.append(
            f"SELECT {index}, SUM(amount), SUM(count), 0, 0 FROM {usage} "  # noqa: S608  # nosec B608
            f"WHERE holder_id = %s AND span = %s AND period_start >= %s{currency}"
        )
    totals = [[0, 0, 0, 0] for _ in windows]
    probed = None
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        for index, *values in cursor.fetchall():
            if int(index) < 0:
                probed = None if values[0] is None else int(values[0])
                continue
            kept = totals[int(index)]
            totals[int(index)] = [total + int(value or 0) for total, value in zip(kept, values, strict=True)]
    return [Bound(*values) for values in totals], probed


def _edge_arm(window: Window, params: list[Any], *, select: str) -> str:
    params += [_db(window.start), _db(window.hours_from), *NOT_COUNTED]
    currency = _currency_filter(window, params)
    return (
        f"SELECT {select} FROM {_table(Transfer)} "  # noqa: S608  # nosec B608
        f"WHERE holder_id = %s AND initiated_at > %s AND initiated_at < %s AND status NOT IN (%s, %s){currency}"
    )


def exact(*, holder_id: int, windows: Sequence[Window], bounds: Sequence[Bound]) -> list[tuple[int, int]]:
    """The exact ``(amount, count)`` of each of ``windows``: its ``bounds`` with the edge hour's bucket replaced by
    the edge hour's transfers after the window's start (one statement, reading only the windows whose bound is
    not exact already)."""
    arms, params = [], []
    for index, (window, bound) in enumerate(zip(windows, bounds, strict=True)):
        if not bound.exact:
            params.append(holder_id)
            arms.append(_edge_arm(window, params, select=f"{index}, SUM(amount), COUNT(*)"))
    edges = {index: (0, 0) for index in range(len(windows))}
    if arms:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(arms), params)
            edges |= {int(index): (int(amount or 0), int(count)) for index, amount, count in cursor.fetchall()}
    return [
        (bound.amount - bound.edge_amount + edges[index][0], bound.count - bound.edge_count + edges[index][1])
        for index, bound in enumerate(bounds)
    ]


# When enough of a window's transfers have left it, oldest first: the edge hour's transfers one by one, then the
# later hours as buckets (a running sum finds the hour where the total is reached), then that hour's transfers one
# by one. The hour ends where the holder's next hour bucket in any currency starts: every transfer of the holder
# is in a bucket of its hour, so that range holds no later transfer. One statement.
_RESETS_SQL = """
    WITH edge AS ({edge}),
    hours AS (
        SELECT period_start, SUM({bucket_weight}) AS weight FROM {usage}
        WHERE holder_id = %s AND span = %s AND period_start >= %s{currency}
        GROUP BY period_start
    ),
    walk AS (
        SELECT period_start, weight, SUM(weight) OVER (ORDER BY period_start) AS upto FROM hours
    ),
    crossing AS (
        SELECT period_start, upto - weight AS before FROM walk
        WHERE (SELECT COALESCE(SUM(weight), 0) FROM edge) + upto >= %s
        ORDER BY period_start LIMIT 1
    )
    SELECT 0, initiated_at, id, weight FROM edge
    UNION ALL
    SELECT 1, period_start, NULL, before FROM crossing
    UNION ALL
    SELECT 2, t.initiated_at, t.id, {transfer_weight} FROM {transfers} t, crossing c
    WHERE t.holder_id = %s AND t.initiated_at >= c.period_start AND t.initiated_at < COALESCE((
        SELECT MIN(period_start) FROM {usage} WHERE holder_id = %s AND span = %s AND period_start > c.period_start
    ), %s) AND t.status NOT IN (%s, %s){currency}
    ORDER BY 1, 2, 3
"""


def freed_at(*, holder_id: int, window: Window, excess: int, by_count: bool) -> datetime | None:
    """The ``initiated_at`` of the transfer, oldest first in the window (ties by creation), whose leaving frees
    ``excess`` (an amount, or a number of transfers) together with those before it; None when all of them
    leaving would not be enough."""
    weight = "1" if by_count else "amount"
    params: list[Any] = [holder_id]
    edge = _edge_arm(window, params, select=f"initiated_at, id, {weight} AS weight")
    params += [holder_id, _SPAN.HOUR, _db(window.hours_from)]
    currency = _currency_filter(window, params)
    params += [excess, holder_id, holder_id, _SPAN.HOUR, _db(_END_OF_TIME), *NOT_COUNTED]
    if window.currency is not None:
        params.append(window.currency)
    sql = _RESETS_SQL.format(
        edge=edge,
        usage=_table(TransferUsage),
        transfers=_table(Transfer),
        bucket_weight="count" if by_count else "amount",
        transfer_weight="1" if by_count else "t.amount",
        currency=currency,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    freed = 0
    for part, at, _, value in rows:
        # The hours before the crossing one, as one sum, then that hour's transfers one by one.
        freed += int(value)
        if part != 1 and freed >= excess:
            return _from_db(at)
    return None
