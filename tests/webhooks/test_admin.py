import pytest

from apps.webhooks.services import delivery
from tests.events.factories import make_events

pytestmark = pytest.mark.django_db


def test_the_admin_pages_load_and_never_show_the_secret(admin_client, make_endpoint, receiver, partner, sandbox):
    endpoint = make_endpoint(receiver.url + "/hooks")
    make_events(partner=partner, environment=sandbox, count=1)
    delivery.deliver_batch(delivery_ids=[])

    for path in ("webhookendpoint/", f"webhookendpoint/{endpoint.pk}/change/", "webhookdelivery/", "webhookattempt/"):
        response = admin_client.get(f"/admin/webhooks/{path}")
        assert response.status_code == 200, path
        assert endpoint.secret not in response.content.decode()
        assert "gAAAA" not in response.content.decode()  # no Fernet token either
