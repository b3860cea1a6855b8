"""The holder's personalisation choice: off by default, turned on and off in the holder's dashboard (at once),
and turned on by granting insights:read or offers:* on the consent screen (never by other scopes)."""

import pytest

from apps.oauth_clients.services.authorization import consent_authorize, consent_create
from tests.helpers import reread
from tests.oauth_clients import flow
from tests.oauth_clients.factories import ApplicationFactory
from tests.oauth_clients.test_connections_dashboard import holder_with_login, sign_in
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

DASHBOARD = "/account/connections/"


class TestDashboardToggle:
    def test_the_holder_turns_it_on_and_off_and_each_takes_effect_at_once(self, client, partner):
        ada = holder_with_login(partner)
        sign_in(client, ada)
        assert not reread(ada).personalisation
        assert b"Spending insights and offers" in client.get(DASHBOARD).content

        on = client.post("/account/personalisation/", {"personalisation": "on"}, follow=True)
        assert b"Spending insights and offers are on" in on.content
        assert reread(ada).personalisation and reread(ada).personalisation_changed_at is not None

        client.post("/account/personalisation/", {"personalisation": "off"})
        assert not reread(ada).personalisation

    def test_without_a_holder_session_nothing_changes(self, client, partner):
        ada = holder_with_login(partner)

        response = client.post("/account/personalisation/", {"personalisation": "on"})

        assert response.status_code == 302 and response["Location"].startswith("/o/login/")
        assert not reread(ada).personalisation


class TestConsentScreenOptIn:
    @pytest.mark.parametrize(
        "scopes, opted_in",
        [
            (["accounts:read", "insights:read"], True),
            (["offers:read"], True),
            (["offers:write"], True),
            (["accounts:read", "points:write"], False),
        ],
    )
    def test_granting_an_insights_or_offers_scope_opts_the_holder_in(self, scopes, opted_in):
        app = ApplicationFactory(allowed_scopes=scopes)
        holder = make_holder(partner=app.partner)
        wallet = make_wallet(holder=holder)
        consent = consent_create(application=app, holder=holder, scopes=scopes)

        consent_authorize(consent=consent, wallet_ids=[wallet.public_id])

        assert reread(holder).personalisation is opted_in

    def test_a_holder_who_declines_those_scopes_stays_out(self):
        app = ApplicationFactory(allowed_scopes=["accounts:read", "insights:read"])
        holder = make_holder(partner=app.partner)
        wallet = make_wallet(holder=holder)
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read", "insights:read"])

        consent_authorize(consent=consent, wallet_ids=[wallet.public_id], scopes=["accounts:read"])

        assert not reread(holder).personalisation


class TestConsentScreenOptInEndToEnd:
    def test_the_holder_grants_insights_on_the_consent_screen_and_the_apps_token_reads_them(self, client, client_for):
        s = flow.setup(scopes=("accounts:read", "insights:read", "offers:read"))
        verifier, challenge = flow.pkce()
        flow.sign_in(client, s)
        url = flow.authorize_query(s, challenge=challenge, scope="accounts:read insights:read")
        page = client.get(url).content.decode()
        assert "this turns on spending insights and offers for you" in page
        assert not reread(s.holder).personalisation

        approved = flow.approve(client, url, wallets=s.wallets[:1])

        assert approved.status_code == 302, approved.content
        assert reread(s.holder).personalisation
        token = flow.exchange(client, s, flow.query_of(approved["Location"])["code"], verifier).json()
        app = client_for(token["access_token"])
        insights = app.get(f"/v1/wallet_holders/{s.holder.public_id}/insights")
        assert insights.status_code == 200, insights.content
        assert insights.json()["currency"] == "USD"
        offers = app.get(f"/v1/wallet_holders/{s.holder.public_id}/offers")
        assert offers.status_code == 403 and offers.json()["code"] == "insufficient_scope"  # offers:read not granted
