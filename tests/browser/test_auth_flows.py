"""Sign-up, e-mail verification, TOTP and the team MFA requirement in a real browser, through the real pages."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from apps.partners.models import Partner
from tests.browser.conftest import emailed_link
from tests.core.factories import UserFactory
from tests.partners.factories import MembershipFactory, PartnerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-pass-9876"


def verify_email_step(page):
    return page.locator('[data-testid="checklist"] [data-step="verify_email"]')


class TestSignUpInTheBrowser:
    def test_signing_up_lands_on_the_checklist_and_the_emailed_link_ticks_verification(
        self, page, portal_ui, console_errors
    ):
        portal_ui.sign_up(email="founder@acme.test", password=PASSWORD, company="Acme Robotics")

        assert portal_ui.path() == "/portal/"
        expect(page.get_by_role("heading", level=1)).to_have_text("Get started with Acme Robotics")
        expect(verify_email_step(page)).to_have_attribute("data-done", "false")
        assert page.evaluate("typeof htmx") == "object"  # loaded from /static, not a CDN
        assert Partner.objects.get(name="Acme Robotics").memberships.get().role == "owner"

        page.goto(emailed_link("founder@acme.test", "/accounts/confirm-email/"))
        assert EmailAddress.objects.get(email="founder@acme.test").verified is False  # opening is not confirming
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()

        assert portal_ui.path() == "/portal/"
        expect(verify_email_step(page)).to_have_attribute("data-done", "true")
        assert EmailAddress.objects.get(email="founder@acme.test").verified is True
        assert console_errors.all() == []

    def test_a_mistyped_second_password_is_shown_on_the_form_and_creates_nothing(self, page, portal_ui, console_errors):
        page.goto("/accounts/signup/")
        page.get_by_label("Email").fill("founder@acme.test")
        page.get_by_label("Company name").fill("Acme")
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_label("Password (again)").fill(PASSWORD + "x")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign Up").click()

        assert portal_ui.path() == "/accounts/signup/"
        expect(page.locator(".errorlist")).to_contain_text("same password")
        assert not Partner.objects.exists()
        assert console_errors.all() == []


class TestTwoFactorInTheBrowser:
    def test_enrolling_totp_from_the_page_then_logging_in_asks_for_the_code(self, page, portal_ui, console_errors):
        portal_ui.sign_up(email="founder@acme.test", password=PASSWORD, company="Acme")
        page.goto(emailed_link("founder@acme.test", "/accounts/confirm-email/"))
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()

        page.get_by_role("link", name="Security").click()
        page.get_by_role("link", name="Activate").click()
        portal_ui.confirm_password(PASSWORD)  # security changes ask for the password again
        assert portal_ui.path() == "/accounts/2fa/totp/activate/"
        secret = page.get_by_label("Authenticator secret").input_value()  # what a person types into the app
        portal_ui.enter_totp(secret)
        with page.expect_navigation():
            page.get_by_role("button", name="Activate").click()

        assert portal_ui.path() == "/accounts/2fa/recovery-codes/"
        codes = page.get_by_label("Unused codes").input_value().split()
        assert len(codes) == 10
        assert Authenticator.objects.filter(user__email="founder@acme.test", type="totp").exists()

        portal_ui.log_out()
        portal_ui.log_in(email="founder@acme.test", password=PASSWORD)

        assert portal_ui.path() == "/accounts/2fa/authenticate/"
        portal_ui.enter_totp(secret)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign In").click()

        assert portal_ui.path() == "/portal/"
        expect(page.get_by_role("heading", level=1)).to_have_text("Get started with Acme")
        assert console_errors.all() == []


class TestMandatoryMfaInTheBrowser:
    def test_a_member_without_totp_is_stopped_at_the_mfa_required_page(self, page, portal_ui, console_errors):
        partner = PartnerFactory(name="Strict Bank Apps", mfa_required=True)
        user = UserFactory(username="dev@strict.test", email="dev@strict.test")
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        MembershipFactory(partner=partner, user=user, role="developer")

        portal_ui.log_in(email="dev@strict.test", password="correct-horse-battery")

        assert portal_ui.path() == "/portal/mfa-required/"
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
        page.goto("/portal/keys/")
        assert portal_ui.path() == "/portal/mfa-required/"
        expect(page.get_by_role("link", name="API keys")).to_have_count(0)  # no portal navigation

        page.get_by_role("link", name="Set up an authenticator app").click()
        portal_ui.confirm_password("correct-horse-battery")
        assert portal_ui.path() == "/accounts/2fa/totp/activate/"
        assert console_errors.all() == []


class TestBrowserHarness:
    def test_script_errors_failed_assets_and_offsite_requests_are_all_caught(self, page, console_errors):
        # The assertions above are only worth something if the collector sees these.
        page.goto("/accounts/login/")
        page.evaluate("console.error('boom')")
        page.add_script_tag(content="undefinedFunction()")
        # Resolves once the script loaded or failed, so every handler has run by then.
        load = """url => new Promise(done => document.head.append(
            Object.assign(document.createElement('script'), {src: url, onload: done, onerror: done})))"""
        page.evaluate(load, "/static/portal/vendor/missing.js")
        page.evaluate(load, "https://cdn.example.com/htmx.js")

        assert any("boom" in e for e in console_errors.console)
        assert any("undefinedFunction" in e for e in console_errors.console)
        assert any(e.startswith("404 ") and "missing.js" in e for e in console_errors.failed)
        assert console_errors.offsite == ["https://cdn.example.com/htmx.js"]
