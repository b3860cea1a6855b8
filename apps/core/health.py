"""Liveness and readiness.

``/health/`` answers 200 while the process serves requests. ``/health/ready/`` checks each database, the
cache and the Celery broker with short timeouts and answers 503 naming every failing part, so a load
balancer stops sending traffic to an instance that cannot do its work.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from kombu import Connection

from apps.core.ids import random_base62

logger = structlog.get_logger(__name__)
CHECK_TIMEOUT_SECONDS = 3


def check_database(connection: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache(cache: Any) -> None:
    key = f"health:{random_base62(12)}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)


def check_broker(url: str, transport_options: dict[str, Any]) -> None:
    with Connection(url, transport_options=transport_options, connect_timeout=CHECK_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT_SECONDS)
        if url.startswith("filesystem://"):
            # The filesystem transport "connects" without touching disk; the folder must exist and be writable.
            import os

            folder = transport_options.get("data_folder_out", "")
            if not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
                raise RuntimeError(f"broker folder {folder!r} is missing or not writable")


def _check_database_alias(alias: str) -> None:
    check_database(connections[alias])  # looked up when the check runs: connections are per thread


def readiness_checks() -> dict[str, Callable[[], None]]:
    checks: dict[str, Callable[[], None]] = {}
    for alias in settings.DATABASES:
        name = "database" if alias == "default" else f"database:{alias}"
        checks[name] = partial(_check_database_alias, alias)
    checks["cache"] = lambda: check_cache(caches["default"])
    checks["broker"] = lambda: check_broker(settings.CELERY_BROKER_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    return checks


def run_checks(checks: dict[str, Callable[[], None]]) -> dict[str, str]:
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:
            logger.warning("readiness_check_failed", check=name, error=type(exc).__name__)
            results[name] = f"failing: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results
