"""No input makes the API answer 500: over-size, non-UTF-8, NUL-bearing and deeply nested requests are refused
with problem+json; unknown paths and wrong methods answer problem+json before any credential is checked; plain
http is refused in production; API responses are never cached."""

import json

import pytest
from django.test import override_settings

from apps.webhooks.models import WebhookEndpoint
from tests.helpers import TRANSFERS_URL, assert_problem, no_queries_but_the_rate_limit_counter
from tests.webhooks.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db

NUL_KEY_BODY = '{"type": "p2p", "amount": 100, "currency": "USD", "metadata": {"or\\u0000der": "1"}}'


def post_raw(client, path, body: bytes | str, content_type="application/json", **headers):
    return client.generic("POST", path, body, content_type=content_type, HTTP_IDEMPOTENCY_KEY="k-1", **headers)


class TestBodyRefusals:
    def test_body_over_the_cap_is_413_not_500(self, sandbox_client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
        body = json.dumps({"type": "p2p", "description": "x" * 2000})

        response = post_raw(sandbox_client, TRANSFERS_URL, body)

        assert_problem(response, 413, "request_too_large")

    def test_body_over_the_cap_is_413_without_a_credential_too(self, api_client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

        response = post_raw(api_client, TRANSFERS_URL, "x" * 2000)

        assert_problem(response, 413, "request_too_large")

    @pytest.mark.parametrize(
        ("path", "method"),
        [(TRANSFERS_URL, "POST"), ("/v1/transfers/tr_missing/reversals", "POST"), ("/v1/webhook_endpoints", "POST")],
    )
    def test_nul_in_a_metadata_key_is_400(self, sandbox_client, path, method):
        response = sandbox_client.generic(method, path, NUL_KEY_BODY, content_type="application/json")

        body = assert_problem(response, 400, "nul_character")
        assert body["errors"][0]["field"] == "metadata"

    def test_nul_in_a_value_is_400(self, sandbox_client):
        response = post_raw(sandbox_client, TRANSFERS_URL, '{"type": "p2p", "description": "a\\u0000b"}')

        body = assert_problem(response, 400, "nul_character")
        assert body["errors"][0]["field"] == "description"

    def test_nul_in_a_webhook_endpoint_patch_is_400_and_changes_nothing(self, sandbox_client, partner, sandbox):
        endpoint = WebhookEndpointFactory(partner=partner, environment=sandbox)

        response = sandbox_client.patch(
            f"/v1/webhook_endpoints/{endpoint.public_id}",
            '{"metadata": {"a\\u0000": "b"}, "description": "new"}',
            content_type="application/json",
        )

        assert_problem(response, 400, "nul_character")
        assert WebhookEndpoint.objects.get(pk=endpoint.pk).description == endpoint.description

    def test_deep_nesting_is_400_not_recursion_error(self, sandbox_client):
        body = '{"metadata": ' + "[" * 100_000 + "]" * 100_000 + "}"

        response = post_raw(sandbox_client, TRANSFERS_URL, body)

        assert_problem(response, 400, "nesting_too_deep")

    def test_nesting_past_the_setting_is_400(self, sandbox_client, settings):
        settings.API_MAX_JSON_DEPTH = 3

        response = post_raw(sandbox_client, TRANSFERS_URL, '{"metadata": {"a": {"b": {"c": 1}}}}')

        assert_problem(response, 400, "nesting_too_deep")

    @pytest.mark.parametrize("charset", ["", "; charset=utf-16"])
    def test_utf16_body_is_400(self, sandbox_client, charset):
        body = json.dumps({"type": "p2p", "amount": 100}).encode("utf-16")

        response = post_raw(sandbox_client, TRANSFERS_URL, body, content_type="application/json" + charset)

        assert_problem(response, 400, "body_not_utf8")

    def test_latin1_body_is_400(self, sandbox_client):
        response = post_raw(sandbox_client, TRANSFERS_URL, '{"description": "caf\xe9"}'.encode("latin-1"))

        assert_problem(response, 400, "body_not_utf8")


class TestHeaderAndQueryRefusals:
    def test_nul_in_a_header_is_400(self, sandbox_client):
        response = sandbox_client.get(TRANSFERS_URL, HTTP_X_TRACE="a\x00b")

        body = assert_problem(response, 400, "nul_character")
        assert body["errors"][0]["field"] == "X-Trace"

    def test_nul_in_the_query_string_is_400(self, sandbox_client):
        response = sandbox_client.get(TRANSFERS_URL + "?starting_after=tr_%00")

        assert_problem(response, 400, "nul_character")


class TestPathsAndMethods:
    @pytest.mark.parametrize("debug", [False, True])
    def test_unknown_v1_path_is_problem_json_whatever_debug_says(self, api_client, settings, debug):
        settings.DEBUG = debug

        response = api_client.get("/v1/no/such/thing")

        body = assert_problem(response, 404, "resource_missing")
        assert "transfers" not in json.dumps(body)

    def test_wrong_method_is_405_before_the_credential_is_checked(self, api_client):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer cw_sk_sandbox_not-a-real-key")

        with no_queries_but_the_rate_limit_counter():
            response = api_client.put(TRANSFERS_URL, {})

        assert_problem(response, 405, "method_not_allowed")
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}

    def test_wrong_method_without_a_credential_is_405_not_401(self, api_client):
        assert_problem(api_client.delete("/v1/fx/quotes"), 405, "method_not_allowed")


class TestTransportAndCaching:
    def test_plain_http_is_refused_with_403_when_https_is_required(self, sandbox_client):
        with override_settings(API_REQUIRE_HTTPS=True, SECURE_SSL_REDIRECT=True):
            response = sandbox_client.get(TRANSFERS_URL)

        body = assert_problem(response, 403, "https_required")
        assert "roll" in body["detail"]

    def test_https_is_served_when_https_is_required(self, sandbox_client):
        with override_settings(API_REQUIRE_HTTPS=True, SECURE_SSL_REDIRECT=True):
            response = sandbox_client.get(TRANSFERS_URL, secure=True)

        assert response.status_code == 200

    def test_webhook_endpoint_create_showing_its_secret_is_no_store(self, sandbox_client):
        response = sandbox_client.post(
            "/v1/webhook_endpoints",
            {"url": "http://127.0.0.1:9/webhooks", "enabled_events": ["*"]},
            format="json",
            HTTP_IDEMPOTENCY_KEY="wh-1",
        )

        assert response.status_code == 201, response.content
        assert "secret" in response.json()
        assert "no-store" in response["Cache-Control"]

    def test_webhook_secret_rotation_is_no_store(self, sandbox_client, partner, sandbox):
        endpoint = WebhookEndpointFactory(partner=partner, environment=sandbox)

        response = sandbox_client.post(
            f"/v1/webhook_endpoints/{endpoint.public_id}/rotate_secret", {}, format="json", HTTP_IDEMPOTENCY_KEY="r-1"
        )

        assert response.status_code == 200, response.content
        assert "secret" in response.json()
        assert "no-store" in response["Cache-Control"]

    def test_errors_are_no_store_too(self, api_client):
        assert "no-store" in api_client.get("/v1/nothing")["Cache-Control"]


class TestExceptionHandler:
    def test_request_data_too_big_raised_in_a_view_is_413(self, rf):
        from django.core.exceptions import RequestDataTooBig

        from apps.core.exceptions import problem_exception_handler

        response = problem_exception_handler(RequestDataTooBig("too big"), {"request": rf.post("/v1/transfers")})

        assert (response.status_code, response.data["code"]) == (413, "request_too_large")
