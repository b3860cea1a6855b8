"""The portal's main flows in a real browser, through the real pages: a first API call from sign-up, the life of an
API key, OAuth apps, inviting a team member and limiting their role, and opening live access with bank staff.

API calls are made from Python to the live server (127.0.0.1 only), the way a partner's server would make them.
"""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from playwright.sync_api import Page, expect

from apps.oauth_clients.models import Application
from apps.partners import keys, request_logs
from apps.partners.models import ApiKey, Environment, LiveAccessRequest, Membership, Partner
from tests.browser.conftest import emailed_link
from tests.core.factories import UserFactory
from tests.helpers import assert_problem
from tests.partners.factories import MembershipFactory, PartnerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-9876"
FACTORY_PASSWORD = "correct-horse-battery"  # tests.core.factories.UserFactory


# --- Helpers ------------------------------------------------------------------------------------------------------


def call_api(base_url: str, secret: str) -> httpx.Response:
    """``GET /v1/partner`` with ``secret``, as a partner's server would call it (never leaves 127.0.0.1)."""
    assert urlsplit(base_url).hostname == "127.0.0.1"
    with httpx.Client(base_url=base_url, trust_env=False, timeout=10) as client:
        return client.get("/v1/partner", headers={"Authorization": f"Bearer {secret}"})


def verified_member(*, email: str, role: str = "owner", partner: Partner | None = None) -> Membership:
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return MembershipFactory(partner=partner or PartnerFactory(name="Acme Pay"), user=user, role=role)


def nav(page: Page, name: str):
    """A link of the portal's side navigation (page bodies link to the same places in running text)."""
    return page.get_by_role("navigation", name="Portal").get_by_role("link", name=name, exact=True)


def step(page: Page, key: str):
    return page.locator(f'[data-testid="checklist"] [data-step="{key}"]')


def create_key(page: Page, *, name: str, scopes: tuple[str, ...] = (), expires_on: str = "") -> str:
    """Create a key of the current environment from the keys page; returns the secret the page shows once."""
    nav(page, "API keys").click()
    page.get_by_role("link", name=re.compile(r"^Create a (sandbox|live) key$")).click()
    page.get_by_label("Name:", exact=True).fill(name)
    for scope in scopes:
        page.get_by_role("checkbox", name=re.compile(f"^{re.escape(scope)}")).check()
    if expires_on:
        page.get_by_label("Expires on").fill(expires_on)
    page.get_by_role("button", name="Create key").click()
    secret = page.get_by_test_id("secret")
    expect(secret).to_be_visible()
    return secret.inner_text().strip()


def key_row(page: Page, secret: str):
    """The keys table's row of the key whose secret is ``secret``, found by its redacted form in the Key column
    (a rolled key's row also names its replacement, in the Status column)."""
    key_cell = page.get_by_role("cell", name=keys.redact(secret), exact=True)
    return page.get_by_test_id("keys").get_by_role("row").filter(has=key_cell)


