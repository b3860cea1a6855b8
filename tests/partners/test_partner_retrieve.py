from datetime import timedelta

import pytest

from tests.partners.factories import LiveEnvironmentFactory

pytestmark = pytest.mark.django_db


class TestPartnerRetrieve:
    def test_a_sandbox_key_sees_its_partner_environment_and_scopes(self, sandbox_client, partner, sandbox_key):
        response = sandbox_client.get("/v1/partner")

        assert response.status_code == 200
        body = response.json()
        assert body["object"] == "partner"
        assert body["id"] == partner.public_id
        assert body["environment"] == "sandbox"
        assert body["livemode"] is False
        assert body["environments"] == ["sandbox"]
        assert body["credential"] == {
            "type": "api_key",
            "id": sandbox_key.api_key.public_id,
            "scopes": [
                "consents:write",
                "events:read",
                "offers:write",
                "points:write",
                "sandbox:write",
                "webhooks:write",
            ],
        }
        assert response["Request-Id"]

    def test_a_live_key_says_live(self, partner, client_for):
        from apps.partners.services import api_key_create

        live = LiveEnvironmentFactory(partner=partner)
        issued = api_key_create(environment=live)

        body = client_for(issued.secret).get("/v1/partner").json()

        assert issued.secret.startswith("cw_sk_live_")
        assert body["environment"] == "live"
        assert body["livemode"] is True
        assert body["environments"] == ["sandbox", "live"]
        # sandbox:write acts only in sandbox: a live key never claims it.
        assert body["credential"]["scopes"] == [
            "consents:write",
            "events:read",
            "offers:write",
            "points:write",
            "webhooks:write",
        ]

    def test_a_live_key_cannot_be_restricted_to_a_sandbox_only_scope(self, partner):
        from apps.partners.services import InvalidScopes, api_key_create

        live = LiveEnvironmentFactory(partner=partner)

        with pytest.raises(InvalidScopes) as refused:
            api_key_create(environment=live, scopes=["events:read", "sandbox:write"])

        assert refused.value.errors == [
            {"field": "scopes", "code": "parameter_invalid", "message": "'sandbox:write' is for sandbox keys only."}
        ]
        assert not live.api_keys.exists()

    def test_a_live_key_stored_with_a_sandbox_only_scope_does_not_hold_it(self, partner, client_for):
        from apps.partners.models import ApiKey
        from apps.partners.services import api_key_create, api_key_roll

        live = LiveEnvironmentFactory(partner=partner)
        issued = api_key_create(environment=live, scopes=["events:read"])
        # As a live key restricted before live keys refused sandbox-only scopes was stored.
        ApiKey.objects.filter(pk=issued.api_key.pk).update(scopes=["events:read", "sandbox:write"])

        body = client_for(issued.secret).get("/v1/partner").json()
        rolled = api_key_roll(api_key=issued.api_key, grace=timedelta(0), created_by=None)

        assert body["credential"]["scopes"] == ["events:read"]
        assert rolled.api_key.scopes == ["events:read"]

    def test_a_restricted_key_shows_only_its_scopes(self, sandbox, client_for):
        from apps.partners.services import api_key_create

        issued = api_key_create(environment=sandbox, scopes=["events:read"])

        body = client_for(issued.secret).get("/v1/partner").json()

        assert body["credential"]["scopes"] == ["events:read"]
