"""The code flow end to end with Django's test client: sign-in, consent, code, tokens, and what the tokens
see; then refresh, revocation, introspection, discovery and client credentials."""

import pytest

from apps.oauth_clients.models import AccessToken, Consent, Grant, RefreshToken
from tests.helpers import assert_problem
from tests.oauth_clients import flow

pytestmark = pytest.mark.django_db


class TestCodeFlow:
    def test_the_token_reads_the_shared_wallet_and_not_the_other(self, client, s):
        usd, eur = s.wallets
        code, verifier = flow.code_for(client, s, wallets=[usd])

        response = flow.exchange(client, s, code, verifier)

        assert response.status_code == 200, response.content
        body = response.json()
        consent = Consent.objects.get()
        assert body["consent"] == consent.public_id
        assert body["access_token"].startswith("cw_at_") and body["refresh_token"].startswith("cw_rt_")
        assert body["expires_in"] == 600
        assert set(body["scope"].split()) == {"accounts:read", "balances:read"}
        assert client.get(f"/v1/wallets/{usd.public_id}", **flow.bearer(body["access_token"])).status_code == 200
        assert_problem(
            client.get(f"/v1/wallets/{eur.public_id}", **flow.bearer(body["access_token"])), 404, "resource_missing"
        )

    def test_the_authorization_response_carries_state_and_iss(self, client, s):
        _verifier, challenge = flow.pkce()
        flow.sign_in(client, s)
        url = flow.authorize_query(s, challenge=challenge)

        response = flow.approve(client, url, wallets=s.wallets[:1])

        query = flow.query_of(response["Location"])
        assert response["Location"].startswith(s.app.redirect_uris.split()[0] + "?")
        assert query["state"] == "st4te"
        assert query["iss"] == "http://testserver"

    def test_codes_and_tokens_are_stored_hashed(self, client, s):
        code, verifier = flow.code_for(client, s)
        body = flow.exchange(client, s, code, verifier).json()

        assert not Grant.objects.filter(code=code).exists()
        assert Grant.objects.get().code.startswith("sha256:")
        assert AccessToken.objects.get().token == "" and RefreshToken.objects.get().token == ""
        assert body["access_token"] not in str(list(AccessToken.objects.values()))
