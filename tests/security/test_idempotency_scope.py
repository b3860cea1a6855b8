"""An Idempotency-Key replay answers only the credential that could have made the request: two holders' tokens of
one partner's app never share idempotency records, so one holder's token can never be handed the stored response
of a payment from another holder's wallet by reusing its key and body."""

import pytest

from apps.oauth_clients.tokens import new_access_token
from apps.transfers.models import Transfer
from tests.helpers import post_transfer
from tests.oauth_clients.factories import AccessTokenFactory, ApplicationFactory, ConsentFactory, MandateFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


def test_another_holders_token_reusing_a_key_and_body_is_not_replayed_the_first_response(sandbox, client_for):
    app = ApplicationFactory(environment=sandbox, allowed_scopes=["accounts:read", "transfers:read", "transfers:write"])
    payee = make_wallet(holder=make_holder(partner=sandbox.partner, name="Grace Hopper"))
    tokens, wallets = [], []
    for name in ("Ada Lovelace", "Alan Turing"):
        holder = make_holder(partner=sandbox.partner, name=name)
        wallet = make_wallet(holder=holder, balance=5_000)
        consent = ConsentFactory(application=app, holder=holder, wallets=[wallet])
        MandateFactory(consent=consent, max_per_payment=5_000, max_per_period=5_000)
        secret = new_access_token()
        AccessTokenFactory(application=app, consent=consent, token=secret, scope=" ".join(consent.scopes))
        tokens.append(client_for(secret))
        wallets.append(wallet)
    body = {
        "type": "p2p",
        "source": wallets[0].public_id,
        "destination": payee.public_id,
        "amount": 700,
        "currency": "USD",
    }
    first = post_transfer(tokens[0], body, key="pay-1")
    assert first.status_code == 201, first.content

    second = post_transfer(tokens[1], body, key="pay-1")

    assert second.status_code == 404, second.content
    assert "Idempotent-Replayed" not in second.headers
    assert first.json()["id"] not in second.content.decode()
    assert Transfer.objects.count() == 1
