"""Payments with real OAuth access tokens: a holder approves a standing mandate on the consent screen, the app
exchanges the code and pays within it; a payment over it is refused; once the partner revokes the consent, the
token's next request is a 401. In live, a token moves a live holder's money under the holder's consent, where
the partner's secret key cannot."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.oauth_clients.tokens import new_access_token
from apps.partners.services import api_key_create
from tests.helpers import assert_problem, balances, post_transfer
from tests.oauth_clients import flow
from tests.oauth_clients.factories import AccessTokenFactory, ApplicationFactory, ConsentFactory, MandateFactory
from tests.partners.factories import LiveEnvironmentFactory
from tests.transfers.factories import table_counts
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_rail")]

MANDATE = {
    "type": "mandate",
    "currency": "USD",
    "max_per_payment": 400,
    "max_per_period": 600,
    "period": "day",
}


@pytest.fixture
def paying():
    """A holder who approved a standing mandate (4.00 a payment, 6.00 a day, any payee) for their USD wallet,
    a payee of the same partner, and the app's access token."""
    s = flow.setup(scopes=("accounts:read", "balances:read", "transfers:read", "transfers:write"))
    payee = make_wallet(holder=make_holder(partner=s.app.partner, name="Grace Hopper"))
    client = Client()  # the holder's browser, then the app's server
    code, verifier = flow.code_for(
        client,
        s,
        scope="accounts:read transfers:write",
        authorization_details=json.dumps([MANDATE]),
    )
    token = flow.exchange(client, s, code, verifier).json()
    return s, payee, token


def pay(token: str, s, payee, amount: int, key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {
        "type": "p2p",
        "source": s.wallets[0].public_id,
        "destination": payee.public_id,
        "amount": amount,
        "currency": "USD",
    }
    return client.post("/v1/transfers", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_token_pays_within_its_mandate_and_not_beyond(paying):
    s, payee, token = paying

    first = pay(token["access_token"], s, payee, 400, "k1")
    assert first.status_code == 201, first.content
    assert first.json()["mandate"].startswith("mdt_")
    before = table_counts()
    assert_problem(pay(token["access_token"], s, payee, 401, "k2"), 403, "mandate_amount_exceeded")
    assert_problem(pay(token["access_token"], s, payee, 300, "k3"), 403, "mandate_period_exhausted")
    assert table_counts() == before
    assert balances(payee) == (400, 400)


def test_revoking_the_consent_stops_the_token_on_its_next_request(paying):
    s, payee, token = paying
    assert pay(token["access_token"], s, payee, 100, "k1").status_code == 201
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_create(environment=s.app.environment).secret}")

    assert partner.post(f"/v1/consents/{token['consent']}/revoke").status_code == 200

    response = pay(token["access_token"], s, payee, 100, "k2")
    assert response.status_code == 401
    assert balances(payee) == (100, 100)


def test_a_live_token_moves_a_live_holders_money_only_under_the_holders_consent(partner, client_for):
    live = LiveEnvironmentFactory(partner=partner)
    holder = make_holder(environment="live")
    source = make_wallet(holder=holder, balance=5_000)
    payee = make_wallet(holder=make_holder(environment="live", name="Grace Hopper"))
    app = ApplicationFactory(environment=live, allowed_scopes=["accounts:read", "transfers:write"])
    consent = ConsentFactory(application=app, holder=holder, wallets=[source])
    MandateFactory(consent=consent, payee=payee.public_id, max_per_payment=2_000, max_per_period=5_000)
    secret = new_access_token()
    AccessTokenFactory(application=app, consent=consent, token=secret, scope="accounts:read transfers:write")
    body = {"type": "p2p", "source": source.public_id, "destination": payee.public_id, "currency": "USD"}

    response = post_transfer(client_for(secret), {**body, "amount": 1_500})

    assert response.status_code == 201, response.content
    assert (response.json()["environment"], response.json()["status"]) == ("live", "succeeded")
    assert balances(payee) == (1_500, 1_500)
    # The partner's live secret key still moves no live holder's money.
    key = client_for(api_key_create(environment=live, name="Live").secret)
    assert_problem(post_transfer(key, {**body, "amount": 1}, key="k2"), 403, "insufficient_scope")
