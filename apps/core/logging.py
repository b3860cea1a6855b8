"""Structured logging: JSON lines on stderr, each carrying the request id of the request or task it belongs to.

Imported by the LOGGING setting before apps load, so it must not import models.
"""

import os
import re

import structlog
from structlog.typing import EventDict, Processor

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
