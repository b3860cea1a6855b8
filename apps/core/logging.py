"""Structured logging: JSON lines on stderr, each carrying the request id of the request or task it belongs to.

Imported by the LOGGING setting before apps load, so it must not import models.
"""

import os

import structlog

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
# Processors applied to records that come from the standard library (Django, Celery) rather than structlog.
FOREIGN_PRE_CHAIN = [*_SHARED, structlog.stdlib.ExtraAdder(allow=["status_code"])]

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
