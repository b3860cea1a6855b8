"""The consent's creation lifecycle: ``consent_create`` -> ``consent_authorize`` | ``consent_reject``, the
history each step writes, the ``consent.granted`` event, the mandates, and the shapes of the snapshots."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.errors import InvalidStateTransition
from apps.events.models import Event
from apps.oauth_clients import authorization_details
from apps.oauth_clients.models import Consent, Mandate
from apps.oauth_clients.services.authorization import (
    ConsentInvalid,
    consent_authorize,
    consent_create,
    consent_reject,
)
from apps.oauth_clients.services.lifecycle import consent_transition
from apps.oauth_clients.snapshots import consent_snapshot
from tests.oauth_clients.factories import ApplicationFactory, ConsentFactory, MandateFactory
from tests.partners.factories import PartnerFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    return ApplicationFactory(allowed_scopes=["accounts:read", "balances:read", "transfers:write"])


@pytest.fixture
def holder(app):
    holder = make_holder(partner=app.partner)
    make_wallet(holder=holder, currency="USD")
    make_wallet(holder=holder, currency="EUR")
    return holder


def history(consent):
    return [(c.previous_status, c.status, c.actor) for c in consent.status_changes.all()]


class TestConsentCreate:
    def test_a_new_consent_awaits_the_holder_and_expires_by_default_after_90_days(self, app, holder):
        consent = consent_create(application=app, holder=holder, scopes=["balances:read", "accounts:read"])

        assert consent.status == "awaiting_authorization"
        assert consent.scopes == ["accounts:read", "balances:read"]
        assert timedelta(days=89, hours=23) < consent.expires_at - timezone.now() <= timedelta(days=90)
        assert history(consent) == [("", "awaiting_authorization", "holder")]

    def test_another_partners_sandbox_holder_cannot_be_asked(self, app):
        stranger = make_holder(partner=PartnerFactory())

        with pytest.raises(ConsentInvalid):
            consent_create(application=app, holder=stranger, scopes=["accounts:read"])
        assert not Consent.objects.exists()

    def test_a_live_holder_cannot_be_asked_by_a_sandbox_app(self, app):
        with pytest.raises(ConsentInvalid):
            consent_create(application=app, holder=make_holder(environment="live"), scopes=["accounts:read"])


class TestConsentAuthorize:
    def test_approval_shares_the_chosen_wallets_and_records_the_event_and_history(self, app, holder):
        usd = holder.wallets.get(currency="USD")
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read", "balances:read"])

        consent = consent_authorize(consent=consent, wallet_ids=[usd.public_id], scopes=["accounts:read"])

        consent.refresh_from_db()
        assert consent.status == "authorized"
        assert consent.authorized_at is not None
        assert consent.scopes == ["accounts:read"]
        assert [w.public_id for w in consent.wallets.all()] == [usd.public_id]
        assert history(consent)[-1] == ("awaiting_authorization", "authorized", "holder")
        event = Event.objects.get(type="consent.granted")
        assert event.object_id == consent.public_id
        assert event.data["object"] == consent_snapshot(consent)

    @pytest.mark.parametrize("wallet_ids", [[], ["wal_nosuchwallet"]])
    def test_approval_needs_at_least_one_of_the_holders_own_wallets(self, app, holder, wallet_ids):
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read"])

        with pytest.raises(ConsentInvalid) as raised:
            consent_authorize(consent=consent, wallet_ids=wallet_ids)

        assert raised.value.errors[0]["field"] == "wallets"
        consent.refresh_from_db()
        assert consent.status == "awaiting_authorization"
        assert not Event.objects.exists()

    def test_another_holders_wallet_cannot_be_shared(self, app, holder):
        other = make_wallet(holder=make_holder(partner=app.partner))
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read"])

        with pytest.raises(ConsentInvalid):
            consent_authorize(consent=consent, wallet_ids=[other.public_id])

    def test_scopes_beyond_the_request_cannot_be_granted(self, app, holder):
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read"])

        with pytest.raises(ConsentInvalid) as raised:
            consent_authorize(
                consent=consent, wallet_ids=[holder.wallets.first().public_id], scopes=["transfers:write"]
            )
        assert raised.value.errors[0]["code"] == "not_requested"

    def test_mandates_are_written_on_approval(self, app, holder):
        payee = make_wallet(holder=make_holder(partner=app.partner, name="Grace Hopper"))
        specs = authorization_details.parse(
            [
                {"type": "payment", "payee": payee.public_id, "amount": 1250, "currency": "USD"},
                {"type": "mandate", "currency": "USD", "max_per_payment": 5000, "max_per_period": 20000,
                 "period": "week", "step_up_threshold": 3000},
            ]
        )  # fmt: skip
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read", "transfers:write"])

        consent = consent_authorize(consent=consent, wallet_ids=[holder.wallets.first().public_id], mandates=specs)

        single, standing = consent.mandates.order_by("pk")
        assert (single.kind, single.payee, single.amount) == ("single_payment", payee.public_id, 1250)
        assert single.payee_name == "Grace Hopper (USD wallet)"
        assert (standing.kind, standing.payee, standing.max_per_period, standing.period) == (
            "standing",
            "",
            20000,
            "week",
        )
        assert standing.step_up_threshold == 3000
        assert [m["id"] for m in consent_snapshot(consent)["mandates"]] == [single.public_id, standing.public_id]

    def test_a_payee_that_does_not_exist_refuses_the_whole_approval(self, app, holder):
        specs = authorization_details.parse('[{"type":"payment","payee":"wal_missing","amount":5,"currency":"USD"}]')
        consent = consent_create(application=app, holder=holder, scopes=["transfers:write"])

        with pytest.raises(ConsentInvalid):
            consent_authorize(consent=consent, wallet_ids=[holder.wallets.first().public_id], mandates=specs)

        assert not Mandate.objects.exists()
        consent.refresh_from_db()
        assert consent.status == "awaiting_authorization"

    def test_payments_need_the_transfers_write_scope(self, app, holder):
        specs = authorization_details.parse(
            [{"type": "mandate", "currency": "USD", "max_per_payment": 5, "max_per_period": 10, "period": "day"}]
        )
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read"])

        with pytest.raises(ConsentInvalid) as raised:
            consent_authorize(consent=consent, wallet_ids=[holder.wallets.first().public_id], mandates=specs)
        assert raised.value.errors[0]["code"] == "transfers_write_required"

    def test_an_answered_consent_cannot_be_approved_again(self, app, holder):
        consent = consent_create(application=app, holder=holder, scopes=["accounts:read"])
        consent_reject(consent=consent)

        with pytest.raises(InvalidStateTransition):
            consent_authorize(consent=consent, wallet_ids=[holder.wallets.first().public_id])


class TestConsentReject:
    def test_refusal_is_rejected_with_its_history_and_no_event(self, app, holder):
        consent = consent_reject(consent=consent_create(application=app, holder=holder, scopes=["accounts:read"]))

        assert consent.status == "rejected"
        assert history(consent)[-1] == ("awaiting_authorization", "rejected", "holder")
        assert not Event.objects.exists()


class TestConsentTransition:
    @pytest.mark.parametrize(
        ("start", "to"),
        [
            ("authorized", "awaiting_authorization"),
            ("revoked", "authorized"),
            ("expired", "revoked"),
            ("rejected", "authorized"),
        ],
    )
    def test_moves_outside_the_table_are_refused(self, start, to):
        consent = ConsentFactory()
        Consent.objects.filter(pk=consent.pk).update(status=start)
        consent.refresh_from_db()

        with pytest.raises(InvalidStateTransition):
            consent_transition(consent, to, actor="bank", now=timezone.now())
        consent.refresh_from_db()
        assert consent.status == start

    def test_revocation_records_when_and_by_whom(self):
        consent = ConsentFactory()
        now = timezone.now()

        consent_transition(consent, "revoked", reason="holder_revoked", actor="partner", now=now)

        consent.refresh_from_db()
        assert (consent.status, consent.revoked_at, consent.revoked_by) == ("revoked", now, "partner")
        assert consent.status_changes.last().reason == "holder_revoked"


class TestSnapshots:
    def test_the_consent_snapshot_has_the_documented_shape(self):
        mandate = MandateFactory()
        snapshot = consent_snapshot(mandate.consent)

        assert snapshot["object"] == "consent"
        assert snapshot["id"].startswith("cons_")
        assert snapshot["application"] == mandate.consent.application.client_id
        assert snapshot["holder"].startswith("ph_")
        assert all(w.startswith("wal_") for w in snapshot["wallets"]) and snapshot["wallets"]
        assert snapshot["environment"] == "sandbox"
        assert snapshot["mandates"][0]["object"] == "mandate"
        assert snapshot["mandates"][0]["kind"] == "standing"
        assert {"expires_at", "created_at", "status", "scopes"} <= snapshot.keys()


class TestAuthorizationDetails:
    @pytest.mark.parametrize(
        "raw",
        [
            "not json",
            "[]",
            '{"type": "payment"}',
            '[{"type": "refund"}]',
            '[{"type": "payment", "payee": "wal_x", "amount": 0, "currency": "USD"}]',
            '[{"type": "payment", "payee": "acct_x", "amount": 10, "currency": "USD"}]',
            '[{"type": "payment", "payee": "wal_x", "amount": 10, "currency": "XXX"}]',
            '[{"type": "payment", "payee": "wal_x", "amount": 10.5, "currency": "USD"}]',
            '[{"type": "payment", "amount": 10, "currency": "USD"}]',
            '[{"type": "mandate", "currency": "USD", "max_per_payment": 50, "max_per_period": 10, "period": "day"}]',
            '[{"type": "mandate", "currency": "USD", "max_per_payment": 5, "max_per_period": 10, "period": "year"}]',
            '[{"type": "mandate", "currency": "USD", "max_per_payment": 5, "max_per_period": 10, "period": "day",'
            ' "expires_at": "2001-01-01T00:00:00Z"}]',
            '[{"type": "mandate", "currency": "USD", "max_per_payment": 5, "max_per_period": 10, "period": "day",'
            ' "surprise": 1}]',
        ],
    )
    def test_bad_requests_are_refused_with_their_problems(self, raw):
        with pytest.raises(authorization_details.DetailsInvalid) as raised:
            authorization_details.parse(raw)
        assert raised.value.problems

    def test_a_mandate_reads_in_plain_words(self):
        (spec,) = authorization_details.parse(
            '[{"type": "mandate", "currency": "USD", "max_per_payment": 5000, "max_per_period": 20000,'
            ' "period": "month", "step_up_threshold": 2500}]'
        )
        assert spec.describe() == (
            "Make payments to any payee: at most 50.00 USD each and 200.00 USD per month; "
            "payments above 25.00 USD need your approval each time"
        )
