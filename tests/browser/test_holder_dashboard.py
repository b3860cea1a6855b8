"""The holder's dashboard in a real browser: a holder who connected an app signs in, sees it on
``/account/connections/`` (through the consent screen's holder sign-in), disconnects it after the confirmation
step, and the app's token stops working on its next request."""

import httpx
import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.oauth_clients import flow

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_holder_disconnects_an_app_from_the_dashboard(page: Page, console_errors, live_server):
    s = flow.setup(scopes=("accounts:read", "balances:read"), name="Budget Buddy")
    browser_of_the_holder = Client()
    code, verifier = flow.code_for(browser_of_the_holder, s)
    token = flow.exchange(Client(), s, code, verifier).json()["access_token"]
    wallet = s.wallets[0]
    api = httpx.Client(base_url=live_server.url, trust_env=False, timeout=10)
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get(f"/v1/wallets/{wallet.public_id}", headers=headers).status_code == 200

    page.goto("/account/connections/")
    page.get_by_label("Username").fill(s.username)
    page.get_by_label("Password").fill(flow.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/account/connections/")
    expect(page.get_by_role("heading", name="Connected apps")).to_be_visible()
    connection = page.locator("article.connection")
    expect(connection.get_by_role("heading", name="Budget Buddy")).to_be_visible()
    expect(connection.get_by_text("See your wallet balances")).to_be_visible()
    expect(connection.get_by_text(wallet.public_id)).to_be_visible()

    connection.get_by_role("link", name="Disconnect").click()
    expect(page.get_by_role("heading", name="Disconnect Budget Buddy?")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Disconnect").click()

    expect(page.get_by_text("Disconnected Budget Buddy")).to_be_visible()
    expect(page.get_by_text("No apps are connected to your wallet.")).to_be_visible()
    assert api.get(f"/v1/wallets/{wallet.public_id}", headers=headers).status_code == 401
    assert console_errors.all() == []
