"""Request ids: on every response, in the logs of the request, and carried into the Celery tasks it publishes."""

import json
import logging
import re
from types import SimpleNamespace

import pytest
import structlog
from django.test import override_settings

from config.celery import REQUEST_ID_HEADER, _attach_request_id, _bind_request_id, _unbind_request_id
from config.settings.base import filesystem_broker_options
from tests.helpers import assert_problem
from tests.helpers import json_log_line as json_line

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^req_[0-9A-Za-z]{24}$")


@pytest.fixture(autouse=True)
def _clean_contextvars():
    structlog.contextvars.clear_contextvars()
    yield
    structlog.contextvars.clear_contextvars()


class TestRequestIdHeader:
    @pytest.mark.parametrize(
        ("path", "status"),
        [
            ("/v1/", 200),
            ("/v1/partner", 401),
            ("/health/", 200),
            ("/health/ready/", 200),
            ("/v1/no-such-thing", 404),
            ("/no-such-page", 404),
        ],
    )
    def test_every_response_carries_a_generated_request_id(self, api_client, path, status):
        response = api_client.get(path)

        assert response.status_code == status
        assert GENERATED.match(response["Request-Id"])

    def test_an_authenticated_response_carries_one_too(self, sandbox_client):
        response = sandbox_client.get("/v1/partner")

        assert response.status_code == 200
        assert GENERATED.match(response["Request-Id"])

    def test_two_requests_get_different_ids(self, api_client):
        first = api_client.get("/v1/")["Request-Id"]
        second = api_client.get("/v1/")["Request-Id"]

        assert first != second

    @pytest.mark.parametrize(
        "supplied",
        [
            "abcd1234",
            "lb-7f3a9c2e-1b2c-4d5e-8f90-0123456789ab",
            "5f0c7f2e-9a4b-4c1d-8e2f-3a6b7c8d9e0f",
            "trace.0123:span.4567_x",
            "a" * 128,
        ],
    )
    def test_a_well_formed_x_request_id_is_echoed_back(self, api_client, supplied):
        response = api_client.get("/v1/", HTTP_X_REQUEST_ID=supplied)

        assert response["Request-Id"] == supplied

    def test_a_supplied_id_is_the_request_id_of_an_error_body_too(self, api_client):
        response = api_client.get("/v1/partner", HTTP_X_REQUEST_ID="upstream-1234567")

        assert response.status_code == 401
        assert response.json()["request_id"] == "upstream-1234567"

    @pytest.mark.parametrize(
        "supplied",
        [
            "",
            "short",
            "abcdefg",
            "has spaces in it",
            "a" * 129,
            "x" * 500,
            "abcdefgh1234\n",
            "abcdefgh\r\nSet-Cookie: a=b",
            "-leading-dash-123",
            "caf\u00e9-request-1234",
            "req/with/slashes/1",
        ],
    )
    def test_a_malformed_x_request_id_is_replaced_by_a_fresh_one(self, api_client, supplied):
        response = api_client.get("/v1/", HTTP_X_REQUEST_ID=supplied)

        assert response.status_code == 200
        assert response["Request-Id"] != supplied
        assert GENERATED.match(response["Request-Id"])

    def test_one_with_a_nul_is_refused_with_a_fresh_one(self, api_client):
        response = api_client.get("/v1/", HTTP_X_REQUEST_ID="abcdefgh\x00ijkl")

        assert_problem(response, 400, "nul_character")
        assert GENERATED.match(response["Request-Id"])


@pytest.mark.urls("tests.core.error_urls")
class TestRequestIdInLogs:
    def test_the_json_log_line_of_a_500_carries_the_request_id(self, sandbox_client, caplog):
        caplog.set_level(logging.ERROR)

        response = sandbox_client.get("/v1/test/crash")

        assert response.status_code == 500
        [record] = [r for r in caplog.records if r.name == "apps.core.exceptions"]
        line = json_line(record)
        assert line["request_id"] == response["Request-Id"]
        assert line["event"] == "unhandled_exception"
        assert line["level"] == "error"
        assert "RuntimeError" in line["exception"]

    def test_the_log_line_carries_a_supplied_request_id(self, sandbox_client, caplog):
        caplog.set_level(logging.ERROR)

        response = sandbox_client.get("/v1/test/crash", HTTP_X_REQUEST_ID="upstream-1234567")

        assert response["Request-Id"] == "upstream-1234567"
        [record] = [r for r in caplog.records if r.name == "apps.core.exceptions"]
        assert json_line(record)["request_id"] == "upstream-1234567"


