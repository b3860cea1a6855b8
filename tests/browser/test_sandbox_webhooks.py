"""A new partner's first webhook in a real browser: sign up, wait for the seeded sandbox, add an endpoint on the
portal's webhooks page for the receiver on 127.0.0.1 (copying the secret it shows once), simulate a deposit on
the sandbox page, and see both of the deposit's events arrive at the receiver, signed with that secret.

Seeding runs in a thread of this process (the ``worker`` fixture); deliveries go the production way:
the live server publishes to a redis-server this test starts, and a real Celery worker (with beat) posts them
(``tests.webhooks.live.live_stack``)."""

import json
import re
import time

import pytest
import standardwebhooks
from playwright.sync_api import expect

from apps.partners.models import Partner
from apps.webhooks.models import WebhookDelivery
from tests.browser.test_sandbox_flows import PASSWORD, SEEDING_TIMEOUT_MS
from tests.webhooks.live import live_stack

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DEPOSIT_EVENTS = {"transaction.posted", "wallet.balance_updated"}
DELIVERY_TIMEOUT_S = 60
WALLET = re.compile(r"(wal_\w+) ([A-Z]{3})")


class TestFirstWebhookFromTheSandbox:
    def test_a_deposit_on_the_sandbox_page_reaches_the_endpoint_added_on_the_portal_signed(
        self, page, portal_ui, console_errors, worker, receiver
    ):
        portal_ui.sign_up(email="founder@acme.test", password=PASSWORD, company="Acme Pay")
        partner = Partner.objects.get(name="Acme Pay")
        expect(page.get_by_test_id("sandbox")).to_have_attribute("data-status", "ready", timeout=SEEDING_TIMEOUT_MS)

        with live_stack():
            page.get_by_role("link", name="Webhooks").click()
            page.get_by_role("link", name="Add an endpoint").click()
            page.get_by_label("Endpoint URL").fill(receiver.url + "/hooks")
            page.get_by_label("Send every event type").uncheck()
            for event_type in sorted(DEPOSIT_EVENTS):
                page.get_by_label(event_type, exact=True).check()
            with page.expect_navigation():
                page.get_by_role("button", name="Add endpoint").click()
            secret = page.get_by_test_id("secret").inner_text().strip()
            assert secret.startswith("whsec_")

            page.get_by_role("link", name="Sandbox").click()
            holder = page.get_by_test_id("sandbox-browse").get_by_role("row").filter(has_text="Alex Goodwin")
            wallet, currency = WALLET.search(holder.inner_text()).groups()
            deposit = page.get_by_test_id("deposit-form")
            deposit.get_by_label("Wallet").fill(wallet)
            deposit.get_by_label("Amount (minor units)").fill("12345")
            deposit.get_by_label("Currency").fill(currency)
            with page.expect_navigation():
                deposit.get_by_role("button", name="Deposit").click()
            expect(page.get_by_test_id("last-call-status")).to_have_text("201")
            transaction_id = json.loads(page.get_by_test_id("last-call-answer").inner_text())["id"]

            received = receiver.wait_for(len(DEPOSIT_EVENTS), timeout=DELIVERY_TIMEOUT_S)
            # The worker records the outcome just after the receiver answers.
            delivered = WebhookDelivery.objects.filter(endpoint__partner=partner, status="delivered")
            deadline = time.monotonic() + DELIVERY_TIMEOUT_S
            while delivered.count() < len(DEPOSIT_EVENTS) and time.monotonic() < deadline:
                time.sleep(0.2)

        verifier = standardwebhooks.Webhook(secret)
        payloads = [verifier.verify(r.body, r.headers) for r in received]
        assert {p["type"] for p in payloads} == DEPOSIT_EVENTS, payloads
        assert [r.path for r in received] == ["/hooks", "/hooks"]
        by_type = {p["type"]: p["data"]["object"] for p in payloads}
        assert by_type["transaction.posted"]["id"] == transaction_id
        assert by_type["transaction.posted"]["amount"] == 12345
        assert by_type["wallet.balance_updated"]["id"] == wallet
        assert delivered.count() == len(DEPOSIT_EVENTS)
        assert console_errors.all() == []
