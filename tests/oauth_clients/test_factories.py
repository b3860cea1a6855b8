"""Each factory of ``tests/oauth_clients/factories.py`` makes a valid row with the fields tests rely on."""

import pytest
from django.contrib.auth.hashers import check_password

from apps.oauth_clients.models import AccessToken, Application, DeviceGrant, Grant, IDToken, RefreshToken
from tests.oauth_clients.factories import (
    AccessTokenFactory,
    ApplicationFactory,
    DeviceGrantFactory,
    GrantFactory,
    IDTokenFactory,
    RefreshTokenFactory,
)

pytestmark = pytest.mark.django_db


class TestOAuthClientsFactories:
    def test_an_application_stores_a_hash_of_the_secret_it_carries(self):
        application = ApplicationFactory()

        stored = Application.objects.get(pk=application.pk)
        assert application.secret.startswith("cw_cs_")
        assert check_password(application.secret, stored.client_secret)
        assert (stored.client_type, stored.authorization_grant_type) == ("confidential", "authorization-code")
        assert stored.partner_id == stored.environment.partner_id
        assert stored.environment.kind == "sandbox"

    def test_a_public_application_has_no_secret(self):
        application = ApplicationFactory(confidential=False)

        assert application.secret is None
        assert Application.objects.get(pk=application.pk).client_type == "public"

    def test_a_grant_is_for_its_applications_redirect_uri(self):
        grant = GrantFactory()

        stored = Grant.objects.get(pk=grant.pk)
        assert stored.redirect_uri == "https://budget.example.com/callback"
        assert not stored.is_expired()

    def test_an_access_token_is_valid_for_its_scope(self):
        token = AccessTokenFactory()

        stored = AccessToken.objects.get(pk=token.pk)
        assert stored.is_valid(["accounts:read"])
        assert not stored.is_valid(["balances:read"])

    def test_a_refresh_token_pairs_with_an_access_token_of_the_same_user_and_application(self):
        refresh = RefreshTokenFactory()

        stored = RefreshToken.objects.get(pk=refresh.pk)
        assert (stored.user_id, stored.application_id) == (
            stored.access_token.user_id,
            stored.access_token.application_id,
        )
        assert stored.revoked is None

    def test_an_id_token_is_unexpired(self):
        token = IDTokenFactory()

        assert not IDToken.objects.get(pk=token.pk).is_expired()

    def test_a_device_grant_names_an_existing_client_and_awaits_the_user(self):
        grant = DeviceGrantFactory()

        stored = DeviceGrant.objects.get(pk=grant.pk)
        assert Application.objects.filter(client_id=stored.client_id).exists()
        assert stored.status == "authorization-pending"
