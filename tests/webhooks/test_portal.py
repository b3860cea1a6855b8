"""Webhooks in the portal: list with success rates, add (secret once), edit, disable, rotate, delete, test event,
replay, delivery log with attempts, resend; roles and tenancy."""

import pytest

from apps.partners.models import AuditEvent
from apps.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import delivery
from tests.events.factories import make_events
from tests.partners.factories import PartnerFactory
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db

LIST, CREATE = "/portal/webhooks/", "/portal/webhooks/new/"


def detail(endpoint):
    return f"/portal/webhooks/{endpoint.public_id}/"


@pytest.fixture
def endpoint(owner, receiver):
    from apps.webhooks import services

    return services.endpoint_create(
        partner=owner.partner, environment=owner.sandbox, url=receiver.url + "/hooks", enabled_events=["*"]
    )


class TestEndpointPages:
    def test_adding_an_endpoint_shows_the_secret_once_and_audits(self, owner, receiver):
        response = owner.client.post(CREATE, {"url": receiver.url + "/hooks", "all_events": "on"})

        assert response.status_code == 201
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.partner == owner.partner and endpoint.enabled_events == ["*"]
        body = response.content.decode()
        assert "whsec_" in body
        assert "no-store" in response["Cache-Control"]
        audit = AuditEvent.objects.get(action="webhook_endpoint.created")
        assert audit.actor == owner.user
        assert "whsec_" not in owner.client.get(detail(endpoint)).content.decode()

    def test_a_private_url_is_refused_on_the_form(self, owner, monkeypatch):
        from apps.core import http

        monkeypatch.setattr(http, "_resolve", lambda host, port: ["192.168.1.1"])

        response = owner.client.post(CREATE, {"url": "https://router.example.com/", "all_events": "on"})

        assert response.status_code == 400
        assert "may not be reached" in response.content.decode()
        assert not WebhookEndpoint.objects.exists()

    def test_the_list_shows_the_success_rate(self, owner, endpoint, receiver):
        receiver.answer(Answer(status=500))
        make_events(partner=owner.partner, environment=owner.sandbox, count=4)
        delivery.deliver_batch(delivery_ids=[])

        body = owner.client.get(LIST).content.decode()

        assert endpoint.url in body
        assert "75% of 4 attempts" in body

    def test_edit_disable_enable_and_delete(self, owner, endpoint):
        response = owner.client.post(
            detail(endpoint) + "edit/", {"url": endpoint.url, "enabled_events": ["transfer.failed"]}
        )
        assert response.status_code == 302
        endpoint.refresh_from_db()
        assert endpoint.enabled_events == ["transfer.failed"]

        owner.client.post(detail(endpoint) + "edit/", {"disabled": "true"})
        endpoint.refresh_from_db()
        assert endpoint.disabled
        owner.client.post(detail(endpoint) + "edit/", {"disabled": "false"})
        endpoint.refresh_from_db()
        assert not endpoint.disabled

        owner.client.post(detail(endpoint) + "delete/")
        assert not WebhookEndpoint.objects.exists()

    def test_rotating_shows_the_new_secret_once(self, owner, endpoint):
        response = owner.client.post(detail(endpoint) + "rotate-secret/", {"keep_previous": "3600"})

        assert response.status_code == 200
        assert "whsec_" in response.content.decode() and endpoint.secret not in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert AuditEvent.objects.filter(action="webhook_endpoint.secret_rotated").exists()


class TestDeliveryPages:
    def test_send_a_test_event_then_see_it_and_its_attempts_in_the_log(self, owner, endpoint, receiver):
        owner.client.post(detail(endpoint) + "test/")
        delivery.deliver_batch(delivery_ids=[])
        row = WebhookDelivery.objects.get()

        page = owner.client.get(detail(endpoint)).content.decode()
        attempts = owner.client.get(detail(endpoint) + f"deliveries/{row.public_id}/", HTTP_HX_REQUEST="true")

        assert "webhook_endpoint.test" in page and row.public_id in page
        assert attempts.status_code == 200
        assert 'data-outcome="succeeded"' in attempts.content.decode()
        assert len(receiver.wait_for(1)) == 1

    def test_resend_and_replay_queue_the_event_again(self, owner, endpoint, receiver):
        make_events(partner=owner.partner, environment=owner.sandbox, count=2)
        delivery.deliver_batch(delivery_ids=[])
        first = WebhookDelivery.objects.order_by("pk").first()

        owner.client.post(detail(endpoint) + f"deliveries/{first.public_id}/resend/")
        delivery.deliver_batch(delivery_ids=[])
        assert WebhookAttempt.objects.filter(delivery=first).count() == 2

        response = owner.client.post(detail(endpoint) + "replay/", {"since": "2000-01-01T00:00"})
        assert response.status_code == 302
        delivery.deliver_batch(delivery_ids=[])
        assert WebhookAttempt.objects.count() == 5


class TestAccess:
    def test_a_viewer_sees_but_cannot_change(self, member, endpoint, owner):
        viewer = member("viewer", partner=owner.partner)

        assert viewer.client.get(detail(endpoint)).status_code == 200
        assert viewer.client.post(CREATE, {"url": "https://example.com", "all_events": "on"}).status_code == 403
        assert viewer.client.post(detail(endpoint) + "rotate-secret/", {"keep_previous": "0"}).status_code == 403
        assert viewer.client.post(detail(endpoint) + "test/").status_code == 403

    def test_another_partners_endpoint_is_a_404(self, member, endpoint):
        stranger = member("owner", partner=PartnerFactory())

        assert stranger.client.get(detail(endpoint)).status_code == 404
        assert stranger.client.post(detail(endpoint) + "delete/").status_code == 404
        assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
