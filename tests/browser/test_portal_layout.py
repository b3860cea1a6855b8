"""Every portal page in a real browser at 1280 px and 390 px wide: no sideways scrolling (a table at 1280 px fits
the page without scrolling inside its box), one heading, breadcrumbs ending at the page, the page's menu item
active and a link to its docs page. Each page's screenshot is saved under ``CAUSEWAY_ARTIFACTS``
(``tmp/artifacts``, not committed) as ``portal/<page>-<width>.png`` for a person to look at.

Also the pages' own behaviour that needs a browser: the event browser's payload viewer, the test-event type picker,
the delivery log's attempts opening under their row, and the API explorer trying a request with its own key."""

import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from apps.events.types import TEST_EVENT_TYPE
from apps.partners.models import ApiKey
from apps.partners.services.api_keys import api_key_create
from apps.partners.services.live_access import live_access_approve
from apps.webhooks.models import WebhookDelivery
from tests.core.factories import UserFactory
from tests.events.factories import EventFactory
from tests.oauth_clients.factories import ApplicationFactory
from tests.partners.factories import (
    AuditEventFactory,
    LiveAccessRequestFactory,
    MembershipFactory,
    PartnerFactory,
    RequestLogFactory,
    sandbox_of,
)
from tests.wallets.factories import make_holder, make_wallet
from tests.webhooks.factories import WebhookAttemptFactory, WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FACTORY_PASSWORD = "correct-horse-battery"  # tests.core.factories.UserFactory
ARTIFACTS = Path(os.environ.get("CAUSEWAY_ARTIFACTS", Path(__file__).resolve().parents[2] / "tmp" / "artifacts"))
WIDTHS = (1280, 390)
LONG_URL = "http://127.0.0.1:9/causeway/webhooks/a-rather-long-receiving-path/with/several/segments?tenant=acme-pay"


def a_busy_partner() -> dict[str, str]:
    """An owner of a partner with something on every page (long values included, the ones that used to make
    tables too wide); returns the portal paths to visit, by page name."""
    owner = UserFactory(username="owner@acme.test", email="owner@acme.test")
    EmailAddress.objects.create(user=owner, email=owner.email, primary=True, verified=True)
    partner = PartnerFactory(name="Acme Pay")
    MembershipFactory(partner=partner, user=owner, role="owner")
    admin = MembershipFactory(partner=partner, role="admin")
    sandbox = sandbox_of(partner)
    key = api_key_create(environment=sandbox, name="billing server", created_by=owner).api_key
    app = ApplicationFactory(environment=sandbox, name="Budget Buddy")
    endpoint = WebhookEndpointFactory(environment=sandbox, url=LONG_URL, description="Orders service")
    delivery = WebhookDeliveryFactory(endpoint=endpoint, type="transfer.succeeded")
    WebhookAttemptFactory(delivery=delivery, response_excerpt='{"ok": true}')
    event = EventFactory(environment=sandbox, partner=partner, type="transfer.succeeded")
    holder = make_holder(partner=partner, name="Ada Lovelace")
    make_wallet(holder=holder, balance=12_500)
    log = RequestLogFactory(
        partner_id_public=partner.public_id,
        credential_id=key.public_id,
        path="/v1/wallets/wal_4Tq8mK2xL9pR7vZ1nB5cW3yD/transactions",
        query="limit=100&created%5Bgte%5D=2026-01-01T00%3A00%3A00Z&starting_after=txn_8Lm3Qw6Er9Ty2Ui5Op1As4Df",
        request_id="req_5fMhC2sVwN8kQ1xZ7bR4tY9a",
    )
    engineer = UserFactory(email="a.very.long.address.for.an.engineer@acme-payments-international.test")
    for _ in range(3):
        AuditEventFactory(
            partner=partner,
            actor=engineer,
            action="api_key.created",
            target=key,
            environment=sandbox,
            metadata={"name": "billing server", "scopes": ["events:read", "webhooks:write"]},
        )
    staff = UserFactory(is_staff=True)
    live_access_approve(request_obj=LiveAccessRequestFactory(partner=partner, requested_by=owner), staff_user=staff)
    return {
        "home": "/portal/",
        "keys": "/portal/keys/",
        "keys-create": "/portal/keys/new/",
        "keys-roll": f"/portal/keys/{key.public_id}/roll/",
        "keys-revoke": f"/portal/keys/{key.public_id}/revoke/",
        "explorer": "/portal/explorer/",
        "apps": "/portal/apps/",
        "apps-create": "/portal/apps/new/",
        "apps-detail": f"/portal/apps/{app.client_id}/",
        "apps-edit": f"/portal/apps/{app.client_id}/edit/",
        "apps-rotate": f"/portal/apps/{app.client_id}/rotate-secret/",
        "apps-delete": f"/portal/apps/{app.client_id}/delete/",
        "apps-test": f"/portal/apps/{app.client_id}/test/",
        "webhooks": "/portal/webhooks/",
        "webhooks-create": "/portal/webhooks/new/",
        "webhooks-detail": f"/portal/webhooks/{endpoint.public_id}/",
        "webhooks-edit": f"/portal/webhooks/{endpoint.public_id}/edit/",
        "webhooks-delete": f"/portal/webhooks/{endpoint.public_id}/delete/",
        "webhooks-delivery": f"/portal/webhooks/{endpoint.public_id}/deliveries/{delivery.public_id}/",
        "events": "/portal/events/",
        "events-detail": f"/portal/events/{event.public_id}/",
        "offers": "/portal/offers/",
        "sandbox": "/portal/sandbox/",
        "sandbox-holder": f"/portal/sandbox/holders/{holder.public_id}/",
        "logs": "/portal/logs/",
        "logs-detail": f"/portal/logs/{log.public_id}/",
        "team": "/portal/team/",
        "team-transfer": f"/portal/team/members/{admin.public_id}/transfer/",
        "audit": "/portal/audit/",
        "live": "/portal/live/",
        "settings": "/portal/settings/",
        "api-version": "/portal/api-version/",
    }


