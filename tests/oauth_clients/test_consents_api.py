"""``/v1/consents``: a partner lists, reads and revokes the consents its apps were given, in its own environment
only; revoking ends every token of the consent and records ``consent.revoked`` with the consent as its object."""

import pytest

from apps.events.models import Event
from apps.oauth_clients.models import AccessToken, Consent, RefreshToken
from apps.oauth_clients.serializers import ConsentSerializer, MandateSerializer
from apps.oauth_clients.tokens import new_access_token
from apps.partners.services import api_key_create
from tests.helpers import assert_problem, reread
from tests.oauth_clients.factories import (
    AccessTokenFactory,
    ApplicationFactory,
    ConsentFactory,
    MandateFactory,
    RefreshTokenFactory,
)
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory, sandbox_of
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

URL = "/v1/consents"


def consent_of(environment, **kwargs):
    app = ApplicationFactory(environment=environment, allowed_scopes=["accounts:read", "transfers:write"])
    holder = make_holder(
        partner=environment.partner if environment.kind == "sandbox" else None, environment=environment.kind
    )
    return ConsentFactory(application=app, holder=holder, wallets=[make_wallet(holder=holder)], **kwargs)


@pytest.fixture
def consent(sandbox):
    consent = consent_of(sandbox)
    MandateFactory(consent=consent)
    return consent


def revoke(client, consent, **headers):
    return client.post(f"{URL}/{consent.public_id}/revoke", format="json", **headers)


class TestRead:
    def test_the_list_pages_newest_first_and_filters(self, sandbox, sandbox_client, consent):
        older = consent
        newer = consent_of(sandbox)
        pending = consent_of(sandbox, status="awaiting_authorization")

        first = sandbox_client.get(URL, {"limit": 2}).json()
        assert [c["id"] for c in first["data"]] == [pending.public_id, newer.public_id]
        assert (first["has_more"], first["next_cursor"]) == (True, newer.public_id)
        second = sandbox_client.get(URL, {"limit": 2, "starting_after": newer.public_id}).json()
        assert [c["id"] for c in second["data"]] == [older.public_id]

        authorized = sandbox_client.get(URL, {"status": "authorized"}).json()["data"]
        assert {c["id"] for c in authorized} == {older.public_id, newer.public_id}
        mine = sandbox_client.get(URL, {"holder": older.holder.public_id}).json()["data"]
        assert [c["id"] for c in mine] == [older.public_id]

    def test_a_consent_is_returned_with_its_wallets_scopes_and_mandates(self, sandbox_client, consent):
        body = sandbox_client.get(f"{URL}/{consent.public_id}").json()

        assert (body["object"], body["status"], body["environment"]) == ("consent", "authorized", "sandbox")
        assert body["application"] == consent.application.client_id
        assert body["wallets"] == [w.public_id for w in consent.wallets.all()]
        assert [m["id"] for m in body["mandates"]] == [consent.mandates.get().public_id]
        # The OpenAPI serializers describe exactly what is sent.
        assert set(ConsentSerializer().fields) == set(body)
        assert set(MandateSerializer().fields) == set(body["mandates"][0])

    def test_bad_filters_are_400(self, sandbox_client):
        assert_problem(sandbox_client.get(URL, {"status": "happy"}), 400, "parameter_invalid")
        assert_problem(sandbox_client.get(URL, {"colour": "red"}), 400, "parameter_unknown")

    def test_another_partners_consent_does_not_exist(self, consent, client_for):
        other = client_for(api_key_create(environment=sandbox_of(PartnerFactory()), name="B").secret)

        assert other.get(URL).json()["data"] == []
        assert_problem(other.get(f"{URL}/{consent.public_id}"), 404, "resource_missing")
        assert_problem(revoke(other, consent), 404, "resource_missing")
        assert reread(consent).status == "authorized"

    def test_live_and_sandbox_see_only_their_own(self, partner, consent, sandbox_client, client_for):
        live = LiveEnvironmentFactory(partner=partner)
        live_consent = consent_of(live)
        live_client = client_for(api_key_create(environment=live, name="Live").secret)

        assert [c["id"] for c in live_client.get(URL).json()["data"]] == [live_consent.public_id]
        assert_problem(live_client.get(f"{URL}/{consent.public_id}"), 404, "resource_missing")
        assert_problem(sandbox_client.get(f"{URL}/{live_consent.public_id}"), 404, "resource_missing")
        assert live_client.get(f"{URL}/{live_consent.public_id}").json()["environment"] == "live"

    def test_a_key_without_consents_write_gets_403(self, sandbox, consent, client_for):
        client = client_for(api_key_create(environment=sandbox, name="Events", scopes=["events:read"]).secret)

        assert_problem(client.get(URL), 403, "insufficient_scope")
        assert_problem(revoke(client, consent), 403, "insufficient_scope")

    def test_no_credential_is_401(self, api_client):
        assert api_client.get(URL).status_code == 401