class TestRequestIdInCeleryTasks:
    @pytest.mark.urls("tests.core.error_urls")
    def test_a_task_published_within_a_request_carries_the_request_id(self, sandbox_client, tmp_path):
        broker_options = filesystem_broker_options(tmp_path)
        queue = tmp_path / "queue"

        with override_settings(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=broker_options):
            response = sandbox_client.post("/v1/test/publish", {}, format="json")

        assert response.status_code == 202
        [message_file] = list(queue.iterdir())
        message = json.loads(message_file.read_text())
        assert message["headers"]["id"] == response.json()["task_id"]
        assert message["headers"][REQUEST_ID_HEADER] == response["Request-Id"]

    def test_publishing_attaches_the_bound_request_id(self):
        structlog.contextvars.bind_contextvars(request_id="req_publishing12345678901234")
        headers: dict = {"task": "x"}

        _attach_request_id(headers=headers, body=(), exchange="", routing_key="default")

        assert headers == {"task": "x", REQUEST_ID_HEADER: "req_publishing12345678901234"}

    def test_publishing_outside_a_request_attaches_nothing(self):
        headers: dict = {"task": "x"}

        _attach_request_id(headers=headers)

        assert headers == {"task": "x"}

    def test_a_finished_request_leaves_no_request_id_for_later_publishing(self, api_client):
        api_client.get("/v1/")
        headers: dict = {}

        _attach_request_id(headers=headers)

        assert headers == {}

    def test_the_worker_binds_the_request_id_from_the_message_headers_attribute(self):
        task = SimpleNamespace(request=SimpleNamespace(**{REQUEST_ID_HEADER: "req_fromattribute0123456789"}))

        _bind_request_id(task=task, task_id="task-1")

        assert structlog.contextvars.get_contextvars() == {
            "request_id": "req_fromattribute0123456789",
            "task_id": "task-1",
            "partner": None,
            "environment": None,
        }

    def test_the_worker_binds_the_request_id_from_request_headers(self):
        task = SimpleNamespace(request=SimpleNamespace(headers={REQUEST_ID_HEADER: "req_fromheaders012345678901"}))

        _bind_request_id(task=task, task_id="task-2")

        assert structlog.contextvars.get_contextvars()["request_id"] == "req_fromheaders012345678901"

    def test_a_task_without_a_request_id_does_not_inherit_a_stale_one(self):
        structlog.contextvars.bind_contextvars(request_id="req_stale01234567890123456", user="someone")
        task = SimpleNamespace(request=SimpleNamespace(headers=None))

        _bind_request_id(task=task, task_id="task-3")

        assert structlog.contextvars.get_contextvars() == {
            "request_id": None,
            "task_id": "task-3",
            "partner": None,
            "environment": None,
        }

    def test_the_worker_unbinds_after_the_task(self):
        structlog.contextvars.bind_contextvars(request_id="req_done0123456789012345678", task_id="task-4")

        _unbind_request_id(task_id="task-4")

        assert structlog.contextvars.get_contextvars() == {}

    def test_an_eagerly_applied_task_logs_with_the_request_id_it_was_sent_with(self):
        from config.celery import app

        @app.task(name="tests.core.request_id_probe", bind=True)
        def probe(self):
            return dict(structlog.contextvars.get_contextvars())

        result = probe.apply(headers={REQUEST_ID_HEADER: "req_eager012345678901234567"})

        assert result.get()["request_id"] == "req_eager012345678901234567"
        assert structlog.contextvars.get_contextvars() == {}