def form_post(page: Page, path: str, data: dict[str, str]) -> int:
    """POST ``data`` to ``path`` in this browser's session with a valid CSRF token (taken from the page, as a
    form would send it), outside the page's own forms; returns the status."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(path, form={"csrfmiddlewaretoken": token, **data}, max_redirects=0)
    assert "CSRF verification failed" not in response.text()  # a refusal must be the role's, not a malformed request's
    return response.status


# --- The flows ----------------------------------------------------------------------------------------------------


class TestFirstCallInTheBrowser:
    def test_a_new_partner_creates_a_key_calls_the_api_and_sees_the_checklist_and_request_log(
        self, page, portal_ui, console_errors, live_server
    ):
        portal_ui.sign_up(email="founder@acme.test", password=PASSWORD, company="Acme Pay")
        partner = Partner.objects.get(name="Acme Pay")

        assert portal_ui.path() == "/portal/"
        expect(step(page, "create_key")).to_have_attribute("data-done", "false")
        expect(step(page, "first_call")).to_have_attribute("data-done", "false")

        step(page, "create_key").get_by_role("link", name="Create a sandbox key").click()
        assert portal_ui.path() == "/portal/keys/"
        secret = create_key(page, name="billing server")

        assert secret.startswith("cw_sk_sandbox_")
        response = call_api(live_server.url, secret)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == partner.public_id
        assert response.json()["environment"] == "sandbox"
        assert request_logs.flush()  # the default writer is a background thread

        nav(page, "Get started").click()
        expect(step(page, "create_key")).to_have_attribute("data-done", "true")
        expect(step(page, "first_call")).to_have_attribute("data-done", "true")

        nav(page, "Request logs").click()
        row = page.get_by_test_id("log-results").get_by_role("row").filter(has_text="GET /v1/partner")
        expect(row).to_have_count(1)
        expect(row.get_by_role("cell").nth(2)).to_have_text("200")
        row.get_by_role("link").first.click()

        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"GET /v1/partner\s+200"))
        expect(page.get_by_test_id("response-body")).to_contain_text(partner.public_id)
        assert console_errors.all() == []


class TestKeyLifecycleInTheBrowser:
    def test_a_restricted_expiring_key_is_shown_once_rolled_with_grace_and_its_replacement_revoked(
        self, page, portal_ui, console_errors, live_server
    ):
        verified_member(email="owner@acme.test")
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)
        expires_on = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()

        secret = create_key(page, name="events reader", scopes=("events:read", "webhooks:write"), expires_on=expires_on)

        issued = page.get_by_test_id("issued-key")
        expect(issued).to_contain_text("Permissions: events:read, webhooks:write")
        expect(issued).to_contain_text(f"Expires: {expires_on} 00:00 UTC")
        response = call_api(live_server.url, secret)
        assert response.status_code == 200, response.text
        assert response.json()["credential"]["scopes"] == ["events:read", "webhooks:write"]

        page.reload()  # the page the secret was shown on
        expect(page.get_by_label("Name:", exact=True)).to_have_value("")
        assert secret not in page.content()
        nav(page, "API keys").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
        assert secret not in page.content()
        row = key_row(page, secret)
        expect(row).to_have_attribute("data-status", "active")
        expect(row).to_contain_text("events:read, webhooks:write")
        expect(row).to_contain_text(f"{expires_on} 00:00")

        row.get_by_role("link", name="Roll").click()
        page.get_by_role("radio", name="1 hour").check()
        page.get_by_role("button", name="Roll key").click()
        expect(page.get_by_test_id("secret")).to_be_visible()
        new_secret = page.get_by_test_id("secret").inner_text().strip()
        expect(page.get_by_test_id("old-key")).to_contain_text("keeps working until")

        assert new_secret.startswith("cw_sk_sandbox_") and new_secret != secret
        old_response, new_response = call_api(live_server.url, secret), call_api(live_server.url, new_secret)
        assert old_response.status_code == 200, old_response.text
        assert new_response.status_code == 200, new_response.text
        assert new_response.json()["credential"]["id"] != old_response.json()["credential"]["id"]
        assert new_response.json()["credential"]["scopes"] == ["events:read", "webhooks:write"]
        old_key = ApiKey.objects.get(public_id=old_response.json()["credential"]["id"])
        grace_left = old_key.expires_at - datetime.now(UTC)
        assert timedelta(minutes=55) < grace_left <= timedelta(hours=1)

        page.get_by_role("link", name="Done").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("API keys")
        assert new_secret not in page.content() and secret not in page.content()
        expect(key_row(page, secret)).to_have_attribute("data-status", "rolled")
        key_row(page, new_secret).get_by_role("link", name="Revoke").click()
        page.get_by_role("button", name="Revoke key").click()

        expect(page.locator(".messages")).to_contain_text("Revoked events reader")
        expect(key_row(page, new_secret)).to_have_attribute("data-status", "revoked")
        revoked = call_api(live_server.url, new_secret)
        assert_problem(revoked, 401, "api_key_revoked")
        assert console_errors.all() == []


class TestAppsInTheBrowser:
    def test_an_app_is_created_refused_with_unsafe_redirect_uris_rotated_and_deleted(
        self, page, portal_ui, console_errors, live_server
    ):
        verified_member(email="owner@acme.test")
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)

        nav(page, "Apps").click()
        page.get_by_role("link", name="Create an app").click()
        page.get_by_label("Name:", exact=True).fill("Budget Buddy")
        page.get_by_label("Redirect URIs").fill("http://localhost:3000/callback")
        page.get_by_role("checkbox", name=re.compile(r"^accounts:read")).check()
        page.get_by_role("checkbox", name=re.compile(r"^balances:read")).check()
        page.get_by_role("button", name="Create app").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Budget Buddy is ready")
        client_id = page.get_by_test_id("client-id").inner_text().strip()
        first_secret = page.get_by_test_id("client-secret").inner_text().strip()
        application = Application.objects.get(client_id=client_id)
        assert application.environment.kind == "sandbox"
        assert application.redirect_uris.split() == ["http://localhost:3000/callback"]
        assert sorted(application.allowed_scopes) == ["accounts:read", "balances:read"]
        assert check_password(first_secret, application.client_secret)  # only the hash is stored

        for uri, error in [
            ("javascript:alert(1)", "javascript: URIs are not allowed"),
            ("https://*.example.com/cb", "wildcards are not allowed"),
        ]:
            nav(page, "Apps").click()
            page.get_by_role("link", name="Create an app").click()
            page.get_by_label("Name:", exact=True).fill("Evil")
            page.get_by_label("Redirect URIs").fill(uri)
            page.get_by_role("checkbox", name=re.compile(r"^accounts:read")).check()
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.get_by_role("button", name="Create app").click()

            assert posted.value.status == 400
            expect(page.locator(".errorlist")).to_be_visible()
            expect(page.locator(".errorlist")).to_contain_text(error)
            expect(page.get_by_label("Redirect URIs")).to_have_value(uri)  # kept for correcting
            assert Application.objects.count() == 1

        nav(page, "Apps").click()
        page.get_by_role("link", name="Budget Buddy").click()
        expect(page.get_by_text(first_secret)).to_have_count(0)
        page.get_by_role("link", name="Rotate secret").click()
        page.get_by_role("button", name="Rotate secret").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("New secret for Budget Buddy")
        second_secret = page.get_by_test_id("client-secret").inner_text().strip()
        assert second_secret != first_secret
        application.refresh_from_db()
        assert check_password(second_secret, application.client_secret)
        assert not check_password(first_secret, application.client_secret)

        page.get_by_role("link", name="Done").click()
        page.get_by_role("link", name="Delete").click()
        page.get_by_role("button", name="Delete app").click()

        expect(page.locator(".messages")).to_contain_text("Deleted Budget Buddy")
        expect(page.get_by_test_id("app-row")).to_have_count(0)
        assert not Application.objects.exists()
        # Chromium reports every 4xx document as a console error: the two refused forms, and nothing else.
        refused = (
            f"{live_server.url}/portal/apps/new/: Failed to load resource: the server responded with a status of 400"
        )
        assert [e for e in console_errors.console if not e.startswith(refused)] == []
        assert len(console_errors.console) == 2
        assert console_errors.offsite == console_errors.failed == []


class TestTeamInTheBrowser:
    def test_an_invited_developer_joins_and_as_a_viewer_cannot_create_keys(
        self, page, portal_ui, console_errors, other_page, live_server, settings
    ):
        settings.BASE_URL = live_server.url  # e-mailed links are absolute, made from BASE_URL
        owner = verified_member(email="owner@acme.test")
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)
        nav(page, "Team").click()
        page.get_by_label("E-mail address").fill("dev@acme.test")
        page.get_by_label("Role:", exact=True).select_option("developer")
        page.get_by_role("button", name="Send invitation").click()
        expect(page.locator(".messages")).to_contain_text("Invitation sent to dev@acme.test")

        dev_page, dev_problems = other_page()
        dev_page.goto(emailed_link("dev@acme.test", "/portal/team/invitations/"))
        expect(dev_page.get_by_test_id("invitation")).to_have_attribute("data-state", "sign_up")
        dev_page.get_by_label("Password:", exact=True).fill(PASSWORD)
        dev_page.get_by_label("Password (again)").fill(PASSWORD)
        with dev_page.expect_navigation():
            dev_page.get_by_role("button", name="Create account and join").click()

        assert urlsplit(dev_page.url).path == "/portal/team/"
        expect(dev_page.locator(".messages")).to_contain_text("Welcome to Acme Pay")
        me = dev_page.get_by_test_id("members").get_by_role("row").filter(has_text="dev@acme.test")
        expect(me).to_contain_text("(you)")
        expect(me).to_contain_text("Developer")
        membership = Membership.objects.get(user__email="dev@acme.test")
        assert (membership.partner, membership.role) == (owner.partner, "developer")
        nav(dev_page, "API keys").click()
        expect(dev_page.get_by_role("link", name="Create a sandbox key")).to_be_visible()
        # The control for the refusal below: the same direct POST succeeds while the member is a developer.
        assert form_post(dev_page, "/portal/keys/new/", {"environment": "sandbox", "name": "direct"}) == 201
        assert ApiKey.objects.filter(partner=owner.partner).count() == 1

        page.reload()
        page.get_by_label("Role of dev@acme.test").select_option("viewer")
        page.get_by_role("row").filter(has_text="dev@acme.test").get_by_role("button", name="Change role").click()
        expect(page.locator(".messages")).to_contain_text("dev@acme.test is now viewer")
        membership.refresh_from_db()
        assert membership.role == "viewer"

        dev_page.reload()
        expect(dev_page.get_by_role("heading", name="API keys")).to_be_visible()
        expect(dev_page.get_by_role("link", name="Create a sandbox key")).to_have_count(0)
        expect(dev_page.get_by_role("link", name="Revoke")).to_have_count(0)
        assert form_post(dev_page, "/portal/keys/new/", {"environment": "sandbox", "name": "direct"}) == 403
        assert ApiKey.objects.filter(partner=owner.partner).count() == 1
        assert console_errors.all() == []
        assert dev_problems.all() == []


class TestLiveAccessInTheBrowser:
    def test_staff_approve_the_owners_request_and_the_owner_creates_a_working_live_key(
        self, page, portal_ui, console_errors, other_page, live_server
    ):
        owner = verified_member(email="owner@acme.test")
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)
        expect(page.get_by_role("button", name="Switch to live")).to_have_count(0)

        nav(page, "Live access").click()
        expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "not_requested")
        page.get_by_label("Legal name").fill("Acme Pay Ltd")
        page.get_by_label("Company registration number").fill("12345678")
        page.get_by_label("Country of registration").select_option(label="United Kingdom")
        page.get_by_label("Website").fill("https://acme.example")
        page.get_by_label("What you will build").fill("Budgeting for small businesses: we read balances.")
        page.get_by_role("button", name="Send the request").click()
        expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "pending")
        assert LiveAccessRequest.objects.get(partner=owner.partner).status == "pending"

        get_user_model().objects.create_superuser(
            username="staff@bank.test", email="staff@bank.test", password=PASSWORD
        )
        staff, staff_problems = other_page()
        staff.goto("/admin/")
        staff.get_by_label("Username:").fill("staff@bank.test")
        staff.get_by_label("Password:").fill(PASSWORD)
        staff.get_by_role("button", name="Log in").click()
        staff.get_by_role("link", name="Live access requests").click()
        staff.get_by_role("row").filter(has_text="Acme Pay Ltd").get_by_role("checkbox").check()
        staff.get_by_role("combobox", name=re.compile("^Action")).select_option(
            label="Approve the selected requests (opens live)"
        )
        staff.get_by_role("button", name="Go").click()
        expect(staff.get_by_role("heading", name="Approve live access")).to_be_visible()
        staff.get_by_role("button", name="Approve and open live").click()
        expect(staff.locator(".messagelist")).to_contain_text("Approved")
        assert owner.partner.environments.filter(kind=Environment.Kind.LIVE).exists()

        nav(page, "Get started").click()
        page.get_by_role("button", name="Switch to live").click()
        expect(page.get_by_test_id("environment")).to_have_text("live")
        secret = create_key(page, name="production server")

        assert secret.startswith("cw_sk_live_")
        response = call_api(live_server.url, secret)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == owner.partner.public_id
        assert (response.json()["environment"], response.json()["livemode"]) == ("live", True)
        assert console_errors.all() == []
        assert staff_problems.all() == []
