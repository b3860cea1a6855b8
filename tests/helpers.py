"""Helpers that several test modules share, each written once: the problem+json assertion, requests to the
API that the tests repeat, and small readers of what a test left behind."""

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest

IN_CI = bool(os.environ.get("CI"))
EMBEDDED_PASS = os.environ.get("CAUSEWAY_TEST_PASS") == "embedded"
PROBLEM_CONTENT_TYPE = "application/problem+json"
TRANSFERS_URL = "/v1/transfers"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 ``application/problem+json`` error with HTTP ``status`` and ``code`` (in the
    body too); returns the body for the test's own checks."""
    assert response.status_code == status, response.content
    # ``.headers``: a Django test response or an httpx one (tests that call a live server).
    assert response.headers["Content-Type"] == PROBLEM_CONTENT_TYPE, response.headers["Content-Type"]
    body = response.json()
    assert (body["status"], body["code"]) == (status, code), body
    return body


def client_as(principal: Any) -> Any:
    """An API client whose requests are made as ``principal`` (an OAuth token's, usually), without a token."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(token=principal)
    return client


def post_transfer(client: Any, body: dict[str, Any], *, key: str | None = "transfer-key-1") -> Any:
    """``POST /v1/transfers`` with ``Idempotency-Key: key`` (none when ``key`` is None)."""
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(TRANSFERS_URL, body, format="json", **headers)


def balances(wallet: Any) -> tuple[int, int]:
    """The wallet's ``(ledger_balance, available_balance)`` as stored now (the instance is refreshed)."""
    wallet.refresh_from_db()
    return wallet.ledger_balance, wallet.available_balance


def status_history(transfer: Any) -> list[tuple[str, str, str]]:
    """The transfer's status changes in order: ``(previous_status, status, reason)``."""
    return list(transfer.status_changes.order_by("pk").values_list("previous_status", "status", "reason"))


def totp_code(secret: str) -> str:
    """The current RFC 6238 code for ``secret``; waits out the last seconds of a 30 s window so the code is
    still valid when the server checks it (allauth allows no clock drift by default)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def assert_book_balanced() -> None:
    """``reconcile()`` finds nothing wrong: every balance is its entries and holds, every journal sums to zero."""
    from apps.wallets.reconciliation import reconcile

    report = reconcile()
    assert report.ok, report.mismatches


def skip_or_fail(reason: str) -> None:
    """Skip for a missing service or program, except under CI outside its embedded pass, where it must run."""
    if IN_CI and not EMBEDDED_PASS:
        pytest.fail(f"{reason} (CI is set, so this must not be skipped)")
    pytest.skip(reason)


def reread(obj: Any) -> Any:
    """The row of ``obj`` as stored now, as a new instance."""
    return type(obj).objects.get(pk=obj.pk)


def book_size() -> tuple[int, int, int, int]:
    """How many journals, entries, transactions and holds exist: a refused posting leaves all four unchanged."""
    from apps.wallets.models import Entry, Hold, Journal, Transaction

    return Journal.objects.count(), Entry.objects.count(), Transaction.objects.count(), Hold.objects.count()


@contextmanager
def no_queries_but_the_rate_limit_counter() -> Iterator[None]:
    """Fails if the block runs any statement on any database other than the rate limiter's counter in the
    database cache (on the embedded default that is the "aux" database; without Redis on PostgreSQL, the main
    one): no credential lookup, no view."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    table = settings.CACHES["default"].get("LOCATION", "")
    with ExitStack() as stack:
        captured = [stack.enter_context(CaptureQueriesContext(connections[alias])) for alias in settings.DATABASES]
        yield
    others = [
        query["sql"]
        for context in captured
        for query in context.captured_queries
        if table not in query["sql"]
        and not query["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]
    assert not others, others


METRICS_TEST_TOKEN = "metrics-test-token-0123456789abcdefghijklmnopqrstuvwxyz"


def json_log_line(record: Any) -> dict[str, Any]:
    """A log record as the configured stderr handler writes it: one JSON object on one line."""
    import json
    import logging

    import structlog

    [handler] = [
        h for h in logging.getLogger().handlers if isinstance(h.formatter, structlog.stdlib.ProcessorFormatter)
    ]
    line = handler.format(record)
    assert "\n" not in line
    return json.loads(line)


def scrape_metrics() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """``GET /metrics`` with a token, as ``{(sample name, sorted labels): value}`` (absent samples are absent)."""
    from django.test import Client, override_settings
    from prometheus_client.parser import text_string_to_metric_families

    with override_settings(METRICS_TOKEN=METRICS_TEST_TOKEN):
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TEST_TOKEN}")
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def metric(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    """One sample's value from ``scrape_metrics()``, 0 when absent (a counter nobody has moved yet)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)
