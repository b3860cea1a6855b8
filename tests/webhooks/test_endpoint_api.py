from datetime import timedelta

import pytest

from apps.partners.models import AuditEvent
from apps.partners.services import api_key_create
from apps.wallets import crypto
from apps.webhooks.models import WebhookEndpoint
from tests.helpers import assert_problem
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hooks"


def create(client, **body):
    return client.post("/v1/webhook_endpoints", {"url": URL, "enabled_events": ["*"], **body}, format="json")


class TestEndpointCreate:
    def test_returns_the_endpoint_with_a_standard_webhooks_secret_stored_encrypted(self, sandbox_client):
        response = create(sandbox_client, description="Ledger sync", enabled_events=["transfer.succeeded"])

        assert response.status_code == 201
        body = response.json()
        assert body["id"].startswith("we_")
        assert body["object"] == "webhook_endpoint"
        assert body["environment"] == "sandbox"
        assert body["enabled_events"] == ["transfer.succeeded"]
        assert body["status"] == "enabled" and body["disabled"] is False
        assert body["secret"].startswith("whsec_")
        endpoint = WebhookEndpoint.objects.get(public_id=body["id"])
        assert body["secret"] not in endpoint.secret_encrypted
        assert crypto.decrypt(endpoint.secret_encrypted) == body["secret"]

    def test_the_secret_is_never_shown_again(self, sandbox_client):
        endpoint_id = create(sandbox_client).json()["id"]

        assert "secret" not in sandbox_client.get(f"/v1/webhook_endpoints/{endpoint_id}").json()
        assert "secret" not in sandbox_client.get("/v1/webhook_endpoints").json()["data"][0]

    def test_an_idempotent_retry_replays_the_endpoint_with_its_secret(self, sandbox_client):
        first = sandbox_client.post(
            "/v1/webhook_endpoints", {"url": URL, "enabled_events": ["*"]}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
        )
        again = sandbox_client.post(
            "/v1/webhook_endpoints", {"url": URL, "enabled_events": ["*"]}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
        )

        assert again.status_code == 201
        assert again["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        assert WebhookEndpoint.objects.count() == 1

    def test_the_stored_idempotent_response_does_not_hold_the_secret(self, sandbox_client):
        from apps.core.models import IdempotencyKey

        secret = sandbox_client.post(
            "/v1/webhook_endpoints", {"url": URL, "enabled_events": ["*"]}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
        ).json()["secret"]

        assert secret not in str(IdempotencyKey.objects.get(key="k2").response_body)

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("ftp://example.com/x", "url_not_https"),
            ("https://user:pw@example.com/x", "url_has_credentials"),
            ("not a url", "url_not_https"),
        ],
    )
    def test_a_bad_url_is_a_400_naming_the_field(self, sandbox_client, url, code):
        response = create(sandbox_client, url=url)

        body = assert_problem(response, 400, "parameter_invalid")
        assert body["errors"][0]["field"] == "url"
        assert body["errors"][0]["code"] in {code, "url_invalid"}
        assert WebhookEndpoint.objects.count() == 0

    def test_plain_http_to_loopback_is_refused_when_the_deployment_does_not_allow_it(self, sandbox_client, settings):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False

        response = create(sandbox_client)

        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "url_not_https"

    @pytest.mark.parametrize(
        ("body", "field", "code"),
        [
            ({"enabled_events": ["transfer.done"]}, "enabled_events", "event_type_unknown"),
            ({"enabled_events": []}, "enabled_events", "min_length"),
            ({"enabled_events": ["*", "transfer.failed"]}, "enabled_events", "parameter_invalid"),
            ({"api_version": "1999-01-01"}, "api_version", "invalid_choice"),
            ({"secret": "whsec_mine"}, "secret", "parameter_unknown"),
            ({"metadata": {"k" * 41: "v"}}, "metadata", "parameter_invalid"),
        ],
    )
    def test_bad_inputs_are_refused_with_their_field_and_code(self, sandbox_client, body, field, code):
        response = create(sandbox_client, **body)

        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert (error["field"], error["code"]) == (field, code)
        assert WebhookEndpoint.objects.count() == 0

    def test_the_url_and_events_are_required(self, sandbox_client):
        response = sandbox_client.post("/v1/webhook_endpoints", {}, format="json")

        assert_problem(response, 400, "parameter_missing")

    def test_an_environment_holds_at_most_the_configured_number_of_endpoints(self, sandbox_client, settings):
        settings.WEBHOOK_MAX_ENDPOINTS = 2
        create(sandbox_client)
        create(sandbox_client)

        response = create(sandbox_client)

        assert_problem(response, 422, "webhook_endpoint_limit_reached")

    def test_creation_is_audited_without_the_secret(self, sandbox_client, partner):
        body = create(sandbox_client).json()

        audit = AuditEvent.objects.get(action="webhook_endpoint.created")
        assert audit.partner == partner
        assert audit.target_id == body["id"]
        assert audit.environment == "sandbox"
        assert body["secret"] not in str(audit.metadata)

    def test_a_key_without_webhooks_write_gets_403(self, sandbox, client_for):
        restricted = api_key_create(environment=sandbox, scopes=["events:read"])

        response = create(client_for(restricted.secret))

        assert_problem(response, 403, "insufficient_scope")