# The menu item each page belongs to (its section's label).
SECTION = {
    "home": "Get started",
    "keys": "API keys",
    "explorer": "API explorer",
    "apps": "Apps",
    "webhooks": "Webhooks",
    "events": "Events",
    "offers": "Offers",
    "sandbox": "Sandbox",
    "logs": "Request logs",
    "team": "Team",
    "audit": "Audit log",
    "live": "Live access",
    "settings": "Settings",
    "api-version": "API version",
}


def layout_problems(page: Page, *, width: int) -> list[str]:
    """What is wrong with the page's layout at ``width``: sideways scrolling, and at desktop width tables that
    scroll inside their box."""
    problems = []
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll[0] > scroll[1]:
        problems.append(f"scrolls sideways: {scroll[0]} px wide in {scroll[1]} px")
    if width >= 1280:
        wide = page.evaluate(
            "[...document.querySelectorAll('main table')].filter(t => t.scrollWidth > t.clientWidth + 1)"
            ".map(t => (t.dataset.testid || t.className || 'table') + ': ' + t.scrollWidth + '>' + t.clientWidth)"
        )
        problems += [f"table wider than the page: {w}" for w in wide]
    return problems


def check_page(page: Page, name: str, path: str, width: int) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{name}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    problems = layout_problems(page, width=width)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.locator('[aria-current="page"]')).to_have_count(1)
    section = SECTION[re.sub(r"-.*", "", name) if name not in SECTION else name]
    active = page.get_by_role("navigation", name="Portal").locator('a[aria-current="page"]')
    expect(active).to_have_text(section)
    expect(page.get_by_test_id("docs-link")).to_have_attribute("href", re.compile(r"^/docs/.+/$"))
    ARTIFACTS.joinpath("portal").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal" / f"{name}-{width}.png"), full_page=True)
    return [f"{name} at {width} px: {problem}" for problem in problems]


