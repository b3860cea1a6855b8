"""The cap on active secret keys per environment (API_KEY_MAX_ACTIVE): a further key is refused with 422
``api_key_limit_reached`` in the service and the portal; revoked and expired keys do not count, and rolling a key
(which replaces it) is allowed at the cap."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.partners.models import ApiKey
from apps.partners.services import api_key_create, api_key_revoke, api_key_roll
from apps.partners.services.api_keys import ApiKeyLimitReached

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cap(settings):
    settings.API_KEY_MAX_ACTIVE = 2


class TestKeyCap:
    def test_a_key_past_the_cap_is_refused_and_nothing_is_written(self, sandbox):
        api_key_create(environment=sandbox)
        api_key_create(environment=sandbox)

        with pytest.raises(ApiKeyLimitReached) as refused:
            api_key_create(environment=sandbox)

        assert (refused.value.status, refused.value.code) == (422, "api_key_limit_reached")
        assert ApiKey.objects.filter(environment=sandbox).count() == 2

    def test_revoked_and_expired_keys_do_not_count(self, sandbox):
        api_key_revoke(api_key=api_key_create(environment=sandbox).api_key)
        expired = api_key_create(environment=sandbox).api_key
        ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

        api_key_create(environment=sandbox)
        api_key_create(environment=sandbox)

    def test_each_environment_has_its_own_cap(self, sandbox, partner):
        from tests.partners.factories import LiveEnvironmentFactory

        api_key_create(environment=sandbox)
        api_key_create(environment=sandbox)

        api_key_create(environment=LiveEnvironmentFactory(partner=partner))

    def test_rolling_a_key_at_the_cap_is_allowed(self, sandbox):
        first = api_key_create(environment=sandbox).api_key
        api_key_create(environment=sandbox)

        issued = api_key_roll(api_key=first, grace=timedelta(hours=1), created_by=None)

        assert issued.api_key.environment == sandbox

    def test_the_portal_shows_the_refusal(self, owner):
        api_key_create(environment=owner.sandbox)
        api_key_create(environment=owner.sandbox)

        response = owner.client.post("/portal/keys/new/", {"environment": "sandbox", "name": "Third"})

        assert response.status_code == 422
        assert "at most 2 active secret keys" in response.content.decode()
        assert ApiKey.objects.filter(environment=owner.sandbox).count() == 2
