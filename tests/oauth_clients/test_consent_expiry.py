"""A consent's end on the clock: ``consent.expiring`` once, a week before; at ``expires_at`` the beat task expires
it (``consent.expired``, tokens revoked), each judged on the environment's clock so the sandbox clock drives
them. Revocation by the holder and by the bank."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.events.models import Event
from apps.oauth_clients.models import AccessToken, Consent
from apps.oauth_clients.services.consents import consent_revoke
from apps.oauth_clients.snapshots import consent_snapshot
from apps.oauth_clients.tasks import expire_consents, notify_expiring_consents
from tests.helpers import reread
from tests.oauth_clients.factories import AccessTokenFactory, ApplicationFactory, ConsentFactory
from tests.partners.factories import LiveEnvironmentFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


def consent_in(environment, *, expires_in: timedelta):
    holder = make_holder(
        partner=environment.partner if environment.kind == "sandbox" else None, environment=environment.kind
    )
    consent = ConsentFactory(
        application=ApplicationFactory(environment=environment), holder=holder, wallets=[make_wallet(holder=holder)]
    )
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() + expires_in)
    return reread(consent)


def advance(environment, by: timedelta) -> None:
    environment.clock_offset += by
    environment.save(update_fields=["clock_offset"])


def events(kind: str) -> list[Event]:
    return list(Event.objects.filter(type=kind).order_by("pk"))


class TestExpiring:
    def test_the_notice_goes_out_once_a_week_before(self, sandbox):
        soon = consent_in(sandbox, expires_in=timedelta(days=6))
        later = consent_in(sandbox, expires_in=timedelta(days=8))

        assert notify_expiring_consents() == 1
        assert notify_expiring_consents() == 0
        [event] = events("consent.expiring")
        assert event.data["object"] == consent_snapshot(reread(soon))
        assert reread(later).expiring_notified_at is None

        # Two days later on the sandbox clock, the other one is within the week.
        advance(sandbox, timedelta(days=2))
        assert notify_expiring_consents() == 1
        assert [e.data["object"]["id"] for e in events("consent.expiring")] == [soon.public_id, later.public_id]

    def test_a_revoked_consent_gets_no_notice(self, sandbox):
        consent = consent_in(sandbox, expires_in=timedelta(days=3))
        consent_revoke(consent=consent, actor="holder")

        assert notify_expiring_consents() == 0


class TestExpiry:
    def test_the_sandbox_clock_expires_a_consent_and_its_tokens(self, sandbox):
        consent = consent_in(sandbox, expires_in=timedelta(days=1))
        AccessTokenFactory(application=consent.application, consent=consent)
        assert expire_consents() == 0

        advance(sandbox, timedelta(days=1, seconds=1))

        assert expire_consents() == 1
        assert expire_consents() == 0
        consent = reread(consent)
        assert consent.status == "expired"
        assert not AccessToken.objects.filter(consent=consent).exists()
        [event] = events("consent.expired")
        assert event.data["object"]["status"] == "expired"
        assert event.data["previous_attributes"] == {"status": "authorized"}
        assert consent.status_changes.last().actor == "system"

    def test_a_sandbox_clock_does_not_move_live_consents(self, partner, sandbox):
        live = LiveEnvironmentFactory(partner=partner)
        live_consent = consent_in(live, expires_in=timedelta(days=1))
        sandbox_consent = consent_in(sandbox, expires_in=timedelta(days=1))
        advance(sandbox, timedelta(days=2))

        assert expire_consents() == 1
        assert (reread(sandbox_consent).status, reread(live_consent).status) == ("expired", "authorized")

    def test_a_batch_is_bounded_and_the_next_run_takes_the_rest(self, sandbox):
        for _ in range(3):
            consent_in(sandbox, expires_in=timedelta(seconds=-1))

        assert expire_consents(batch_size=2) == 2
        assert expire_consents(batch_size=2) == 1


class TestRevokers:
    @pytest.mark.parametrize("actor", ["holder", "bank"])
    def test_the_holder_and_the_bank_revoke(self, sandbox, actor):
        consent = consent_in(sandbox, expires_in=timedelta(days=30))

        revoked = consent_revoke(consent=consent, actor=actor)

        assert (revoked.status, revoked.revoked_by) == ("revoked", actor)
        assert events("consent.revoked")[0].data["object"]["revoked_by"] == actor

    def test_no_one_else_revokes(self, sandbox):
        consent = consent_in(sandbox, expires_in=timedelta(days=30))

        with pytest.raises(ValueError):
            consent_revoke(consent=consent, actor="system")
        assert reread(consent).status == "authorized"

    def test_staff_revoke_from_the_admin(self, sandbox, admin_client):
        consent = consent_in(sandbox, expires_in=timedelta(days=30))

        response = admin_client.post(
            "/admin/oauth_clients/consent/",
            {"action": "revoke_for_bank", "_selected_action": [consent.pk]},
            follow=True,
        )

        assert response.status_code == 200
        assert (reread(consent).status, reread(consent).revoked_by) == ("revoked", "bank")
        assert b"Revoked 1 consent" in response.content