class TestEveryPortalPage:
    def test_every_page_fits_both_widths_with_heading_breadcrumbs_active_menu_item_and_docs_link(
        self, page, portal_ui, console_errors
    ):
        pages = a_busy_partner()
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)

        problems = [
            problem
            for width in WIDTHS
            for name, path in pages.items()
            for problem in check_page(page, name, path, width)
        ]

        assert problems == [], "\n".join(problems)
        assert console_errors.all() == []

    @pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
    def test_the_account_pages_are_styled_and_fit_both_widths(self, page, console_errors, path):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            assert layout_problems(page, width=width) == []
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            expect(page.locator("body.entrance main form").first).to_be_visible()
            expect(page.get_by_test_id("docs-link")).to_have_attribute("href", "/docs/portal/accounts/")
            expect(page.get_by_role("button").last).to_have_css("background-color", "rgb(36, 70, 199)")
            ARTIFACTS.joinpath("portal").mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(ARTIFACTS / "portal" / f"{name}-{width}.png"), full_page=True)
        assert console_errors.all() == []

    @pytest.mark.parametrize("path", ["/accounts/email/", "/accounts/2fa/", "/accounts/password/change/"])
    def test_a_members_account_pages_have_breadcrumbs_back_to_the_portal_and_fit_both_widths(
        self, page, portal_ui, console_errors, path
    ):
        a_busy_partner()
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)
        ARTIFACTS.joinpath("portal").mkdir(parents=True, exist_ok=True)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(path)
            assert layout_problems(page, width=width) == []
            expect(page.get_by_role("heading", level=1)).to_have_count(1)
            crumbs = page.get_by_role("navigation", name="Breadcrumb")
            expect(crumbs.locator('[aria-current="page"]')).to_have_text("Your account")
            expect(page.get_by_test_id("docs-link")).to_have_attribute("href", "/docs/portal/accounts/")
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(ARTIFACTS / "portal" / f"{name}-{width}.png"), full_page=True)
        assert console_errors.all() == []


class TestEventsAndTestEventsInTheBrowser:
    def test_a_test_event_of_a_chosen_type_is_delivered_to_the_endpoint_and_its_payload_read_in_the_browser(
        self, page, portal_ui, console_errors
    ):
        pages = a_busy_partner()
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)
        page.goto(pages["webhooks-detail"])
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoint")
        delete = page.get_by_test_id("delete")
        send = page.get_by_test_id("send-test")
        assert delete.evaluate("e => getComputedStyle(e).color") != send.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )  # Delete is not in the primary colour
        expect(delete).to_have_css("color", "rgb(179, 38, 30)")
        deliveries = page.get_by_test_id("deliveries").locator("tbody tr")
        expect(deliveries.first).to_be_visible()
        expect(deliveries.locator(":scope:not([data-delivery])")).to_have_count(0)  # no spacer rows

        expect(page.get_by_test_id("test-type").locator("option").first).to_have_text(TEST_EVENT_TYPE)
        page.get_by_label("Test event type").select_option("sandbox.reset")
        with page.expect_navigation():
            send.click()

        expect(page.get_by_role("list").get_by_text("Test sandbox.reset event sent")).to_be_visible()
        delivery = WebhookDelivery.objects.get(endpoint__url=LONG_URL, event__type="sandbox.reset")
        row = page.get_by_test_id("deliveries").locator(f'tr[data-delivery="{delivery.public_id}"]')
        expect(row).to_contain_text("sandbox.reset")
        row.get_by_role("link", name="Attempts").click()
        expect(page.locator(f'tr.attempts-row[data-attempts-of="{delivery.public_id}"]')).to_be_visible()

        row.get_by_role("link", name=delivery.event.public_id).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("sandbox.reset")
        payload = page.get_by_test_id("payload")
        expect(payload).to_contain_text(f'"id": "{delivery.event.public_id}"')
        expect(payload).to_contain_text('"object": "sandbox_reset"')
        assert console_errors.all() == []


class TestTheApiExplorerInTheBrowser:
    def test_it_is_authorised_with_its_sandbox_key_and_tries_a_request_on_this_server(
        self, page, portal_ui, console_errors
    ):
        a_busy_partner()
        portal_ui.log_in(email="owner@acme.test", password=FACTORY_PASSWORD)
        page.goto("/portal/explorer/")
        explorer = page.frame_locator('[data-testid="explorer"]')

        expect(explorer.locator(".btn.authorize.locked")).to_be_visible(timeout=30_000)
        key = ApiKey.objects.get(explorer=True, revoked_at__isnull=True)
        expect(explorer.get_by_test_id("explorer-key")).to_have_attribute("data-key", key.public_id)
        operation = explorer.locator(".opblock-get").filter(has=explorer.get_by_text("/v1/partner", exact=True))
        operation.locator(".opblock-summary").first.click()
        operation.get_by_role("button", name="Execute").click()

        answer = operation.locator(".live-responses-table .response").first
        expect(answer.locator(".response-col_status")).to_contain_text("200", timeout=15_000)
        expect(answer).to_contain_text('"environment": "sandbox"')
        assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
        assert console_errors.all() == []
