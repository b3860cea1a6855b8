""" "Test this app in the sandbox": the real code flow from the portal, through the consent screen, back to the
built-in callback page, which shows the consent and working tokens once."""

import re

import pytest

from apps.oauth_clients.models import Consent
from tests.oauth_clients import flow
from tests.oauth_clients.factories import ApplicationFactory
from tests.partners.factories import LiveEnvironmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return flow.setup()


@pytest.fixture
def developer(member, s):
    return member("developer", partner=s.app.partner)


def _start(developer, s) -> str:
    page = developer.client.get(f"/portal/apps/{s.app.client_id}/test/")
    assert page.status_code == 200
    return (
        re.search(r'href="(/o/authorize/\?[^"]+)" data-testid="start-test"', page.content.decode())
        .group(1)
        .replace("&amp;", "&")
    )


class TestAppTester:
    def test_the_real_flow_ends_on_the_portal_with_the_consent_and_a_working_token(self, developer, s):
        browser = developer.client
        authorize = _start(developer, s)
        flow.sign_in(browser, s)
        assert browser.get(authorize).status_code == 200

        back = flow.approve(browser, authorize, wallets=s.wallets[:1])
        assert back["Location"].startswith(f"http://testserver/portal/apps/{s.app.client_id}/test/callback/?code=")
        result = browser.get(back["Location"])

        page = result.content.decode()
        consent = Consent.objects.get()
        assert consent.public_id in page and s.wallets[0].public_id in page
        token = re.search(r'data-testid="access-token">(cw_at_\w+)<', page).group(1)
        assert f'curl -H "Authorization: Bearer {token}"' in page
        assert browser.get("/v1/wallets", **flow.bearer(token)).status_code == 200
        assert browser.get("/portal/").status_code == 200  # still the developer in the portal
        assert "no-cache" in result["Cache-Control"] or "no-store" in result["Cache-Control"]

    def test_a_callback_with_a_state_from_elsewhere_exchanges_nothing(self, developer, s):
        authorize = _start(developer, s)
        flow.sign_in(developer.client, s)
        back = flow.approve(developer.client, authorize, wallets=s.wallets[:1])

        forged = back["Location"].replace("state=", "state=x")
        page = developer.client.get(forged).content.decode()

        assert "was not started here" in page
        assert "cw_at_" not in page

    def test_the_built_in_callback_is_no_redirect_uri_for_another_app(self, developer, s):
        other = ApplicationFactory(environment=s.app.environment)
        flow.sign_in(developer.client, s)
        url = flow.authorize_query(
            s,
            challenge=flow.pkce()[1],
            client_id=other.client_id,
            redirect_uri=f"http://testserver/portal/apps/{s.app.client_id}/test/callback/",
        )

        assert developer.client.get(url).status_code == 400

    def test_the_built_in_callback_on_another_host_is_refused(self, developer, s):
        flow.sign_in(developer.client, s)
        url = flow.authorize_query(
            s,
            challenge=flow.pkce()[1],
            redirect_uri=f"https://evil.example/portal/apps/{s.app.client_id}/test/callback/",
        )

        response = developer.client.get(url)

        assert response.status_code == 400 and "Location" not in response

    def test_a_viewer_cannot_run_it_and_live_apps_have_none(self, member, s):
        viewer = member("viewer", partner=s.app.partner)
        assert viewer.client.get(f"/portal/apps/{s.app.client_id}/test/").status_code == 403
        live = LiveEnvironmentFactory(partner=s.app.partner)
        live_app = ApplicationFactory(environment=live)
        owner = member("owner", partner=s.app.partner)
        session = owner.client.session
        session["portal_environment"] = "live"
        session.save()

        assert owner.client.get(f"/portal/apps/{live_app.client_id}/test/").status_code == 404
