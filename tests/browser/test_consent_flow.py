"""The consent screen in a real browser: a holder signs in, shares one of two wallets and approves; the app
exchanges the code and its token reads that wallet and not the other."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from tests.oauth_clients import flow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CALLBACK_PAGE = b'<!doctype html><link rel="icon" href="data:,"><p>Back in the app</p>'


class _Callback(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(CALLBACK_PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def app_callback() -> Iterator[int]:
    """The partner app's callback page on 127.0.0.1 (its port), stopped after the test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


class TestConsentInTheBrowser:
    def test_a_holder_shares_one_wallet_of_two_and_the_token_sees_only_it(
        self, page, live_server, app_callback, console_errors
    ):
        s = flow.setup(redirect_uris=["http://127.0.0.1/callback"])
        usd, eur = s.wallets
        # A loopback redirect URI matches on any port: the app's own callback page, on a port of its own.
        redirect_uri = f"http://127.0.0.1:{app_callback}/callback"
        verifier, challenge = flow.pkce()

        page.goto(flow.authorize_query(s, challenge=challenge, redirect_uri=redirect_uri))
        page.get_by_label("Username").fill(s.username)
        page.get_by_label("Password").fill(flow.PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"{s.app.name} wants to connect")
        expect(page.locator("ul.scopes")).to_contain_text("See your wallet balances")
        page.get_by_label("USD wallet").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Approve").click()

        callback = parse_qs(urlsplit(page.url).query)
        assert page.url.startswith(redirect_uri) and callback["state"] == ["st4te"]
        with httpx.Client(base_url=live_server.url, timeout=30) as app:
            token = app.post(
                "/o/token/",
                data={
                    "grant_type": "authorization_code",
                    "code": callback["code"][0],
                    "redirect_uri": redirect_uri,
                    "code_verifier": verifier,
                },
                auth=(s.app.client_id, s.app.secret),
            ).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            assert app.get(f"/v1/wallets/{usd.public_id}", headers=headers).status_code == 200
            assert app.get(f"/v1/wallets/{eur.public_id}", headers=headers).status_code == 404
        assert console_errors.all() == []
