"""Each factory of ``tests/partners/factories.py`` makes a valid row with the fields tests rely on."""

import pytest

from apps.partners import keys
from apps.partners.models import ApiKey, AuditEvent, Environment, Invitation, LiveAccessRequest, Membership, RequestLog
from apps.partners.services import teams
from tests.partners.factories import (
    ApiKeyFactory,
    AuditEventFactory,
    InvitationFactory,
    LiveAccessRequestFactory,
    LiveEnvironmentFactory,
    MembershipFactory,
    PartnerFactory,
    RequestLogFactory,
    sandbox_of,
)

pytestmark = pytest.mark.django_db


class TestPartnersFactories:
    def test_a_partner_has_its_sandbox_and_no_live_environment(self):
        partner = PartnerFactory()

        assert list(Environment.objects.filter(partner=partner).values_list("kind", flat=True)) == ["sandbox"]
        assert partner.public_id.startswith("pt_")

    def test_a_live_environment_belongs_to_its_partner_with_the_real_clock(self):
        live = LiveEnvironmentFactory()

        stored = Environment.objects.get(pk=live.pk)
        assert (stored.kind, stored.clock_offset.total_seconds()) == ("live", 0)
        assert sandbox_of(stored.partner).pk != stored.pk

    def test_a_membership_makes_the_user_an_owner_by_default(self):
        membership = MembershipFactory()

        assert Membership.objects.get(pk=membership.pk).role == "owner"

    def test_an_api_key_stores_only_the_digest_of_the_secret_it_carries(self):
        api_key = ApiKeyFactory()

        stored = ApiKey.objects.get(pk=api_key.pk)
        assert api_key.secret.startswith("cw_sk_sandbox_")
        assert api_key.secret not in (stored.digest, stored.redacted)
        assert stored.digest == keys.digest(api_key.secret)
        assert (stored.partner_id, stored.environment.kind) == (stored.environment.partner_id, "sandbox")

    def test_an_invitation_is_open_and_found_by_the_token_it_carries(self):
        invitation = InvitationFactory()

        stored = Invitation.objects.get(pk=invitation.pk)
        assert (stored.role, stored.accepted_at, stored.revoked_at) == ("developer", None, None)
        assert teams.invitation_get_by_token(token=invitation.token).pk == stored.pk
        assert Membership.objects.get(partner=stored.partner, user=stored.invited_by).role == "owner"

    def test_a_live_access_request_is_pending_and_made_by_the_owner(self):
        request = LiveAccessRequestFactory()

        stored = LiveAccessRequest.objects.get(pk=request.pk)
        assert stored.status == "pending"
        assert Membership.objects.get(partner=stored.partner, user=stored.requested_by).role == "owner"

    def test_an_audit_event_names_its_actor_by_e_mail(self):
        event = AuditEventFactory()

        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.action, stored.actor_email) == ("api_key.created", event.actor.email)
        assert stored.public_id.startswith("aud_")

    def test_a_request_log_is_readable_where_the_router_keeps_it(self):
        log = RequestLogFactory()

        stored = RequestLog.objects.get(pk=log.pk)
        assert (stored.method, stored.path, stored.status) == ("GET", "/v1/events", 200)
