import pytest

from tests.transfers.factories import fresh_reference_tables
from tests.webhooks.factories import WebhookEndpointFactory


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
def endpoint(receiver, make_endpoint):
    """An endpoint for every event type that posts to ``receiver``."""
    return make_endpoint(receiver.url + "/hooks")


@pytest.fixture
def transfer_reference_data(db):
    """The seeded limit rules and FX rates for tests that make transfers (a transactional test's flush empties
    them), with this process's copies of both tables forgotten before and after."""
    with fresh_reference_tables(seed=True):
        yield


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
