"""The code flow as a partner's app runs it, with an independent OAuth client library (authlib) against the
live server: authorize URL with PKCE, the holder's sign-in and approval (an HTTP client standing in for the
browser), the code exchange, API calls, refresh, revocation; and client credentials."""

import re
from collections.abc import Iterator

import httpx
import pytest
from authlib.integrations.httpx_client import OAuth2Client

from tests.oauth_clients import flow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clients() -> Iterator[list[OAuth2Client]]:
    """OAuth clients the test makes, closed at its end (an open keep-alive connection would outlive the
    live server's database)."""
    made: list[OAuth2Client] = []
    yield made
    for client in made:
        client.close()


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _browser_approves(authorize_url: str, s: flow.Setup, wallets: list) -> str:
    """The holder's browser: sign in, approve sharing ``wallets``; returns the redirect back to the app."""
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        to_login = browser.get(authorize_url)
        assert to_login.status_code == 302, to_login.text
        login_url = httpx.URL(authorize_url).join(to_login.headers["Location"])
        page = browser.get(login_url)
        form = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "username": s.username,
            "password": flow.PASSWORD,
            "next": login_url.params["next"],
        }
        back = browser.post(login_url, data=form, headers={"Referer": str(login_url)})
        assert back.status_code == 302, back.text
        screen = browser.get(authorize_url)
        assert screen.status_code == 200 and s.app.name in screen.text
        approved = browser.post(
            authorize_url,
            data={
                "csrfmiddlewaretoken": CSRF.search(screen.text).group(1),
                "decision": "approve",
                "wallets": [w.public_id for w in wallets],
            },
        )
        assert approved.status_code == 302, approved.text
        return approved.headers["Location"]


class TestAuthlibCodeFlow:
    def test_a_partner_app_gets_a_consented_token_and_reads_only_the_shared_wallet(self, live_server, clients):
        s = flow.setup()
        usd, eur = s.wallets
        client = OAuth2Client(
            client_id=s.app.client_id,
            client_secret=s.app.secret,
            redirect_uri=s.app.redirect_uris.split()[0],
            scope="accounts:read balances:read",
            code_challenge_method="S256",
        )
        clients.append(client)
        verifier = flow.pkce()[0]
        url, state = client.create_authorization_url(f"{live_server.url}/o/authorize/", code_verifier=verifier)

        callback = _browser_approves(url, s, [usd])
        assert httpx.URL(callback).params["iss"] == live_server.url
        token = client.fetch_token(
            f"{live_server.url}/o/token/", authorization_response=callback, code_verifier=verifier, state=state
        )

        assert token["consent"].startswith("cons_")
        assert client.get(f"{live_server.url}/v1/wallets/{usd.public_id}").status_code == 200
        assert client.get(f"{live_server.url}/v1/wallets/{eur.public_id}").status_code == 404
        refreshed = client.refresh_token(f"{live_server.url}/o/token/")
        assert refreshed["access_token"] != token["access_token"]
        assert client.get(f"{live_server.url}/v1/wallets/{usd.public_id}/balances").status_code == 200
        client.revoke_token(f"{live_server.url}/o/revoke/", token=refreshed["access_token"])
        assert client.get(f"{live_server.url}/v1/wallets/{usd.public_id}").status_code == 401

    def test_client_credentials_give_a_partner_level_token_with_no_holder(self, live_server, clients):
        s = flow.setup(scopes=("accounts:read", "events:read"))
        client = OAuth2Client(client_id=s.app.client_id, client_secret=s.app.secret, scope="events:read")
        clients.append(client)

        token = client.fetch_token(f"{live_server.url}/o/token/", grant_type="client_credentials")

        assert token["scope"] == "events:read" and "refresh_token" not in token and "consent" not in token
        assert client.get(f"{live_server.url}/v1/events").status_code == 200
        assert client.get(f"{live_server.url}/v1/wallets").status_code == 403

    def test_client_credentials_cannot_ask_for_more_than_the_app_allows(self, live_server, clients):
        s = flow.setup(scopes=("accounts:read", "events:read"))
        client = OAuth2Client(client_id=s.app.client_id, client_secret=s.app.secret, scope="events:read webhooks:write")
        clients.append(client)

        with pytest.raises(Exception, match="invalid_scope"):
            client.fetch_token(f"{live_server.url}/o/token/", grant_type="client_credentials")