class TestRevoke:
    def test_revoking_ends_the_consent_and_every_token_and_records_the_event(self, sandbox_client, consent):
        access = AccessTokenFactory(application=consent.application, consent=consent)
        RefreshTokenFactory(access_token=access, consent=consent)
        other = AccessTokenFactory(application=consent.application)

        response = revoke(sandbox_client, consent, HTTP_IDEMPOTENCY_KEY="revoke-1")

        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["revoked_by"]) == ("revoked", "partner")
        assert body["revoked_at"] is not None
        assert not AccessToken.objects.filter(consent=consent).exists()
        assert AccessToken.objects.filter(pk=other.pk).exists()
        assert RefreshToken.objects.get(consent=consent).revoked is not None
        event = Event.objects.get(type="consent.revoked")
        assert event.data["object"] == body
        assert event.data["previous_attributes"] == {"status": "authorized", "revoked_at": None, "revoked_by": None}
        history = list(reread(consent).status_changes.values_list("previous_status", "status", "actor"))
        assert history[-1] == ("authorized", "revoked", "partner")

    def test_a_retry_with_the_key_replays_and_a_second_revocation_is_409(self, sandbox_client, consent):
        first = revoke(sandbox_client, consent, HTTP_IDEMPOTENCY_KEY="revoke-1")
        replay = revoke(sandbox_client, consent, HTTP_IDEMPOTENCY_KEY="revoke-1")

        assert replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json() == first.json()
        assert_problem(revoke(sandbox_client, consent), 409, "invalid_state_transition")
        assert Event.objects.filter(type="consent.revoked").count() == 1

    def test_a_body_is_refused(self, sandbox_client, consent):
        response = sandbox_client.post(f"{URL}/{consent.public_id}/revoke", {"reason": "x"}, format="json")

        assert_problem(response, 400, "parameter_unknown")
        assert reread(consent).status == Consent.Status.AUTHORIZED


class TestOAuthTokens:
    def test_a_client_credentials_token_with_consents_write_reads_and_revokes(self, sandbox, consent, client_for):
        secret = new_access_token()
        AccessTokenFactory(application=consent.application, user=None, token=secret, scope="consents:write")
        client = client_for(secret)

        assert [c["id"] for c in client.get(URL).json()["data"]] == [consent.public_id]
        assert revoke(client, consent).json()["revoked_by"] == "partner"

    def test_without_consents_write_a_token_gets_403(self, consent, client_for):
        partner_level = new_access_token()
        AccessTokenFactory(application=consent.application, user=None, token=partner_level, scope="events:read")
        holder_bound = new_access_token()
        AccessTokenFactory(application=consent.application, consent=consent, token=holder_bound, scope="accounts:read")

        for secret in (partner_level, holder_bound):
            assert_problem(client_for(secret).get(URL), 403, "insufficient_scope")
            assert_problem(revoke(client_for(secret), consent), 403, "insufficient_scope")
        assert reread(consent).status == "authorized"
