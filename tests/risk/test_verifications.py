"""KYC verification of wallet holders (docs/risk.md, "KYC verification"): the sandbox's magic document numbers,
the tier an approval grants taking effect on the next transfer, the event, idempotency, refusals that write
nothing, and a live verification waiting for the bank."""

from datetime import date

import pytest

from apps.events.models import Event
from apps.partners.services import api_key_create
from apps.risk.models import KycVerification
from apps.risk.verifications import VerificationRequest, verification_create
from sandbox.seed import seed_sandbox
from tests.helpers import assert_problem, post_transfer
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory
from tests.transfers.factories import api_key_principal, fresh_reference_tables
from tests.wallets.factories import make_holder

pytestmark = pytest.mark.django_db
PASSPORT = {"document_type": "passport", "country": "GB", "document_number": "5333 84821"}


def url(holder_id: str) -> str:
    return f"/v1/wallet_holders/{holder_id}/verifications"


def verify(client, holder_id: str, body: dict, **headers):
    return client.post(url(holder_id), body, format="json", **headers)


class TestSandboxOutcomes:
    def test_user_unverified_is_approved_to_full_and_its_next_transfer_gets_the_full_limit(
        self, partner, sandbox_client
    ):
        with fresh_reference_tables(seed=True):
            report = seed_sandbox(partner=partner, holders=0, anchor=date(2025, 6, 15))
            personas = {p["username"].split("@")[0]: p for p in report.personas}
            unverified = personas["user_unverified"]
            usd = {k: next(w["id"] for w in p["wallets"] if w["currency"] == "USD") for k, p in personas.items()}
            body = {"type": "p2p", "source": usd["user_unverified"], "destination": usd["user_good"]}
            body |= {"amount": 60_000, "currency": "USD"}
            assert_problem(post_transfer(sandbox_client, body, key="before"), 422, "limit_exceeded")

            response = verify(sandbox_client, unverified["holder"], PASSPORT)

            assert response.status_code == 201, response.content
            verification = response.json()
            assert (verification["status"], verification["tier"], verification["document_last4"]) == (
                "approved",
                "full",
                "4821",
            )
            assert verification["decided_at"] is not None and verification["failure_code"] is None
            holder = sandbox_client.get(f"/v1/wallet_holders/{unverified['holder']}").json()
            assert holder["kyc_tier"] == "full"
            after = post_transfer(sandbox_client, body, key="after")
            assert after.status_code == 201, after.content

    def test_a_number_ending_0001_is_rejected_and_the_tier_stays(self, partner, sandbox_client):
        holder = make_holder(partner=partner, kyc_tier="unverified")

        response = verify(sandbox_client, holder.public_id, {**PASSPORT, "document_number": "AB120001"})

        assert response.status_code == 201, response.content
        assert (response.json()["status"], response.json()["failure_code"]) == ("rejected", "document_rejected")
        holder.refresh_from_db()
        assert holder.kyc_tier == "unverified"

    def test_a_number_ending_0002_needs_review_undecided(self, partner, sandbox_client):
        holder = make_holder(partner=partner, kyc_tier="unverified")

        response = verify(
            sandbox_client, holder.public_id, {**PASSPORT, "document_number": "AB120002", "tier": "basic"}
        )

        assert response.status_code == 201, response.content
        assert (response.json()["status"], response.json()["decided_at"]) == ("needs_review", None)
        holder.refresh_from_db()
        assert holder.kyc_tier == "unverified"

    def test_basic_approval_raises_unverified_to_basic_and_never_lowers_full(self, partner, sandbox_client):
        low, high = make_holder(partner=partner, kyc_tier="unverified"), make_holder(partner=partner, kyc_tier="full")

        for holder in (low, high):
            response = verify(sandbox_client, holder.public_id, {**PASSPORT, "tier": "basic"})
            assert response.json()["status"] == "approved", response.content

        low.refresh_from_db()
        high.refresh_from_db()
        assert (low.kyc_tier, high.kyc_tier) == ("basic", "full")

    def test_each_verification_is_announced_with_its_snapshot(self, partner, sandbox_client):
        holder = make_holder(partner=partner, kyc_tier="unverified")

        created = verify(sandbox_client, holder.public_id, PASSPORT).json()

        event = Event.objects.get(type="holder.verification.updated")
        assert (event.object_id, event.data["object"]["status"]) == (created["id"], "approved")