class TestEndpointReadUpdateDelete:
    def test_another_partners_or_environments_endpoint_is_a_404(self, sandbox_client, make_endpoint, partner):
        other = PartnerFactory()
        theirs = make_endpoint(URL, environment=other.environments.get(kind="sandbox"))
        live = make_endpoint(URL, environment=LiveEnvironmentFactory(partner=partner))

        for endpoint in (theirs, live):
            for method in ("get", "patch", "delete"):
                response = getattr(sandbox_client, method)(
                    f"/v1/webhook_endpoints/{endpoint.public_id}", {}, format="json"
                )
                assert_problem(response, 404, "resource_missing")
        assert sandbox_client.get("/v1/webhook_endpoints").json()["data"] == []

    def test_list_pages_newest_first_with_a_fixed_number_of_queries(
        self, sandbox_client, make_endpoint, django_assert_max_num_queries
    ):
        endpoints = [make_endpoint(URL) for _ in range(5)]
        sandbox_client.get("/v1/webhook_endpoints")  # warm the key cache

        with django_assert_max_num_queries(4):
            body = sandbox_client.get("/v1/webhook_endpoints?limit=3").json()

        assert [e["id"] for e in body["data"]] == [e.public_id for e in reversed(endpoints)][:3]
        assert body["has_more"] is True

    def test_patch_changes_fields_and_audits_which(self, sandbox_client, make_endpoint):
        endpoint = make_endpoint(URL)

        response = sandbox_client.patch(
            f"/v1/webhook_endpoints/{endpoint.public_id}",
            {"enabled_events": ["transaction.posted"], "description": "new"},
            format="json",
        )

        assert response.status_code == 200
        assert response.json()["enabled_events"] == ["transaction.posted"]
        assert response.json()["description"] == "new"
        audit = AuditEvent.objects.get(action="webhook_endpoint.updated")
        assert sorted(audit.metadata["changed"]) == ["description", "enabled_events"]

    def test_patch_disables_and_enables(self, sandbox_client, make_endpoint):
        endpoint = make_endpoint(URL)
        path = f"/v1/webhook_endpoints/{endpoint.public_id}"

        disabled = sandbox_client.patch(path, {"disabled": True}, format="json").json()
        enabled = sandbox_client.patch(path, {"disabled": False}, format="json").json()

        assert (disabled["status"], disabled["disabled_reason"]) == ("disabled", "manual")
        assert (enabled["status"], enabled["disabled_reason"]) == ("enabled", None)

    def test_patch_refuses_a_private_url_and_changes_nothing(self, sandbox_client, make_endpoint, monkeypatch):
        from apps.core import http

        endpoint = make_endpoint(URL)
        monkeypatch.setattr(http, "_resolve", lambda host, port: ["10.0.0.7"])

        response = sandbox_client.patch(
            f"/v1/webhook_endpoints/{endpoint.public_id}", {"url": "https://internal.example.com/x"}, format="json"
        )

        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "field": "url",
            "code": "address_forbidden",
            "message": "internal.example.com resolves to an address that may not be reached.",
        }
        endpoint.refresh_from_db()
        assert endpoint.url == URL

    def test_delete_removes_it_and_audits(self, sandbox_client, make_endpoint):
        endpoint = make_endpoint(URL)

        response = sandbox_client.delete(f"/v1/webhook_endpoints/{endpoint.public_id}")

        assert response.json() == {"id": endpoint.public_id, "object": "webhook_endpoint", "deleted": True}
        assert not WebhookEndpoint.objects.exists()
        assert AuditEvent.objects.filter(action="webhook_endpoint.deleted", target_id=endpoint.public_id).exists()


