"""Dependency outages (apps/core/outages.py): a request that cannot reach the database or the cache is answered
503 ``service_unavailable`` with ``Retry-After`` and its request id, as problem+json on the API and as a plain
page on the portal, and is logged as a warning; a failing statement is still a 500; the rate limits let requests
through while the cache is down. The database is made unreachable at the cursor (each statement raises what
psycopg raises for a refused or lost connection), the cache by pointing it at a closed port."""

import logging
import socket
import sqlite3

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from apps.core.outages import outage_dependency
from tests.helpers import TRANSFERS_URL, assert_problem

pytestmark = pytest.mark.django_db


def refuse_every_statement(error: Exception):
    """An ``execute_wrapper`` under which every statement raises ``error`` instead of running."""

    def wrapper(execute, sql, params, many, context):
        raise error

    return connection.execute_wrapper(wrapper)


def connection_refused() -> psycopg.OperationalError:
    return psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_on_a_closed_port():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    return override_settings(CACHES={"default": {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": location}})


def assert_unavailable(response) -> dict:
    body = assert_problem(response, 503, "service_unavailable")
    assert response["Retry-After"] == "5"
    assert response["Request-Id"] and body["request_id"] == response["Request-Id"]
    return body


class TestDatabaseUnreachable:
    def test_an_api_request_is_503_service_unavailable_logged_as_a_warning(self, sandbox_client, caplog):
        caplog.set_level(logging.WARNING)

        with refuse_every_statement(connection_refused()):
            response = sandbox_client.get(TRANSFERS_URL)

        assert_unavailable(response)
        assert "connection failed" not in response.content.decode()
        [record] = [r for r in caplog.records if isinstance(r.msg, dict) and r.msg["event"] == "dependency_unavailable"]
        assert record.levelno == logging.WARNING
        assert (record.msg["dependency"], record.msg["exc_type"]) == ("database", "OperationalError")
        assert record.msg["request_id"] == response["Request-Id"]
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    def test_a_connection_lost_mid_request_is_503_too(self, sandbox_client):
        with refuse_every_statement(psycopg.InterfaceError("the connection is lost")):
            assert_unavailable(sandbox_client.get(TRANSFERS_URL))

    def test_a_failing_statement_is_still_a_500(self, sandbox_client):
        with refuse_every_statement(psycopg.ProgrammingError('relation "transfers_transfer" does not exist')):
            response = sandbox_client.get(TRANSFERS_URL)

        assert_problem(response, 500, "internal_error")

    def test_a_portal_page_is_a_friendly_503_page(self, owner):
        owner.client.raise_request_exception = False

        with refuse_every_statement(connection_refused()):
            response = owner.client.get("/portal/")

        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        assert response["Retry-After"] == "5"
        assert "briefly unavailable" in response.content.decode()


class TestCacheUnreachable:
    def test_the_rate_limits_let_a_request_through_without_their_headers(self, api_client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "unauthenticated": 0}

        with redis_on_a_closed_port():
            response = api_client.get("/v1/no-such-path")

        assert_problem(response, 404, "resource_missing")
        assert "RateLimit-Limit" not in response

    def test_a_request_that_needs_the_cache_is_503_service_unavailable(self, sandbox_client):
        with redis_on_a_closed_port():
            response = sandbox_client.get(TRANSFERS_URL)

        assert_unavailable(response)


class TestWhatCounts:
    @pytest.mark.parametrize(
        ("error", "dependency"),
        [
            (psycopg.OperationalError("connection failed"), "database"),
            (psycopg.errors.AdminShutdown(), "database"),
            (psycopg.errors.ConnectionFailure(), "database"),
            (psycopg.InterfaceError("the connection is closed"), "database"),
            (RedisConnectionError("Error 111 connecting"), "cache"),
            (RedisTimeoutError("Timeout reading from socket"), "cache"),
            (BrokerOperationalError("connection refused"), "broker"),
            (psycopg.errors.UndefinedTable(), ""),
            (psycopg.errors.QueryCanceled(), ""),
            (psycopg.errors.DeadlockDetected(), ""),
            (ConnectionError("a socket elsewhere"), ""),
            (RuntimeError("a bug"), ""),
        ],
    )
    def test_only_connection_level_failures_are_outages(self, error, dependency):
        assert outage_dependency(error) == dependency

    def test_a_django_error_counts_by_the_driver_error_under_it(self):
        def wrapped(cause: Exception) -> OperationalError:
            try:
                raise OperationalError(str(cause)) from cause
            except OperationalError as error:
                return error

        assert outage_dependency(wrapped(psycopg.OperationalError("server closed the connection"))) == "database"
        assert outage_dependency(wrapped(sqlite3.OperationalError("no such table: transfers_transfer"))) == ""
