"""The Python SDK end to end against a live server: a transfer, paging through transactions, a webhook
verified with the SDK's helper; and its retries, which reuse one Idempotency-Key."""

import json

import httpx
import pytest

from apps.webhooks.services import delivery

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class TestPythonSdkAgainstALiveServer:
    def test_a_transfer_pages_of_transactions_and_a_verified_webhook(self, causeway_sdk, live_server, world, receiver):
        from causeway_sdk.api.sandbox import sandbox_webhook_fire
        from causeway_sdk.api.transactions import wallet_transaction_list
        from causeway_sdk.api.transfers import transfer_create
        from causeway_sdk.api.webhook_endpoints import webhook_endpoint_create
        from causeway_sdk.models import EndpointCreateInputRequest, FireInputRequest, TransferCreateInputRequestType1
        from causeway_sdk.webhooks import WebhookVerificationError, verify

        client = causeway_sdk.connect(api_key=world["key"], base_url=live_server.url)
        body = TransferCreateInputRequestType1.from_dict(
            {"type": "p2p", "source": world["payer"], "destination": world["payee"], "amount": 1_250, "currency": "USD"}
        )
        key = causeway_sdk.new_idempotency_key()

        transfer = transfer_create.sync(client=client, body=body, idempotency_key=key)
        again = transfer_create.sync_detailed(client=client, body=body, idempotency_key=key)

        assert (transfer.status, transfer.amount, transfer.failure) == ("succeeded", 1_250, None)
        assert again.headers["Idempotent-Replayed"] == "true" and again.parsed.id == transfer.id
        assert again.headers["Causeway-Version"] == causeway_sdk.API_VERSION

        for amount in (100, 200, 300):
            transfer_create.sync(
                client=client,
                body=TransferCreateInputRequestType1.from_dict({**body.to_dict(), "amount": amount}),
                idempotency_key=causeway_sdk.new_idempotency_key(),
            )
        paged = list(
            causeway_sdk.paginate(wallet_transaction_list.sync, client=client, wallet_id=world["payer"], limit=2)
        )
        whole = wallet_transaction_list.sync(client=client, wallet_id=world["payer"], limit=100)
        assert [t.id for t in paged] == [t.id for t in whole.data] and len(paged) >= 5

        endpoint = webhook_endpoint_create.sync(
            client=client,
            body=EndpointCreateInputRequest.from_dict({"url": receiver.url + "/hooks", "enabled_events": ["*"]}),
        )
        fired = sandbox_webhook_fire.sync(client=client, body=FireInputRequest.from_dict({"type": "transfer.failed"}))
        delivery.deliver_batch(delivery_ids=[])
        (received,) = receiver.wait_for(1)

        event = verify(received.body, dict(received.headers), secret=endpoint.secret)
        assert (event["id"], event["type"]) == (fired.id, "transfer.failed")
        with pytest.raises(WebhookVerificationError):
            verify(received.body + b" ", dict(received.headers), secret=endpoint.secret)


class TestRetries:
    def test_a_post_is_retried_after_a_5xx_and_a_dropped_connection_with_one_idempotency_key(self, causeway_sdk):
        seen: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            if len(seen) == 1:
                return httpx.Response(503, json={"code": "unavailable"})
            if len(seen) == 2:
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(201, json={"ok": True})

        transport = causeway_sdk.RetryTransport(
            max_retries=3, transport=httpx.MockTransport(answer), sleep=lambda s: None
        )
        with httpx.Client(transport=transport) as client:
            response = client.post("http://api.test/v1/sandbox/deposits", json={"amount": 1})

        assert response.status_code == 201 and len(seen) == 3
        keys = {request.headers["Idempotency-Key"] for request in seen}
        assert len(keys) == 1 and len(keys.pop()) == 36
        assert {json.loads(request.content)["amount"] for request in seen} == {1}

    def test_a_4xx_is_not_retried_and_retries_stop_after_max_retries(self, causeway_sdk):
        statuses = iter([400, 503, 503, 503])
        seen: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(next(statuses))

        transport = causeway_sdk.RetryTransport(
            max_retries=2, transport=httpx.MockTransport(answer), sleep=lambda s: None
        )
        with httpx.Client(transport=transport) as client:
            assert client.get("http://api.test/v1/events").status_code == 400
            assert client.get("http://api.test/v1/events").status_code == 503

        assert len(seen) == 4

    def test_a_patch_without_a_key_is_not_retried(self, causeway_sdk):
        seen: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(503)

        transport = causeway_sdk.RetryTransport(
            max_retries=2, transport=httpx.MockTransport(answer), sleep=lambda s: None
        )
        with httpx.Client(transport=transport) as client:
            client.patch("http://api.test/v1/webhook_endpoints/we_1", json={})

        assert len(seen) == 1
