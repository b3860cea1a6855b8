"""How much each holder has moved: the buckets the limits read instead of the holder's history.

``TransferUsage`` keeps, per holder and currency, the amount and number of the holder's counted transfers per UTC
hour and per UTC day of their ``initiated_at``. A transfer counts from its creation unless it ``failed`` or was
``canceled`` (docs/limits.md): ``usage_add`` puts it in its two buckets in the transaction that creates it,
``usage_remove`` takes it out in the one that fails or cancels it.

Every statement here is written out once; none is restated elsewhere.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Model, Sum
from django.db.models.functions import TruncDay, TruncHour
from django.utils.dateparse import parse_datetime

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


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# --- Keeping the buckets ------------------------------------------------------------------------------------------
# One statement adds a transfer to its hour and its day, creating either bucket if needed (an upsert both
# PostgreSQL and SQLite accept). The hour comes first in every transaction, so two writers of one bucket pair
# queue on the same row instead of deadlocking.
_ADD_SQL = """
    INSERT INTO {table} (holder_id, span, period_start, currency, amount, count)
    VALUES (%s, %s, %s, %s, %s, 1), (%s, %s, %s, %s, %s, 1)
    ON CONFLICT (holder_id, span, period_start, currency)
    DO UPDATE SET amount = {table}.amount + EXCLUDED.amount, count = {table}.count + EXCLUDED.count
"""


def usage_add(*, transfer: Transfer) -> None:
    """Count ``transfer`` (just created, in the creating transaction) against its holder: its amount and one
    transfer in its currency, in the hour and the day of its ``initiated_at``. A transfer created already
    failed or canceled does not count and is not added."""
    if transfer.status in NOT_COUNTED:
        return
    holder, currency, amount = transfer.holder_id, transfer.currency, transfer.amount
    at = transfer.initiated_at
    params = [holder, _SPAN.HOUR, _db(_hour(at)), currency, amount, holder, _SPAN.DAY, _db(_day(at)), currency, amount]
    with connection.cursor() as cursor:
        cursor.execute(_ADD_SQL.format(table=_table(TransferUsage)), params)


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
