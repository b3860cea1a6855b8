"""Liveness and readiness: ``/health/`` and ``/health/ready/``. Failures are simulated on closed loopback ports."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import override_settings

from apps.core import health
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

READY = "/health/ready/"


@pytest.fixture
def unreachable_database(closed_port: int) -> Iterator[Any]:
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "causeway_unreachable",
                "HOST": "127.0.0.1",
                "PORT": closed_port,
                "USER": "postgres",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    connection = handler["default"]
    yield connection
    connection.close()


def assert_not_ready(response: Any, failing: list[str]) -> dict[str, Any]:
    body = assert_problem(response, 503, "not_ready")
    assert response["Cache-Control"].startswith("max-age=0")
    assert body["request_id"] == response["Request-Id"]
    assert body["failing"] == failing
    for name in failing:
        assert name in body["detail"]
        assert body["checks"][name].startswith("failing: ")
    assert all(result == "ok" for name, result in body["checks"].items() if name not in failing)
    return body


class TestLiveness:
    def test_health_answers_200(self, api_client):
        response = api_client.get("/health/")

        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert response["Request-Id"].startswith("req_")

    def test_health_needs_no_database(self, api_client, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert api_client.get("/health/").status_code == 200


class TestReadiness:
    def test_ready_answers_200_with_every_check_ok(self, api_client, settings):
        response = api_client.get(READY)

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        expected = {"cache", "broker"} | {
            "database" if alias == "default" else f"database:{alias}" for alias in settings.DATABASES
        }
        assert body["checks"] == dict.fromkeys(expected, "ok")

    def test_a_cache_on_a_closed_port_makes_it_503_naming_the_cache(self, api_client, closed_port):
        redis_cache = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}",
        }

        with override_settings(CACHES={"default": redis_cache}):
            response = api_client.get(READY)

        body = assert_not_ready(response, ["cache"])
        assert body["checks"]["cache"] == "failing: ConnectionError"

    def test_a_broker_on_a_closed_port_makes_it_503_naming_the_broker(self, api_client, closed_port):
        with override_settings(
            CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port}/0", CELERY_BROKER_TRANSPORT_OPTIONS={}
        ):
            response = api_client.get(READY)

        assert_not_ready(response, ["broker"])

    def test_a_missing_filesystem_broker_folder_makes_it_503_naming_the_broker(self, api_client, tmp_path):
        missing = tmp_path / "no-such-folder"
        options = {"data_folder_in": str(missing), "data_folder_out": str(missing), "processed_folder": str(missing)}

        with override_settings(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options):
            response = api_client.get(READY)

        body = assert_not_ready(response, ["broker"])
        assert body["checks"]["broker"] == "failing: RuntimeError"
        assert not missing.exists()

    def test_an_unreachable_database_makes_it_503_naming_the_database(
        self, api_client, monkeypatch, unreachable_database
    ):
        real_checks = health.readiness_checks

        def checks_with_a_broken_database() -> dict:
            checks = real_checks()
            checks["database"] = lambda: health.check_database(unreachable_database)
            return checks

        monkeypatch.setattr(health, "readiness_checks", checks_with_a_broken_database)

        response = api_client.get(READY)

        body = assert_not_ready(response, ["database"])
        assert body["checks"]["database"] == "failing: OperationalError"

    def test_several_failing_parts_are_all_named(self, api_client, closed_port, tmp_path):
        redis_cache = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}",
        }
        missing = str(tmp_path / "missing")

        with override_settings(
            CACHES={"default": redis_cache},
            CELERY_BROKER_URL="filesystem://",
            CELERY_BROKER_TRANSPORT_OPTIONS={"data_folder_in": missing, "data_folder_out": missing},
        ):
            response = api_client.get(READY)

        assert_not_ready(response, ["cache", "broker"])

    def test_a_failure_detail_does_not_leak_the_error_message(self, api_client, closed_port):
        with override_settings(
            CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port}/0", CELERY_BROKER_TRANSPORT_OPTIONS={}
        ):
            response = api_client.get(READY)

        assert response.status_code == 503
        assert str(closed_port) not in response.content.decode()


class TestChecks:
    def test_the_database_check_passes_on_the_test_database(self):
        from django.db import connection

        health.check_database(connection)

    def test_the_database_check_fails_on_a_closed_port(self, unreachable_database, django_db_blocker):
        with django_db_blocker.unblock(), pytest.raises(OperationalError):
            health.check_database(unreachable_database)

    def test_the_cache_check_fails_on_a_closed_port(self, closed_port):
        from django.core.cache.backends.redis import RedisCache
        from redis.exceptions import ConnectionError as RedisConnectionError

        with pytest.raises(RedisConnectionError):
            health.check_cache(RedisCache(f"redis://127.0.0.1:{closed_port}", {}))

    def test_the_broker_check_fails_on_a_closed_port(self, closed_port):
        from kombu.exceptions import OperationalError as BrokerUnreachable

        with pytest.raises(BrokerUnreachable):
            health.check_broker(f"redis://127.0.0.1:{closed_port}/0", {})

    def test_the_filesystem_broker_check_passes_on_a_writable_folder(self, tmp_path):
        folder = str(tmp_path)

        health.check_broker("filesystem://", {"data_folder_in": folder, "data_folder_out": folder})
