"""``Causeway-Sandbox-Fault``: injected latency and errors for a partner's own sandbox requests, never in live."""

import time

import pytest

from apps.partners.models import RequestLog
from apps.partners.services import api_key_create
from tests.helpers import assert_problem, book_size
from tests.partners.factories import LiveEnvironmentFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sync_logs(settings):
    settings.REQUEST_LOG_WRITER = "sync"


def get(client, fault):
    return client.get("/v1/partner", HTTP_CAUSEWAY_SANDBOX_FAULT=fault)


class TestInjectedStatus:
    @pytest.mark.parametrize("status", [500, 503, 429])
    def test_the_asked_status_is_a_problem_and_marked_in_the_request_log(self, sandbox_client, partner, status):
        response = get(sandbox_client, f"status={status}")

        body = assert_problem(response, status, "sandbox_fault_injected")
        assert body["request_id"]
        assert response["Causeway-Sandbox-Fault-Injected"] == f"status={status}"
        if status == 429:
            assert response["Retry-After"] == "1"
        row = RequestLog.objects.get(partner_id_public=partner.public_id)
        assert (row.status, row.sandbox_fault, row.error_code) == (status, f"status={status}", "sandbox_fault_injected")

    def test_an_injected_error_changes_nothing(self, sandbox_client, partner):
        wallet = make_wallet(holder=make_holder(partner=partner), balance=100)
        before = book_size()

        response = sandbox_client.post(
            "/v1/sandbox/deposits",
            {"wallet": wallet.public_id, "amount": 500, "currency": "USD"},
            format="json",
            HTTP_CAUSEWAY_SANDBOX_FAULT="status=503",
        )

        assert_problem(response, 503, "sandbox_fault_injected")
        assert book_size() == before

    def test_rate_zero_never_injects_and_rate_one_always_does(self, sandbox_client):
        assert get(sandbox_client, "status=500; rate=0").status_code == 200
        assert get(sandbox_client, "status=500, rate=1").status_code == 500


class TestLatency:
    def test_latency_delays_the_answer(self, sandbox_client, partner):
        started = time.perf_counter()

        response = get(sandbox_client, "latency=200")

        assert response.status_code == 200
        assert time.perf_counter() - started >= 0.2
        assert RequestLog.objects.get(partner_id_public=partner.public_id).sandbox_fault == "latency=200"


class TestNeverInLive:
    def test_a_live_key_ignores_the_header(self, partner, client_for):
        live = LiveEnvironmentFactory(partner=partner)
        client = client_for(api_key_create(environment=live, name="Live").secret)

        response = get(client, "status=503")

        assert response.status_code == 200
        assert "Causeway-Sandbox-Fault-Injected" not in response
        assert RequestLog.objects.get(partner_id_public=partner.public_id).sandbox_fault == ""


class TestBadHeader:
    @pytest.mark.parametrize("value", ["status=404", "latency=-1", "latency=99999", "rate=2", "boom", "rate=0.5"])
    def test_a_malformed_header_is_a_400(self, sandbox_client, value):
        assert_problem(get(sandbox_client, value), 400, "sandbox_fault_invalid")
