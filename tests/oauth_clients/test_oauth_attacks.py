"""The attack table: each way a client, a thief or a confused partner might misuse the authorization server
or a token, and what it gets (nothing)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.oauth_clients.models import AccessToken, Consent
from tests.helpers import assert_problem
from tests.oauth_clients import flow
from tests.oauth_clients.factories import ApplicationFactory
from tests.partners.factories import LiveEnvironmentFactory

pytestmark = pytest.mark.django_db


def _token(client, s, **kw):
    code, verifier = flow.code_for(client, s, **kw)
    response = flow.exchange(client, s, code, verifier)
    assert response.status_code == 200, response.content
    return response.json()


class TestPkce:
    def _screen(self, client, s, **query):
        flow.sign_in(client, s)
        return client.get(flow.authorize_query(s, challenge=query.pop("challenge", None), **query))

    def test_a_request_without_pkce_is_sent_back_with_invalid_request(self, client, s):
        response = self._screen(client, s, challenge=None, code_challenge_method=None)

        assert response.status_code == 302
        assert flow.query_of(response["Location"])["error"] == "invalid_request"

    def test_plain_pkce_is_refused(self, client, s):
        response = self._screen(client, s, challenge="a" * 43, code_challenge_method="plain")

        assert response.status_code == 302
        assert flow.query_of(response["Location"])["error"] == "invalid_request"

    @pytest.mark.parametrize("verifier", ["wrong", "x" * 42, "x" * 129, None])
    def test_a_wrong_missing_or_badly_sized_verifier_gets_no_token(self, client, s, verifier):
        # For the 42- and 129-character verifiers the challenge matches them: only their length is wrong.
        sized = verifier if verifier and len(verifier) in (42, 129) else None
        flow.sign_in(client, s)
        url = flow.authorize_query(s, challenge=flow.challenge_of(sized) if sized else flow.pkce()[1])
        code = flow.query_of(flow.approve(client, url, wallets=s.wallets[:1])["Location"])["code"]

        response = flow.exchange(client, s, code, verifier)

        assert response.status_code in (400, 401)
        assert response.json()["error"] in ("invalid_grant", "invalid_request")
        assert not AccessToken.objects.exists()


class TestCodes:
    def test_a_second_use_of_a_code_fails_and_revokes_what_the_first_issued(self, client, s):
        code, verifier = flow.code_for(client, s)
        first = flow.exchange(client, s, code, verifier).json()

        second = flow.exchange(client, s, code, verifier)

        assert second.status_code == 400 and second.json()["error"] == "invalid_grant"
        assert not AccessToken.objects.exists()
        assert client.get("/v1/wallets", **flow.bearer(first["access_token"])).status_code == 401
        assert flow.refresh(client, s, first["refresh_token"]).status_code == 400

    def test_a_code_used_after_61_seconds_fails(self, client, s):
        code, verifier = flow.code_for(client, s)

        with time_machine.travel(timezone.now() + timedelta(seconds=61)):
            response = flow.exchange(client, s, code, verifier)

        assert response.json()["error"] == "invalid_grant"

    def test_another_client_cannot_exchange_the_code(self, client, s):
        code, verifier = flow.code_for(client, s)
        other = ApplicationFactory(environment=s.app.environment, allowed_scopes=["accounts:read", "balances:read"])

        response = flow.exchange(client, s, code, verifier, app=other)

        assert response.json()["error"] == "invalid_grant"
        assert not AccessToken.objects.exists()


class TestRedirectUris:
    @pytest.mark.parametrize(
        "uri",
        [
            "https://budget.example.com/callback?extra=1",
            "https://budget.example.com/callback#frag",
            "https://user@budget.example.com/callback",
            "https://budget.example.com:8443/callback",
            "http://budget.example.com/callback",
            "https://evil.budget.example.com/callback",
            "https://budget.example.com/callback/",
            "https://budget.example.com/%63allback",
            "https://budget.example.com/callback%2F..%2Fevil",
            "https://budget.example.com%2Eevil.com/callback",
            "https://budget.example.com/CALLBACK",
        ],
    )
    def test_anything_but_the_registered_uri_gets_an_error_page_and_no_redirect(self, client, s, uri):
        flow.sign_in(client, s)

        response = client.get(flow.authorize_query(s, challenge=flow.pkce()[1], redirect_uri=uri))

        assert response.status_code == 400
        assert "Location" not in response

    def test_prompt_none_with_an_unregistered_uri_is_an_error_page(self, client, s):
        response = client.get(
            flow.authorize_query(s, challenge=flow.pkce()[1], redirect_uri="https://evil.example/cb", prompt="none")
        )

        assert response.status_code == 400
        assert "Location" not in response

    def test_prompt_none_without_a_session_is_login_required(self, client, s):
        response = client.get(flow.authorize_query(s, challenge=flow.pkce()[1], prompt="none"))

        assert response.status_code == 302
        assert flow.query_of(response["Location"])["error"] == "login_required"

    def test_loopback_redirects_may_use_any_port(self, client):
        s = flow.setup(redirect_uris=["http://127.0.0.1/callback"])
        flow.sign_in(client, s)

        url = flow.authorize_query(s, challenge=flow.pkce()[1], redirect_uri="http://127.0.0.1:53123/callback")

        assert client.get(url).status_code == 200


class TestScopes:
    def test_a_scope_above_the_apps_ceiling_is_invalid_scope(self, client, s):
        flow.sign_in(client, s)

        response = client.get(flow.authorize_query(s, challenge=flow.pkce()[1], scope="accounts:read transfers:write"))

        assert response.status_code == 302
        assert flow.query_of(response["Location"])["error"] == "invalid_scope"
        assert not Consent.objects.exists()

    def test_a_token_without_the_scope_gets_403_naming_it(self, client, s):
        token = _token(client, s, scope="accounts:read")

        response = client.get(f"/v1/wallets/{s.wallets[0].public_id}/balances", **flow.bearer(token["access_token"]))

        body = assert_problem(response, 403, "insufficient_scope")
        assert "balances:read" in body["detail"]


class TestTokens:
    def test_a_token_in_the_query_string_is_refused(self, client, s):
        token = _token(client, s)

        response = client.get(f"/v1/wallets?access_token={token['access_token']}")

        assert_problem(response, 401, "oauth_token_in_query_string")

    def test_a_replayed_refresh_token_revokes_the_family(self, client, s):
        first = _token(client, s)
        second = flow.refresh(client, s, first["refresh_token"]).json()
        assert second["consent"] == first["consent"]

        with time_machine.travel(timezone.now() + timedelta(seconds=6)):
            replay = flow.refresh(client, s, first["refresh_token"])

            assert replay.json()["error"] == "invalid_grant"
            assert flow.refresh(client, s, second["refresh_token"]).json()["error"] == "invalid_grant"

    def test_a_retired_refresh_token_presented_at_once_is_refused_without_ending_the_family(self, client, s):
        first = _token(client, s)
        second = flow.refresh(client, s, first["refresh_token"]).json()

        assert flow.refresh(client, s, first["refresh_token"]).json()["error"] == "invalid_grant"
        assert flow.refresh(client, s, second["refresh_token"]).status_code == 200

    def test_revocation_with_another_clients_credentials_does_nothing(self, client, s):
        token = _token(client, s)
        other = ApplicationFactory(environment=s.app.environment)

        response = client.post(
            "/o/revoke/",
            {"token": token["access_token"], "client_id": other.client_id, "client_secret": other.secret},
        )

        assert response.status_code == 200
        assert (
            client.get(f"/v1/wallets/{s.wallets[0].public_id}", **flow.bearer(token["access_token"])).status_code == 200
        )

    def test_revocation_by_the_client_stops_the_token(self, client, s):
        token = _token(client, s)

        client.post(
            "/o/revoke/", {"token": token["access_token"], "client_id": s.app.client_id, "client_secret": s.app.secret}
        )

        assert client.get("/v1/wallets", **flow.bearer(token["access_token"])).status_code == 401

    def test_introspection_needs_the_introspection_scope(self, client, s):
        token = _token(client, s)

        response = client.post("/o/introspect/", {"token": token["access_token"]}, **flow.bearer(token["access_token"]))

        assert response.status_code == 401

    def test_a_consent_revoked_between_two_requests_fails_the_next_one(self, client, s):
        token = _token(client, s)
        url = f"/v1/wallets/{s.wallets[0].public_id}"
        assert client.get(url, **flow.bearer(token["access_token"])).status_code == 200

        Consent.objects.update(status=Consent.Status.REVOKED)

        assert_problem(client.get(url, **flow.bearer(token["access_token"])), 401, "consent_inactive")

    def test_an_expired_consent_fails_the_next_request(self, client, s):
        token = _token(client, s)
        Consent.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

        assert client.get("/v1/wallets", **flow.bearer(token["access_token"])).status_code == 401


class TestTenancy:
    def test_partner_as_token_cannot_see_partner_bs_wallets(self, client, s):
        b = flow.setup()
        token = _token(client, s)

        response = client.get(f"/v1/wallets/{b.wallets[0].public_id}", **flow.bearer(token["access_token"]))

        assert_problem(response, 404, "resource_missing")

    def test_a_sandbox_token_cannot_see_live_wallets(self, client, s):
        from tests.wallets.factories import make_holder, make_wallet

        LiveEnvironmentFactory(partner=s.app.partner)
        live_wallet = make_wallet(holder=make_holder(environment="live"))
        token = _token(client, s)

        response = client.get(f"/v1/wallets/{live_wallet.public_id}", **flow.bearer(token["access_token"]))

        assert_problem(response, 404, "resource_missing")
