"""The one source of "now" for services.

Live environments get real time; a sandbox environment gets real time moved by its clock offset, so the
sandbox clock can drive settlements, expiries and retries. Services call ``now(environment=...)`` and never
``timezone.now()``.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone


def now(*, environment: Any = None) -> datetime:
    current = timezone.now()
    if environment is not None and getattr(environment, "kind", None) == "sandbox":
        offset = getattr(environment, "clock_offset", None) or timedelta(0)
        return current + offset
    return current


def rfc3339(value: datetime | None) -> str | None:
    """The API's time format: RFC 3339 in UTC with a ``Z`` (None stays None)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None
