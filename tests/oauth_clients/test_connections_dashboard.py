"""The holder's dashboard, ``/account/connections/``: the holder signs in with the consent screen's holder
session, sees each connected app (scopes in plain words, wallets, approved payments, expiry) and disconnects one
after a confirmation, which revokes the consent for the holder."""

import pytest
from django.conf import settings
from django.http import HttpResponse

from apps.events.models import Event
from apps.oauth_clients.models import AccessToken
from apps.oauth_clients.server import holder_session
from tests.core.factories import UserFactory
from tests.helpers import reread
from tests.oauth_clients.factories import AccessTokenFactory, ApplicationFactory, ConsentFactory, MandateFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

URL = "/account/connections/"


PASSWORD = "correct-horse-battery"  # tests.core.factories.UserFactory


def holder_with_login(partner, name="Ada Lovelace"):
    holder = make_holder(partner=partner, name=name)
    holder.user = UserFactory(username=f"{name.split()[0].lower()}@example.com")
    holder.save(update_fields=["user"])
    return holder


def sign_in(client, holder) -> None:
    response = HttpResponse()
    holder_session.save(response, holder_session.HolderSession(user_id=holder.user_id, code_verified_at=None))
    client.cookies[settings.HOLDER_SESSION_COOKIE] = response.cookies[settings.HOLDER_SESSION_COOKIE].value


@pytest.fixture
def ada(partner):
    return holder_with_login(partner)


@pytest.fixture
def consent(sandbox, ada):
    usd = make_wallet(holder=ada, currency="USD")
    app = ApplicationFactory(
        environment=sandbox, name="Budget Buddy", allowed_scopes=["accounts:read", "balances:read", "transfers:write"]
    )
    consent = ConsentFactory(application=app, holder=ada, wallets=[usd])
    MandateFactory(consent=consent, max_per_payment=5_000, max_per_period=20_000, period="month")
    return consent


def test_without_a_holder_session_the_holder_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/o/login/?next=%2Faccount%2Fconnections%2F"


def test_the_holder_signs_in_and_comes_back_to_the_dashboard(client, ada, consent):
    login = client.get("/o/login/?next=/account/connections/")
    assert b"Sign in to see the apps connected to your Causeway wallet." in login.content

    response = client.post(
        "/o/login/", {"username": ada.user.username, "password": PASSWORD, "next": "/account/connections/"}
    )

    assert (response.status_code, response["Location"]) == (302, "/account/connections/")
    assert b"Budget Buddy" in client.get(URL).content


def test_a_portal_session_is_no_holder_session(client, ada, consent):
    client.force_login(ada.user)

    assert client.get(URL).status_code == 302


def test_the_dashboard_lists_connected_apps_in_plain_words(client, ada, consent):
    sign_in(client, ada)

    page = client.get(URL).content.decode()

    assert "Budget Buddy" in page
    assert "See your wallet balances" in page
    assert consent.wallets.get().public_id in page
    assert "at most 50.00 USD each and 200.00 USD per month" in page
    assert f"/account/connections/{consent.public_id}/disconnect/" in page


def test_disconnecting_asks_first_then_revokes_for_the_holder(client, ada, consent):
    AccessTokenFactory(application=consent.application, consent=consent)
    sign_in(client, ada)
    url = f"{URL}{consent.public_id}/disconnect/"

    confirm = client.get(url)
    assert confirm.status_code == 200 and b"Disconnect Budget Buddy?" in confirm.content
    assert reread(consent).status == "authorized"

    response = client.post(url, follow=True)

    consent = reread(consent)
    assert (consent.status, consent.revoked_by) == ("revoked", "holder")
    assert not AccessToken.objects.filter(consent=consent).exists()
    assert Event.objects.filter(type="consent.revoked").count() == 1
    assert b"Disconnected Budget Buddy" in response.content
    assert b"No apps are connected" in response.content


def test_another_holders_connection_is_404(client, partner, consent):
    grace = holder_with_login(partner, name="Grace Hopper")
    sign_in(client, grace)

    assert b"Budget Buddy" not in client.get(URL).content
    assert client.get(f"{URL}{consent.public_id}/disconnect/").status_code == 404
    assert client.post(f"{URL}{consent.public_id}/disconnect/").status_code == 404
    assert reread(consent).status == "authorized"


def test_the_post_needs_its_csrf_token(ada, consent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, ada)

    assert client.post(f"{URL}{consent.public_id}/disconnect/").status_code == 403
    assert reread(consent).status == "authorized"
