"""The consent-screen personas, signed in on ``/o/login/`` and approving on ``/o/authorize/`` as a holder would:
``user_mfa`` needs the sandbox's one-time code after its password, ``user_consent_expiring``'s consents last
23 hours, so ``consent.expiring`` is due as soon as one is granted (docs/sandbox.md)."""

from datetime import date, timedelta

import pytest

from apps.core import clock
from apps.events.models import Event
from apps.oauth_clients.models import Consent
from apps.oauth_clients.tasks import notify_expiring_consents
from apps.wallets.models import Wallet, WalletHolder
from sandbox.seed import seed_sandbox
from tests.oauth_clients import flow
from tests.oauth_clients.factories import ApplicationFactory
from tests.transfers.factories import fresh_reference_tables

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables():
    with fresh_reference_tables(seed=True):
        yield


@pytest.fixture
def personas(partner, sandbox):
    report = seed_sandbox(partner=partner, holders=0, months=0, anchor=date(2025, 6, 15))
    return {p["username"].split("@")[0]: p for p in report.personas}


@pytest.fixture
def app(sandbox):
    return ApplicationFactory(environment=sandbox)


def sign_in(client, persona, **extra):
    form = {"username": persona["username"], "password": persona["password"], "next": "/o/authorize/", **extra}
    return client.post("/o/login/", form)


def grant(client, app, persona) -> Consent:
    assert sign_in(client, persona).status_code == 302
    holder = WalletHolder.objects.get(public_id=persona["holder"])
    setup = flow.Setup(app=app, holder=holder, username=persona["username"])
    url = flow.authorize_query(setup, challenge=flow.pkce()[1])
    assert client.get(url).status_code == 200
    response = flow.approve(client, url, wallets=list(Wallet.objects.filter(holder=holder)[:1]))
    assert response.status_code == 302 and "code" in flow.query_of(response["Location"])
    return Consent.objects.get(holder=holder)


class TestUserMfa:
    def test_the_password_alone_does_not_reach_the_consent_screen(self, client, personas, app):
        asked = sign_in(client, personas["user_mfa"])

        assert asked.status_code == 200 and 'name="code"' in asked.content.decode()
        assert "cw_holder" not in asked.cookies
        holder = WalletHolder.objects.get(public_id=personas["user_mfa"]["holder"])
        url = flow.authorize_query(flow.Setup(app=app, holder=holder, username=""), challenge=flow.pkce()[1])
        assert client.get(url)["Location"].startswith("/o/login/")

    def test_a_wrong_code_is_refused(self, client, personas):
        wrong = sign_in(client, personas["user_mfa"], code="000000")

        assert wrong.status_code == 400 and "cw_holder" not in wrong.cookies

    def test_with_the_published_code_it_reaches_the_consent_screen(self, client, personas, app):
        right = sign_in(client, personas["user_mfa"], code="123456")

        assert right.status_code == 302 and right.cookies["cw_holder"].value
        holder = WalletHolder.objects.get(public_id=personas["user_mfa"]["holder"])
        url = flow.authorize_query(flow.Setup(app=app, holder=holder, username=""), challenge=flow.pkce()[1])
        page = client.get(url)
        assert page.status_code == 200 and app.name in page.content.decode()

    def test_other_personas_sign_in_with_the_password_only(self, client, personas):
        assert sign_in(client, personas["user_good"]).status_code == 302
        assert not WalletHolder.objects.get(public_id=personas["user_good"]["holder"]).sign_in_code_required


class TestUserConsentExpiring:
    def test_its_consents_expire_within_a_day_and_consent_expiring_follows(self, client, personas, app, sandbox):
        consent = grant(client, app, personas["user_consent_expiring"])

        now = clock.now(environment=sandbox)
        assert now + timedelta(hours=22) < consent.expires_at <= now + timedelta(hours=23)
        assert notify_expiring_consents() == 1
        [event] = Event.objects.filter(type="consent.expiring")
        assert event.data["object"]["id"] == consent.public_id

    def test_other_personas_consents_last_the_default_lifetime(self, client, personas, app, sandbox, settings):
        consent = grant(client, app, personas["user_good"])

        lifetime = consent.expires_at - clock.now(environment=sandbox)
        assert lifetime > timedelta(days=settings.CONSENT_DEFAULT_DAYS - 1)
        assert notify_expiring_consents() == 0
