"""Structured logging: JSON lines on stderr, each carrying the request id, partner and environment of the request
or task it belongs to (docs/operations.md).

Imported by the LOGGING setting before apps load, so it must not import models.
"""

import os
import re
from contextvars import ContextVar
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

from apps.core.principal import Principal

# The request being served in this thread (set by RequestIdMiddleware). Its credential is known only once DRF has
# authenticated it, so the partner and environment are read from it when a line is written, not bound up front.
current_request: ContextVar[Any] = ContextVar("causeway_current_request", default=None)


def _partner_and_environment(logger: object, method: str, event_dict: EventDict) -> EventDict:
    """Lines of a request or task carry ``partner`` and ``environment`` (null when the caller is not known); a
    task has them bound from the request that enqueued it (config/celery.py)."""
    request = current_request.get()
    if request is None:
        # Django's 500 line comes after the middleware returned, with the request on the record; runserver's
        # access lines carry a socket there, not a request.
        request = getattr(event_dict.get("_record"), "request", None)
        request = request if hasattr(request, "META") else None
    if request is None and "request_id" not in event_dict:
        return event_dict
    principal = getattr(request, "auth", None)
    if isinstance(principal, Principal):
        event_dict.setdefault("partner", principal.partner.public_id)
        event_dict.setdefault("environment", principal.environment.kind)
    event_dict.setdefault("partner", None)
    event_dict.setdefault("environment", None)
    event_dict.setdefault("request_id", getattr(request, "request_id", None))
    return event_dict


_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def _request_id_from_record(logger: object, method: str, event_dict: EventDict) -> EventDict:
    """Django logs a request's 500 after the request-id middleware has returned; take the id from the request."""
    request = getattr(event_dict.get("_record"), "request", None)
    request_id = getattr(request, "request_id", None)
    if request_id and not event_dict.get("request_id"):
        event_dict["request_id"] = request_id
    return event_dict


# A request line's query string: `"GET /v1/partner?key=cw_sk_... HTTP/1.1"` as runserver logs it.
_QUERY_IN_REQUEST_LINE = re.compile(r'("[A-Z]+ [^ ?"]*)\?[^ "]*')


def _drop_query_strings(logger: object, method: str, event_dict: EventDict) -> EventDict:
    """Access log lines (runserver's ``django.server``) keep the path and drop the query string, which may carry a
    secret key the API refuses there (gunicorn's access log format does the same: gunicorn.conf.py)."""
    event = event_dict.get("event")
    if isinstance(event, str) and "?" in event:
        event_dict["event"] = _QUERY_IN_REQUEST_LINE.sub(r"\1?[query omitted]", event)
    return event_dict


# Processors applied to records that come from the standard library (Django, Celery) rather than structlog.
FOREIGN_PRE_CHAIN: list[Processor] = [
    *_SHARED,
    _request_id_from_record,
    _partner_and_environment,
    _drop_query_strings,
    structlog.stdlib.ExtraAdder(allow=["status_code"]),
    structlog.processors.format_exc_info,
]

renderer: Processor
if os.environ.get("LOG_FORMAT", "json") == "console":
    renderer = structlog.dev.ConsoleRenderer(colors=False)
else:
    renderer = structlog.processors.JSONRenderer()

structlog.configure(
    processors=[
        *_SHARED,
        _partner_and_environment,
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)
