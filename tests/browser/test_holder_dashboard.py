"""The holder's dashboard in a real browser: a holder who connected an app signs in, sees it on
``/account/connections/``, disconnects it after the confirmation step, and the consent is revoked for the
holder."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from tests.core.factories import UserFactory
from tests.helpers import reread
from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory, MandateFactory
from tests.partners.factories import PartnerFactory, sandbox_of
from tests.wallets.factories import make_holder, make_wallet

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery"  # tests.core.factories.UserFactory


def test_a_holder_disconnects_an_app_from_the_dashboard(page: Page, console_errors):
    partner = PartnerFactory()
    holder = make_holder(partner=partner, name="Ada Lovelace")
    holder.user = UserFactory(username=EMAIL, email=EMAIL)
    holder.save(update_fields=["user"])
    EmailAddress.objects.create(user=holder.user, email=EMAIL, primary=True, verified=True)
    wallet = make_wallet(holder=holder)
    app = ApplicationFactory(
        environment=sandbox_of(partner), name="Budget Buddy", allowed_scopes=["balances:read", "transfers:write"]
    )
    consent = ConsentFactory(application=app, holder=holder, wallets=[wallet])
    MandateFactory(consent=consent, max_per_payment=5_000, max_per_period=20_000, period="month")

    page.goto("/account/connections/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Connected apps")).to_be_visible()
    connection = page.locator("article.connection")
    expect(connection.get_by_role("heading", name="Budget Buddy")).to_be_visible()
    expect(connection.get_by_text("See your wallet balances")).to_be_visible()
    expect(connection.get_by_text(wallet.public_id)).to_be_visible()
    expect(connection.get_by_text("200.00 USD per month")).to_be_visible()

    connection.get_by_role("link", name="Disconnect").click()
    expect(page.get_by_role("heading", name="Disconnect Budget Buddy?")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Disconnect").click()

    expect(page.get_by_text("Disconnected Budget Buddy")).to_be_visible()
    expect(page.get_by_text("No apps are connected to your wallet.")).to_be_visible()
    consent = reread(consent)
    assert (consent.status, consent.revoked_by) == ("revoked", "holder")
    assert console_errors.all() == []