class TestReads:
    def test_retrieve_and_list_newest_first_and_another_holders_is_a_404(self, partner, sandbox_client):
        holder, other = make_holder(partner=partner), make_holder(partner=partner, name="Bo Other")
        first = verify(sandbox_client, holder.public_id, {**PASSPORT, "document_number": "AB120001"}).json()
        second = verify(sandbox_client, holder.public_id, PASSPORT).json()

        listed = sandbox_client.get(url(holder.public_id)).json()
        one = sandbox_client.get(f"{url(holder.public_id)}/{first['id']}")

        assert [v["id"] for v in listed["data"]] == [second["id"], first["id"]]
        assert one.status_code == 200 and one.json() == first
        assert_problem(sandbox_client.get(f"{url(other.public_id)}/{first['id']}"), 404, "resource_missing")
        assert_problem(sandbox_client.get(url(holder.public_id) + "?colour=red"), 400, "parameter_unknown")


class TestIdempotency:
    def test_a_repeated_key_replays_the_first_answer_and_writes_once(self, partner, sandbox_client):
        holder = make_holder(partner=partner, kyc_tier="unverified")

        first = verify(sandbox_client, holder.public_id, PASSPORT, HTTP_IDEMPOTENCY_KEY="kyc-1")
        again = verify(sandbox_client, holder.public_id, PASSPORT, HTTP_IDEMPOTENCY_KEY="kyc-1")

        assert (first.status_code, again.status_code) == (201, 201)
        assert first.json() == again.json()
        assert KycVerification.objects.count() == 1
        assert Event.objects.filter(type="holder.verification.updated").count() == 1


class TestRefusals:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"country": "GB", "document_number": "AB123456"}, "document_type"),
            ({"document_type": "passport", "document_number": "AB123456"}, "country"),
            ({"document_type": "passport", "country": "GB"}, "document_number"),
            ({**PASSPORT, "document_type": "library_card"}, "document_type"),
            ({**PASSPORT, "country": "XX"}, "country"),
            ({**PASSPORT, "country": "gb"}, "country"),
            ({**PASSPORT, "country": "GBR"}, "country"),
            ({**PASSPORT, "document_number": "12"}, "document_number"),
            ({**PASSPORT, "document_number": "AB12<script>"}, "document_number"),
            ({**PASSPORT, "document_number": "\tAB123456"}, "document_number"),
            ({**PASSPORT, "document_number": "A" * 41}, "document_number"),
            ({**PASSPORT, "tier": "unverified"}, "tier"),
            ({**PASSPORT, "selfie": "data"}, "selfie"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(self, partner, sandbox_client, body, field):
        holder = make_holder(partner=partner, kyc_tier="unverified")

        response = verify(sandbox_client, holder.public_id, body)

        problem = assert_problem(response, 400, response.json()["code"])
        assert field in {error["field"] for error in problem["errors"]}, problem
        holder.refresh_from_db()
        assert holder.kyc_tier == "unverified"
        assert not KycVerification.objects.exists() and not Event.objects.exists()

    def test_another_partners_holder_is_a_404(self, sandbox_client):
        stranger = make_holder(partner=PartnerFactory(), kyc_tier="unverified")

        assert_problem(verify(sandbox_client, stranger.public_id, PASSPORT), 404, "resource_missing")
        assert not KycVerification.objects.exists()

    def test_a_live_key_is_refused_and_writes_nothing(self, partner, client_for):
        live = LiveEnvironmentFactory(partner=partner)
        holder = make_holder(environment="live", kyc_tier="unverified")
        client = client_for(api_key_create(environment=live, name="Live key").secret)

        assert_problem(verify(client, holder.public_id, PASSPORT), 403, "insufficient_scope")
        assert not KycVerification.objects.exists()


class TestLive:
    def test_a_live_verification_waits_for_the_bank_whatever_the_number(self, partner):
        live = LiveEnvironmentFactory(partner=partner)
        holder = make_holder(environment="live", kyc_tier="unverified")

        verification = verification_create(
            principal=api_key_principal(environment=live),
            holder=holder,
            request=VerificationRequest(document_type="passport", country="GB", document_number="AB120001"),
        )

        assert (verification.status, verification.decided_at, verification.failure_code) == ("pending", None, "")
        holder.refresh_from_db()
        assert holder.kyc_tier == "unverified"
        assert Event.objects.get(type="holder.verification.updated").data["object"]["status"] == "pending"
