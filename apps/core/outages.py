"""Dependency outages: a request that cannot reach PostgreSQL, Redis or the broker is answered 503
``service_unavailable`` with ``Retry-After``, never a 500 (docs/errors.md, docs/conventions.md).

Only connection-level failures count (``is_outage``): the connection was refused, lost or timed out, or the
server is shutting down or not yet accepting connections. A failing statement (a syntax error, a missing table,
a constraint) is a bug and stays a 500. Whatever the request had begun to write is rolled back with its
transaction, so nothing is written and retrying after ``Retry-After`` seconds (with the same
``Idempotency-Key``) is safe.

Both ways out use this: DRF's exception handler (apps/core/exceptions.py) for errors raised in API views, and
the 500 handler (apps/core/views.py) for errors raised in middleware or in portal views.
"""

from typing import Any

import psycopg
import structlog
from django.db import InterfaceError as DjangoInterfaceError
from django.db import OperationalError as DjangoOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from apps.core.errors import error_type

logger = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 5

ServiceUnavailable = error_type(
    "ServiceUnavailable",
    "service_unavailable",
    503,
    "Service unavailable",
    "A service this request depends on is briefly unavailable; nothing was changed. "
    "Retry after `Retry-After` seconds with the same `Idempotency-Key`.",
    doc="The database, the cache or the queue could not be reached (a restart, a lost connection). Nothing was "
    "written; retrying after `Retry-After` seconds is safe.",
    default_headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
)

# SQLSTATE classes of a connection that failed, not of a statement: 08 (connection exception) and 57P (the
# server is shutting down, crashed, or not accepting connections yet). psycopg gives no SQLSTATE when it could
# not connect at all or lost the connection mid-statement.
_CONNECTION_SQLSTATES = ("08", "57P")


def _is_connection_failure(error: BaseException) -> str:
    """The dependency ``error`` says is out of reach (``"database"``, ``"cache"``, ``"broker"``), or ""."""
    if isinstance(error, psycopg.InterfaceError):
        return "database"
    if isinstance(error, psycopg.OperationalError):
        sqlstate = error.sqlstate
        return "database" if sqlstate is None or sqlstate.startswith(_CONNECTION_SQLSTATES) else ""
    if isinstance(error, RedisConnectionError | RedisTimeoutError):
        return "cache"
    if isinstance(error, BrokerOperationalError):
        return "broker"
    return ""


def outage_dependency(exc: BaseException) -> str:
    """Which dependency ``exc`` (or the driver error Django wrapped in it) says is out of reach, or "" when it is
    not a connection-level failure. Django's own ``InterfaceError`` (a connection already closed) counts; its
    ``OperationalError`` counts only when the driver's error under it does (SQLite's "no such table" does not)."""
    dependency = _is_connection_failure(exc)
    if dependency:
        return dependency
    if isinstance(exc, DjangoOperationalError | DjangoInterfaceError):
        cause = exc.__cause__
        if cause is not None and _is_connection_failure(cause):
            return "database"
        return "database" if isinstance(exc, DjangoInterfaceError) and cause is None else ""
    return ""


def log_outage(request: Any, exc: BaseException, dependency: str) -> None:
    """One warning per refused request: the dependency, the error's type and the request id (never the error's
    text, which may name hosts or parameters)."""
    request = getattr(request, "_request", request)
    logger.warning(
        "dependency_unavailable",
        dependency=dependency,
        exc_type=type(exc).__name__,
        request_id=getattr(request, "request_id", "") or "",
        path=getattr(request, "path", ""),
    )
