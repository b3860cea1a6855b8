"""Every error the API can answer has the one RFC 9457 shape (docs/errors.md)."""

import logging
import math
from typing import Any

import pytest
from django.conf import settings

from apps.partners.services import api_key_create
from tests.core.error_urls import LEAKED_TEXT, THROTTLE_WAIT_SECONDS
from tests.helpers import assert_problem

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code", "errors", "request_id"}


def assert_documented_problem(response: Any, *, status: int, code: str) -> dict[str, Any]:
    """``assert_problem`` and every member of the documented shape; returns the body."""
    body = assert_problem(response, status, code)
    assert set(body) >= PROBLEM_MEMBERS
    assert body["type"] == f"{settings.BASE_URL}/docs/errors/#{code}"
    assert body["title"]
    assert body["detail"]
    assert body["request_id"] == response["Request-Id"]
    assert body["request_id"].startswith("req_")
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}
    return body


def fields(body: dict[str, Any]) -> dict[str, str]:
    return {error["field"]: error["code"] for error in body["errors"]}


class TestValidationErrors:
    def test_a_valid_body_passes_the_test_view(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", {"name": "Ada", "lines": [{"amount": 5}]}, format="json")

        assert response.status_code == 201
        assert response.json() == {"name": "Ada", "lines": [{"amount": 5}]}

    def test_an_invalid_value_is_parameter_invalid_naming_the_field(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", {"name": "Ada", "amount": 0}, format="json")

        body = assert_documented_problem(response, status=400, code="parameter_invalid")
        assert body["errors"] == [
            {"field": "amount", "code": "min_value", "message": "Ensure this value is greater than or equal to 1."}
        ]
        assert "amount" in body["detail"]

    def test_errors_in_nested_objects_and_lists_are_named_by_dotted_paths(self, sandbox_client):
        payload = {
            "name": "a name that is too long",
            "address": {"city": ""},
            "lines": [{"amount": 5}, {"amount": 0}],
            "tags": [1, "x"],
        }

        response = sandbox_client.post("/v1/test/echo", payload, format="json")

        body = assert_documented_problem(response, status=400, code="parameter_invalid")
        assert fields(body) == {
            "name": "max_length",
            "address.city": "blank",
            "lines.1.amount": "min_value",
            "tags.1": "invalid",
        }

    def test_a_missing_required_field_is_parameter_missing(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", {"amount": 3}, format="json")

        body = assert_documented_problem(response, status=400, code="parameter_missing")
        assert body["errors"] == [{"field": "name", "code": "parameter_missing", "message": "This field is required."}]

    def test_a_missing_field_beside_an_invalid_one_is_parameter_invalid(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", {"amount": 0}, format="json")

        body = assert_documented_problem(response, status=400, code="parameter_invalid")
        assert fields(body) == {"name": "parameter_missing", "amount": "min_value"}

    def test_an_unknown_body_field_is_parameter_unknown_naming_it(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", {"name": "Ada", "nmae": "Ada"}, format="json")

        body = assert_documented_problem(response, status=400, code="parameter_unknown")
        assert body["errors"] == [{"field": "nmae", "code": "parameter_unknown", "message": "Unknown parameter."}]
        assert "nmae" in body["detail"]

    def test_an_unknown_field_inside_a_nested_object_is_named_by_its_path(self, sandbox_client):
        response = sandbox_client.post(
            "/v1/test/echo", {"name": "Ada", "address": {"city": "Oslo", "zip": "0150"}}, format="json"
        )

        body = assert_documented_problem(response, status=400, code="parameter_unknown")
        assert fields(body) == {"address.zip": "parameter_unknown"}

    def test_malformed_json_is_parse_error(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", data='{"name": ', content_type="application/json")

        body = assert_documented_problem(response, status=400, code="parse_error")
        assert body["errors"] == []


class TestAuthenticationAndScopeErrors:
    def test_no_credential_is_401_authentication_required_with_www_authenticate(self, api_client):
        response = api_client.get("/v1/test/echo")

        assert_documented_problem(response, status=401, code="authentication_required")
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'

    def test_a_key_without_the_required_scope_is_403_insufficient_scope(self, sandbox, client_for):
        issued = api_key_create(environment=sandbox, scopes=["events:read"])

        response = client_for(issued.secret).get("/v1/test/webhooks")

        body = assert_documented_problem(response, status=403, code="insufficient_scope")
        assert body["required_scopes"] == ["webhooks:write"]
        assert "webhooks:write" in body["detail"]

    def test_a_key_with_the_required_scope_passes(self, sandbox, client_for):
        issued = api_key_create(environment=sandbox, scopes=["webhooks:write"])

        response = client_for(issued.secret).get("/v1/test/webhooks")

        assert response.status_code == 200

    def test_django_permission_denied_raised_in_a_view_is_403(self, sandbox_client):
        response = sandbox_client.get("/v1/test/permission-denied")

        body = assert_documented_problem(response, status=403, code="permission_denied")
        assert "internal reason" not in response.content.decode()
        assert body["errors"] == []


class TestNotFound:
    def test_an_unknown_v1_path_is_a_problem_json_404(self, api_client):
        response = api_client.get("/v1/no-such-thing")

        body = assert_documented_problem(response, status=404, code="resource_missing")
        assert "/v1/no-such-thing" in body["detail"]

    def test_an_unknown_v1_path_is_a_404_with_a_credential_too(self, sandbox_client):
        response = sandbox_client.post("/v1/test/no-such-thing", {}, format="json")

        assert_documented_problem(response, status=404, code="resource_missing")

    def test_an_unknown_path_outside_the_api_is_not_problem_json(self, api_client):
        response = api_client.get("/no-such-page")

        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        assert response["Request-Id"].startswith("req_")

    def test_http404_raised_in_a_view_is_resource_missing_without_its_message(self, sandbox_client):
        response = sandbox_client.get("/v1/test/not-found")

        assert_documented_problem(response, status=404, code="resource_missing")
        assert "Wallet" not in response.content.decode()


class TestProtocolErrors:
    def test_a_method_the_endpoint_lacks_is_405_method_not_allowed(self, sandbox_client):
        response = sandbox_client.post("/v1/partner", {}, format="json")

        body = assert_documented_problem(response, status=405, code="method_not_allowed")
        assert "POST" in body["detail"]
        assert "POST" not in response["Allow"]
        assert "GET" in response["Allow"]

    def test_a_body_that_is_not_json_is_415_unsupported_media_type(self, sandbox_client):
        response = sandbox_client.post("/v1/test/echo", data="name=Ada", content_type="text/plain")

        body = assert_documented_problem(response, status=415, code="unsupported_media_type")
        assert "text/plain" in body["detail"]

    def test_an_accept_header_without_json_is_406_not_acceptable(self, sandbox_client):
        response = sandbox_client.get("/v1/test/echo", HTTP_ACCEPT="text/html")

        assert_documented_problem(response, status=406, code="not_acceptable")


class TestThrottling:
    def test_a_throttled_request_is_429_rate_limited_with_retry_after(self, sandbox_client):
        response = sandbox_client.get("/v1/test/throttled")

        body = assert_documented_problem(response, status=429, code="rate_limited")
        assert response["Retry-After"] == str(math.ceil(THROTTLE_WAIT_SECONDS)) == "7"
        assert "7 seconds" in body["detail"]
        assert body["errors"] == []


class TestDomainErrors:
    def test_an_application_error_keeps_its_status_code_errors_and_extra_members(self, sandbox_client):
        response = sandbox_client.get("/v1/test/domain-error")

        body = assert_documented_problem(response, status=409, code="wallet_frozen")
        assert body["title"] == "Wallet frozen"
        assert body["detail"] == "Wallet wal_test is frozen."
        assert body["errors"] == [
            {"field": "source", "code": "wallet_frozen", "message": "The source wallet is frozen."}
        ]
        assert body["wallet"] == "wal_test"
        assert body["frozen_until"] == "2026-12-01T00:00:00Z"
        # An extra member never replaces a problem member.
        assert body["status"] == 409


class TestUnexpectedErrors:
    def test_an_unexpected_exception_is_a_generic_500_that_is_logged(self, sandbox_client, caplog):
        caplog.set_level(logging.ERROR, logger="apps.core.exceptions")

        response = sandbox_client.get("/v1/test/crash")

        body = assert_documented_problem(response, status=500, code="internal_error")
        request_id = response["Request-Id"]
        assert request_id in body["detail"]
        assert body["errors"] == []
        content = response.content.decode()
        assert LEAKED_TEXT not in content
        assert "RuntimeError" not in content
        assert "Traceback" not in content
        [record] = [r for r in caplog.records if r.name == "apps.core.exceptions"]
        assert record.levelno == logging.ERROR
        assert record.msg["event"] == "unhandled_exception"
        assert record.msg["request_id"] == request_id
        assert record.msg["exc_type"] == "RuntimeError"
        assert record.exc_info is not None
        assert record.exc_info[0] is RuntimeError
