"""Webhook payloads are rendered in the endpoint's API version at delivery time (docs/versioning.md)."""

import json

import pytest
import standardwebhooks

from apps.core import versioning
from apps.webhooks.services import delivery
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

OLD = versioning.VERSIONS[0]
NEW = versioning.LATEST


class TestWebhooksInTheEndpointsVersion:
    @pytest.mark.parametrize("version", [OLD, NEW])
    def test_a_delivery_is_rendered_in_the_endpoints_version_and_signed_as_sent(
        self, version, receiver, make_endpoint, sandbox_client, partner
    ):
        make_wallet(holder=make_holder(partner=partner), currency="USD", balance=1_000)
        endpoint = make_endpoint(receiver.url + "/hooks", enabled_events=["transfer.failed"], api_version=version)
        fired = sandbox_client.post("/v1/sandbox/webhooks/fire", {"type": "transfer.failed"}, format="json")
        assert fired.status_code in (200, 201), fired.content

        delivery.deliver_batch(delivery_ids=[])

        (received,) = receiver.wait_for(1)
        standardwebhooks.Webhook(endpoint.secret).verify(received.body, received.headers)
        body = json.loads(received.body)
        assert body["api_version"] == version
        transfer = body["data"]["object"]
        if version == OLD:
            assert transfer["failure_code"] == "insufficient_funds" and "failure" not in transfer
        else:
            assert transfer["failure"]["code"] == "insufficient_funds" and "failure_code" not in transfer