class TestRotateSecret:
    def test_rotation_returns_a_new_secret_and_keeps_the_old_one_for_the_window(self, sandbox_client, make_endpoint):
        from apps.core import clock
        from apps.webhooks.services import signing_secrets

        endpoint = make_endpoint(URL)
        old = endpoint.secret

        response = sandbox_client.post(
            f"/v1/webhook_endpoints/{endpoint.public_id}/rotate_secret",
            {"previous_secret_expires_in": 3600},
            format="json",
        )

        assert response.status_code == 200
        new = response.json()["secret"]
        assert new.startswith("whsec_") and new != old
        endpoint.refresh_from_db()
        now = clock.now()
        assert signing_secrets(endpoint, now=now) == [new, old]
        assert signing_secrets(endpoint, now=now + timedelta(seconds=3601)) == [new]
        assert AuditEvent.objects.filter(action="webhook_endpoint.secret_rotated").exists()

    def test_a_window_over_seven_days_is_refused(self, sandbox_client, make_endpoint):
        endpoint = make_endpoint(URL)

        response = sandbox_client.post(
            f"/v1/webhook_endpoints/{endpoint.public_id}/rotate_secret",
            {"previous_secret_expires_in": 8 * 86400},
            format="json",
        )

        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "previous_secret_expires_in"


class TestBadInputsElsewhere:
    def test_patch_refuses_unknown_fields_and_bad_types(self, sandbox_client, make_endpoint):
        endpoint = make_endpoint(URL)
        path = f"/v1/webhook_endpoints/{endpoint.public_id}"

        unknown = sandbox_client.patch(path, {"secret": "whsec_x"}, format="json")
        bad_type = sandbox_client.patch(path, {"disabled": "sometimes"}, format="json")
        bad_events = sandbox_client.patch(path, {"enabled_events": ["nope.never"]}, format="json")

        assert (unknown.status_code, unknown.json()["code"]) == (400, "parameter_unknown")
        assert (bad_type.status_code, bad_type.json()["errors"][0]["field"]) == (400, "disabled")
        assert bad_events.json()["errors"][0]["code"] == "event_type_unknown"

    def test_resend_needs_an_event(self, sandbox_client, make_endpoint):
        endpoint = make_endpoint(URL)

        response = sandbox_client.post(f"/v1/webhook_endpoints/{endpoint.public_id}/resend", {}, format="json")

        assert (response.status_code, response.json()["code"]) == (400, "parameter_missing")

    @pytest.mark.parametrize(
        ("query", "status", "code"),
        [
            ("limit=0", 400, "parameter_invalid"),
            ("limit=101", 400, "parameter_invalid"),
            ("starting_after=whd_nope", 404, "resource_missing"),
        ],
    )
    def test_list_paging_parameters_are_checked(self, sandbox_client, make_endpoint, query, status, code):
        endpoint = make_endpoint(URL)

        for path in ("/v1/webhook_endpoints", f"/v1/webhook_endpoints/{endpoint.public_id}/deliveries"):
            response = sandbox_client.get(f"{path}?{query}")
            assert (response.status_code, response.json()["code"]) == (status, code)

    def test_the_delivery_log_costs_a_fixed_number_of_queries(
        self, sandbox_client, make_endpoint, partner, sandbox, django_assert_max_num_queries
    ):
        from tests.events.factories import make_events

        endpoint = make_endpoint(URL)
        make_events(partner=partner, environment=sandbox, count=15)
        path = f"/v1/webhook_endpoints/{endpoint.public_id}/deliveries"
        sandbox_client.get(path)  # warm the key cache

        with django_assert_max_num_queries(5):
            body = sandbox_client.get(path + "?limit=10").json()

        assert len(body["data"]) == 10 and body["has_more"] is True


class TestSecretEncryptionKeys:
    def test_secrets_are_reencrypted_under_a_new_first_key(self, make_endpoint, settings):
        from cryptography.fernet import Fernet

        from apps.webhooks.services import endpoint_rotate_secret, endpoint_secrets_reencrypt

        old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [old_key]
        endpoint = make_endpoint(URL)
        rotated = endpoint_rotate_secret(endpoint=endpoint)
        settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

        assert endpoint_secrets_reencrypt() == 1
        assert endpoint_secrets_reencrypt() == 0
        settings.FIELD_ENCRYPTION_KEYS = [new_key]
        rotated.refresh_from_db()
        assert crypto.decrypt(rotated.secret_encrypted) == rotated.secret
        assert crypto.decrypt(rotated.previous_secret_encrypted) == endpoint.secret
