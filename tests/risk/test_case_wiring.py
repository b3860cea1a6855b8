"""What opens cases: a transfer held by a sanctions hit (``sanctions_transfer`` on its holder's case), a holder
frozen by screening at creation or after a list load (``sanctions_holder``) and a verification left for the bank
(``verification_review``); each once, whatever retries."""

import pytest

from apps.risk.models import Alert, Case, ScreeningHit
from apps.risk.verifications import VerificationRequest, verification_create
from apps.wallets.services import holder_create
from tests.helpers import post_transfer
from tests.partners.factories import LiveEnvironmentFactory
from tests.risk.test_screening import load_ofac
from tests.transfers.factories import api_key_principal, fresh_reference_tables
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tables(db):
    with fresh_reference_tables(seed=True):  # the seeded limits, and the sandbox's sanctions list
        yield


class TestSanctionsTransfer:
    def test_a_held_transfer_raises_an_alert_on_the_payers_case(self, sandbox_client, partner):
        payer = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=5_000)
        listed = make_wallet(holder=make_holder(partner=partner, name="Sanctiond Persson", kyc_tier="full"))

        body = post_transfer(
            sandbox_client,
            {"type": "p2p", "source": payer.public_id, "destination": listed.public_id, "amount": 1, "currency": "USD"},
        ).json()

        alert = Alert.objects.get(kind="sanctions_transfer")
        hits = list(ScreeningHit.objects.filter(transfer=body["id"]).values_list("pk", flat=True))
        assert alert.case.holder == payer.holder and alert.case.status == "open"
        assert alert.evidence == {"transfers": [body["id"]], "screening_hits": hits}
        assert body["id"] in alert.summary

    def test_a_transfer_that_is_not_held_opens_no_case(self, sandbox_client, partner):
        payer = make_wallet(holder=make_holder(partner=partner, name="Ada Lovelace", kyc_tier="full"), balance=5_000)
        other = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper", kyc_tier="full"))

        post_transfer(
            sandbox_client,
            {"type": "p2p", "source": payer.public_id, "destination": other.public_id, "amount": 1, "currency": "USD"},
        )

        assert not Case.objects.exists()


class TestSanctionsHolder:
    def test_a_holder_frozen_at_creation_has_a_case(self, partner):
        holder = make_holder(partner=partner, name="Ofac Testname")

        alert = Alert.objects.get(case__holder=holder)
        assert (holder.status, alert.kind) == ("frozen", "sanctions_holder")
        assert alert.evidence["screening_hits"] == [ScreeningHit.objects.get(holder=holder).pk]

    def test_a_holder_frozen_after_a_list_load_has_a_case(self):
        holder = holder_create(environment="live", partner=None, name="Bashar al-Assad")
        assert not Case.objects.exists()

        load_ofac()
        load_ofac()  # a frozen holder is not screened again, so no second alert

        case = Case.objects.get(holder=holder)
        assert (case.environment, list(case.alerts.values_list("kind", flat=True))) == ("live", ["sanctions_holder"])


class TestVerificationReview:
    PASSPORT = {"document_type": "passport", "country": "GB"}

    def test_a_sandbox_verification_needing_review_raises_an_alert(self, partner, sandbox_client):
        holder = make_holder(partner=partner, kyc_tier="unverified")

        body = sandbox_client.post(
            f"/v1/wallet_holders/{holder.public_id}/verifications",
            {**self.PASSPORT, "document_number": "12340002"},
            format="json",
        ).json()

        alert = Alert.objects.get(case__holder=holder)
        assert (body["status"], alert.kind, alert.evidence) == (
            "needs_review",
            "verification_review",
            {"verifications": [body["id"]]},
        )
        # Nothing of the case reaches the partner.
        assert "case" not in str(body) and "alr_" not in str(body)

    def test_an_approved_or_rejected_sandbox_verification_raises_none(self, partner, sandbox_client):
        holder = make_holder(partner=partner, kyc_tier="unverified")
        for number in ("12345678", "12340001"):
            sandbox_client.post(
                f"/v1/wallet_holders/{holder.public_id}/verifications",
                {**self.PASSPORT, "document_number": number},
                format="json",
            )

        assert not Case.objects.exists()

    def test_a_live_verification_pending_for_the_bank_raises_an_alert(self, partner):
        live = LiveEnvironmentFactory(partner=partner)
        holder = make_holder(environment="live", kyc_tier="unverified")

        verification = verification_create(
            principal=api_key_principal(environment=live),
            holder=holder,
            request=VerificationRequest(document_type="passport", country="GB", document_number="12345678"),
        )

        alert = Alert.objects.get(case__holder=holder)
        assert (alert.kind, alert.case.environment, alert.evidence) == (
            "verification_review",
            "live",
            {"verifications": [verification.public_id]},
        )
