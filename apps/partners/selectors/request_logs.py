"""Reads of the request log for the portal: a partner's logs in one environment, filtered and paged on the id."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import Any

from apps.partners.models import Environment, Partner, RequestLog


@dataclass(frozen=True)
class RequestLogFilters:
    status: str = ""  # "2xx", "4xx", ... or an exact code such as "404"
    path: str = ""  # rows whose path contains this
    date_from: date | None = None  # inclusive, UTC
    date_to: date | None = None  # inclusive, UTC
    request_id: str = ""  # exact


@dataclass(frozen=True)
class RequestLogPage:
    items: list[RequestLog]
    has_more: bool

    @property
    def next_cursor(self) -> str | None:
        return self.items[-1].public_id if self.has_more and self.items else None


_STATUS = re.compile(r"([1-5])(xx|[0-9]{2})", re.IGNORECASE)
_LIST_FIELDS = (
    "id",
    "public_id",
    "created_at",
    "method",
    "path",
    "query",
    "status",
    "latency_ms",
    "request_id",
    "error_code",
)


def status_range(value: str) -> tuple[int, int]:
    """``"4xx"`` -> (400, 499), ``"404"`` -> (404, 404); ValueError for anything else."""
    match = _STATUS.fullmatch(value.strip())
    if not match:
        raise ValueError("Use a status class such as 2xx, 4xx or 5xx, or a code such as 404.")
    if match.group(2).lower() == "xx":
        low = int(match.group(1)) * 100
        return low, low + 99
    return int(value), int(value)


def _scoped(*, partner: Partner, environment: Environment) -> Any:
    return RequestLog.objects.filter(partner_id_public=partner.public_id, environment=environment.kind)


def request_log_list(
    *,
    partner: Partner,
    environment: Environment,
    filters: RequestLogFilters,
    starting_after: str | None = None,
    limit: int = 50,
) -> RequestLogPage:
    """One page of the partner's logs in ``environment``, newest first, cut on the id (keyset)."""
    queryset = _scoped(partner=partner, environment=environment).only(*_LIST_FIELDS).order_by("-id")
    if filters.status:
        low, high = status_range(filters.status)
        queryset = queryset.filter(status__gte=low, status__lte=high)
    if filters.path:
        queryset = queryset.filter(path__contains=filters.path)
    if filters.date_from:
        queryset = queryset.filter(created_at__gte=datetime.combine(filters.date_from, day_time.min, tzinfo=UTC))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), day_time.min, tzinfo=UTC)
        queryset = queryset.filter(created_at__lt=end)
    if filters.request_id:
        queryset = queryset.filter(request_id=filters.request_id)
    if starting_after:
        # The cursor is looked up among this partner's rows only; an unknown one starts from the newest.
        cursor_pk = (
            _scoped(partner=partner, environment=environment)
            .filter(public_id=starting_after)
            .values_list("pk", flat=True)
            .first()
        )
        if cursor_pk is not None:
            queryset = queryset.filter(id__lt=cursor_pk)
    items = list(queryset[: limit + 1])
    return RequestLogPage(items=items[:limit], has_more=len(items) > limit)


def request_log_get(*, partner: Partner, environment: Environment, log_id: str, with_bodies: bool) -> RequestLog | None:
    """One of the partner's logs in ``environment`` (None for anyone else's); bodies are loaded only when
    ``with_bodies``."""
    queryset = _scoped(partner=partner, environment=environment)
    if not with_bodies:
        queryset = queryset.defer("request_body", "response_body")
    return queryset.filter(public_id=log_id).first()
