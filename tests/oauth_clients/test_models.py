from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings

from apps.oauth_clients import models
from apps.oauth_clients.selectors import application_list
from tests.oauth_clients.factories import ApplicationFactory
from tests.partners.factories import LiveEnvironmentFactory


class TestSwappedOAuthModels:
    def test_every_oauth_model_is_ours(self):
        assert get_application_model() is models.Application
        assert get_grant_model() is models.Grant
        assert get_access_token_model() is models.AccessToken
        assert get_refresh_token_model() is models.RefreshToken
        assert get_id_token_model() is models.IDToken

    def test_only_authorization_code_client_credentials_and_refresh_token_are_advertised(self):
        assert sorted(oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED) == [
            "authorization_code",
            "client_credentials",
            "refresh_token",
        ]
        assert oauth2_settings.PKCE_REQUIRED is True

    def test_an_application_is_listed_only_in_its_own_partner_environment(self, db, partner, sandbox):
        mine = ApplicationFactory(environment=sandbox)
        ApplicationFactory(environment=LiveEnvironmentFactory(partner=partner))
        ApplicationFactory()

        assert list(application_list(partner=partner, environment=sandbox)) == [mine]


class TestRedirectSchemes:
    def test_sandbox_apps_may_redirect_over_http_and_live_apps_only_over_https(self, partner, sandbox):
        live = LiveEnvironmentFactory(partner=partner)

        assert models.Application(partner=partner, environment=sandbox).get_allowed_schemes() == ["https", "http"]
        assert models.Application(partner=partner, environment=live).get_allowed_schemes() == ["https"]
