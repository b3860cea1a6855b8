"""Retention of the request log: the purge of old rows, in short batches."""

from datetime import datetime

from apps.partners.models import RequestLog


def request_log_purge(*, before: datetime, batch_size: int = 1000) -> int:
    """Delete logs created before ``before``, oldest first, one short transaction per batch (so a purge cut
    short by its time limit keeps what it deleted and the next run carries on). Returns how many it deleted."""
    deleted = 0
    old = RequestLog.objects.filter(created_at__lt=before)
    while True:
        ids = list(old.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        count, _ = old.filter(pk__lte=ids[-1]).delete()
        deleted += count
