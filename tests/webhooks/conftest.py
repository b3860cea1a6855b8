import pytest

from apps.transfers.fx import fx_rates_cache_clear
from apps.transfers.limits import limits_cache_clear
from tests.transfers.factories import seed_reference_data
from tests.webhooks.factories import WebhookEndpointFactory
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def make_endpoint(partner, sandbox):
    """``make_endpoint(url, enabled_events=["*"])``: an endpoint in the partner's sandbox; ``.secret`` is set."""

    def make(url: str, *, enabled_events=("*",), environment=None, **kwargs):
        return WebhookEndpointFactory(
            partner=partner,
            environment=environment or sandbox,
            url=url,
            enabled_events=list(enabled_events),
            **kwargs,
        )

    return make


@pytest.fixture
def transfer_reference_data(db):
    """The seeded limit rules and FX rates for tests that make transfers (a transactional test's flush empties
    them), with this process's copies of both tables forgotten before and after."""
    fx_rates_cache_clear()
    limits_cache_clear()
    seed_reference_data()
    yield
    fx_rates_cache_clear()
    limits_cache_clear()


@pytest.fixture(autouse=True)
def enqueued(request, monkeypatch):
    """Deliveries enqueued after commit, recorded instead of sent to the broker (tests marked ``real_broker``
    send them for real)."""
    if request.node.get_closest_marker("real_broker"):
        return None
    from apps.webhooks.services import delivery

    sent: list[list[int]] = []

    def fake(ids, *, claim_token=""):
        sent.append(list(ids))
        return True

    monkeypatch.setattr(delivery, "enqueue", fake)
    return sent
