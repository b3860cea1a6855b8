"""A new partner's sandbox in a real browser: sign up, watch the sandbox fill itself in the worker, try the
persona it shows, then reset it from the portal and see the same data come back.

The worker is the ``worker`` fixture (tests/browser/conftest.py): a thread of this process running the sandbox
tasks' bodies."""

import pytest
from playwright.sync_api import expect

from apps.events.models import Event
from apps.partners.models import Partner
from apps.wallets.models import WalletHolder

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-9876"
SEEDING_TIMEOUT_MS = 90_000


class TestSandboxFromSignUp:
    def test_sign_up_shows_the_seeded_sandbox_and_a_reset_brings_it_back(self, page, portal_ui, console_errors, worker):
        portal_ui.sign_up(email="founder@acme.test", password=PASSWORD, company="Acme Pay")
        partner = Partner.objects.get(name="Acme Pay")
        sandbox = page.get_by_test_id("sandbox")

        expect(sandbox).to_have_attribute("data-status", "ready", timeout=SEEDING_TIMEOUT_MS)
        expect(page.get_by_test_id("persona-username")).to_have_text(f"user_good@{partner.public_id}")
        holders = WalletHolder.objects.filter(partner=partner).count()
        expect(page.get_by_test_id("sandbox-counts")).to_contain_text(f"{holders} holders")
        assert holders > 20
        first_holder = page.get_by_test_id("sandbox-holders").get_by_role("row").nth(1)
        expect(first_holder).to_contain_text("Alex Goodwin")

        with page.expect_navigation():
            page.get_by_test_id("sandbox-reset").click()
        expect(page.get_by_text("Resetting the sandbox")).to_be_visible()

        expect(sandbox).to_have_attribute("data-status", "ready", timeout=SEEDING_TIMEOUT_MS)
        expect(page.get_by_test_id("sandbox-counts")).to_contain_text(f"{holders} holders")
        assert Event.objects.filter(type="sandbox.reset", partner=partner).count() == 1
        assert console_errors.all() == []
