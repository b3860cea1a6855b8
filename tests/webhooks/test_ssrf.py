"""The SSRF guard at registration and again at every send: nothing internal is ever connected to."""

import httpx
import pytest

from apps.core import http
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import delivery
from tests.events.factories import make_events

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    ("10.1.2.3", "private"),
    ("192.168.0.10", "private"),
    ("172.16.5.4", "private"),
    ("169.254.169.254", "cloud metadata (link-local)"),
    ("fe80::1", "IPv6 link-local"),
    ("fd00:ec2::254", "IPv6 unique local (AWS metadata)"),
    ("100.64.0.1", "CGNAT"),
    ("::ffff:10.0.0.1", "IPv4-mapped private"),
    ("0.0.0.0", "unspecified"),
]


@pytest.fixture
def resolve(monkeypatch):
    """``resolve(*addresses)``: every hostname now resolves to these."""

    def install(*addresses):
        monkeypatch.setattr(http, "_resolve", lambda host, port: list(addresses))

    return install


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if any connection is attempted."""
    opened = []

    def refuse(self, request, **kwargs):
        opened.append(str(request.url))
        raise AssertionError(f"a connection was opened to {request.url}")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    return opened


class TestRegistration:
    @pytest.mark.parametrize(("address", "kind"), FORBIDDEN)
    def test_a_name_resolving_to_a_forbidden_address_is_refused(self, sandbox_client, resolve, address, kind):
        resolve(address)

        response = sandbox_client.post(
            "/v1/webhook_endpoints", {"url": "https://hooks.example.com/x", "enabled_events": ["*"]}, format="json"
        )

        assert response.status_code == 400, kind
        assert response.json()["errors"][0]["code"] == "address_forbidden"
        assert not WebhookEndpoint.objects.exists()

    @pytest.mark.parametrize(
        "url", ["https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://10.0.0.1/"]
    )
    def test_literal_internal_addresses_are_refused(self, sandbox_client, settings, url):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False

        response = sandbox_client.post("/v1/webhook_endpoints", {"url": url, "enabled_events": ["*"]}, format="json")

        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "address_forbidden"

    def test_loopback_is_refused_with_the_setting_off(self, sandbox_client, settings, resolve):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False
        resolve("127.0.0.1")

        response = sandbox_client.post(
            "/v1/webhook_endpoints", {"url": "https://localhost/hooks", "enabled_events": ["*"]}, format="json"
        )

        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "address_forbidden"

    def test_a_public_https_url_is_accepted(self, sandbox_client, resolve):
        resolve("93.184.216.34")

        response = sandbox_client.post(
            "/v1/webhook_endpoints", {"url": "https://hooks.example.com/x", "enabled_events": ["*"]}, format="json"
        )

        assert response.status_code == 201


class TestAtSend:
    @pytest.mark.parametrize(("address", "kind"), FORBIDDEN)
    def test_dns_rebinding_to_a_forbidden_address_after_registration_is_refused_without_connecting(
        self, make_endpoint, partner, sandbox, resolve, no_connections, address, kind
    ):
        resolve("93.184.216.34")
        make_endpoint("https://hooks.example.com/x")
        make_events(partner=partner, environment=sandbox, count=1)
        resolve(address)  # the name now points inside

        delivery.deliver_batch(delivery_ids=[])

        assert no_connections == []
        row = WebhookDelivery.objects.get()
        assert (row.status, row.last_error, row.attempts) == ("pending", "url_forbidden", 1)
        assert WebhookAttempt.objects.get().error == "url_forbidden"

    def test_loopback_is_refused_at_send_once_the_setting_is_off(
        self, make_endpoint, receiver, partner, sandbox, settings
    ):
        make_endpoint(receiver.url + "/hooks")
        make_events(partner=partner, environment=sandbox, count=1)
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False

        delivery.deliver_batch(delivery_ids=[])

        assert WebhookDelivery.objects.get().last_error == "url_forbidden"
        assert receiver.wait_for(1, timeout=0.3) == []
