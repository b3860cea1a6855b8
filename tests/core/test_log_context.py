"""Log lines of a request or task carry its partner, environment and request id (apps/core/logging.py)."""

import json
import logging
from types import SimpleNamespace

import pytest
import structlog
from django.test import override_settings

from apps.core.logging import current_request
from apps.core.principal import Principal
from config.celery import ENVIRONMENT_HEADER, PARTNER_HEADER, _attach_request_id, _bind_request_id
from config.settings.base import filesystem_broker_options
from tests.helpers import json_log_line as json_line

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_contextvars():
    structlog.contextvars.clear_contextvars()
    yield
    structlog.contextvars.clear_contextvars()


def stdlib_line(caplog: pytest.LogCaptureFixture) -> dict:
    """A line written through the standard library (as Django and Celery write theirs), as the handler renders it."""
    with caplog.at_level(logging.WARNING, logger="tests.log_context"):
        logging.getLogger("tests.log_context").warning("probe")
    [record] = [r for r in caplog.records if r.name == "tests.log_context"]
    return json_line(record)


class TestRequestLines:
    @pytest.mark.urls("tests.core.error_urls")
    def test_a_request_line_carries_partner_environment_and_request_id(self, sandbox_client, partner, caplog):
        caplog.set_level(logging.ERROR)

        response = sandbox_client.get("/v1/test/crash")

        assert response.status_code == 500
        [record] = [r for r in caplog.records if r.name == "apps.core.exceptions"]
        line = json_line(record)
        assert (line["partner"], line["environment"], line["request_id"]) == (
            partner.public_id,
            "sandbox",
            response["Request-Id"],
        )

    def test_a_standard_library_line_in_a_request_carries_them_too(self, sandbox, caplog):
        principal = Principal(
            partner=sandbox.partner, environment=sandbox, credential_type="api_key", credential_id="k"
        )
        token = current_request.set(SimpleNamespace(auth=principal, request_id="req_stdlib0123456789012345"))
        try:
            line = stdlib_line(caplog)
        finally:
            current_request.reset(token)

        assert (line["partner"], line["environment"], line["request_id"]) == (
            sandbox.partner.public_id,
            "sandbox",
            "req_stdlib0123456789012345",
        )

    def test_an_unauthenticated_request_has_null_partner_and_environment(self, caplog):
        token = current_request.set(SimpleNamespace(auth=None, request_id="req_anonymous01234567890123"))
        try:
            line = stdlib_line(caplog)
        finally:
            current_request.reset(token)

        assert (line["partner"], line["environment"], line["request_id"]) == (None, None, "req_anonymous01234567890123")

    def test_a_line_outside_any_request_or_task_stays_without_them(self, caplog):
        line = stdlib_line(caplog)

        assert not {"partner", "environment", "request_id"} & set(line)


class TestTaskLines:
    @pytest.mark.urls("tests.core.error_urls")
    def test_a_task_published_in_a_request_carries_its_partner_and_environment(self, sandbox_client, partner, tmp_path):
        with override_settings(
            CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=filesystem_broker_options(tmp_path)
        ):
            response = sandbox_client.post("/v1/test/publish", {}, format="json")

        assert response.status_code == 202
        [message_file] = list((tmp_path / "queue").iterdir())
        headers = json.loads(message_file.read_text())["headers"]
        assert (headers[PARTNER_HEADER], headers[ENVIRONMENT_HEADER]) == (partner.public_id, "sandbox")

    def test_a_task_line_carries_what_the_message_brought(self, caplog):
        headers = {
            "causeway_request_id": "req_task012345678901234567",
            PARTNER_HEADER: "ptn_x",
            ENVIRONMENT_HEADER: "live",
        }
        _bind_request_id(task=SimpleNamespace(request=SimpleNamespace(headers=headers)), task_id="task-9")

        line = stdlib_line(caplog)

        assert (line["partner"], line["environment"], line["request_id"], line["task_id"]) == (
            "ptn_x",
            "live",
            "req_task012345678901234567",
            "task-9",
        )

    def test_a_task_enqueued_by_a_task_passes_them_on(self):
        structlog.contextvars.bind_contextvars(
            request_id="req_parent01234567890123456", partner="ptn_y", environment="sandbox"
        )
        headers: dict = {}

        _attach_request_id(headers=headers)

        assert (headers[PARTNER_HEADER], headers[ENVIRONMENT_HEADER]) == ("ptn_y", "sandbox")


class TestAccessLines:
    def test_a_runserver_access_line_gets_no_request_fields(self, caplog):
        with caplog.at_level(logging.INFO, logger="django.server"):
            logging.getLogger("django.server").info('"GET /v1/ HTTP/1.1" 200 184', extra={"request": object()})
        [record] = [r for r in caplog.records if r.name == "django.server"]

        assert not {"partner", "environment", "request_id"} & set(json_line(record))
