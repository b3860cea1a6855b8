"""The staff's decisions on a case: four-eyes for freezes and unfreezes (in the service and in the database),
clearing (held transfers released; a frozen holder's clearance waits for a second person), information
requests, closing, reports, verifications decided by the bank, and every decision in the audit trail."""

import pytest
from django.db import IntegrityError, transaction

from apps.compliance import services
from apps.compliance.services import CaseDecisionRefused, FourEyesRequired
from apps.core import clock
from apps.events.models import Event
from apps.partners.models import AuditEvent
from apps.risk.models import Case, CaseProposal, KycVerification
from apps.risk.verifications import VerificationRequest, verification_create
from tests.core.factories import UserFactory
from tests.risk.factories import AlertFactory
from tests.transfers.factories import api_key_principal
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db


def trail(case: Case) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(target_id=case.public_id, partner__isnull=True)
        .order_by("pk")
        .values_list("action", "actor_email")
    )


@pytest.fixture
def case(partner):
    holder = make_holder(partner=partner)
    make_wallet(holder=holder, balance=1_000)
    return AlertFactory(holder=holder).case


def wallet_of(case: Case):
    return case.holder.wallets.get()


class TestFourEyes:
    def test_the_proposer_cannot_approve_a_wallet_freeze(self, case, staff):
        wallet = wallet_of(case)
        proposal = services.proposal_create(
            case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason="Funds at risk"
        )

        with pytest.raises(FourEyesRequired):
            services.proposal_decide(proposal=proposal, staff=staff, approve=True)
        with pytest.raises(FourEyesRequired):
            services.proposal_decide(proposal=proposal, staff=staff, approve=False)

        wallet.refresh_from_db()
        proposal.refresh_from_db()
        assert (wallet.status, proposal.status, proposal.decided_by) == ("active", "pending", None)

    def test_another_staff_member_approves_and_the_wallet_freezes(self, case, staff, approver):
        wallet = wallet_of(case)
        proposal = services.proposal_create(
            case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason="Funds at risk"
        )
        wallet.refresh_from_db()
        assert wallet.status == "active"  # nothing happens on the proposal alone

        decided = services.proposal_decide(proposal=proposal, staff=approver, approve=True)

        wallet.refresh_from_db()
        assert (wallet.status, decided.status, decided.decided_by) == ("frozen", "approved", approver)
        assert [action for action, _ in trail(case)] == ["case.proposal_created", "case.proposal_approved"]
        assert trail(case)[-1][1] == "approver@bank.test"

    def test_unfreezing_a_wallet_takes_two_people_too(self, case, staff, approver):
        wallet = wallet_of(case)
        freeze = services.proposal_create(
            case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason="r"
        )
        services.proposal_decide(proposal=freeze, staff=approver, approve=True)
        unfreeze = services.proposal_create(
            case=case, staff=approver, action="unfreeze_wallet", wallet=wallet.public_id, reason="Explained"
        )

        with pytest.raises(FourEyesRequired):
            services.proposal_decide(proposal=unfreeze, staff=approver, approve=True)
        services.proposal_decide(proposal=unfreeze, staff=staff, approve=True)

        wallet.refresh_from_db()
        assert wallet.status == "active"

    def test_a_rejected_proposal_changes_nothing_and_cannot_be_decided_again(self, case, staff, approver):
        wallet = wallet_of(case)
        proposal = services.proposal_create(
            case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason="r"
        )

        services.proposal_decide(proposal=proposal, staff=approver, approve=False)

        wallet.refresh_from_db()
        assert wallet.status == "active"
        with pytest.raises(CaseDecisionRefused):
            services.proposal_decide(proposal=proposal, staff=UserFactory(is_staff=True), approve=True)

    def test_the_database_refuses_a_decider_who_is_the_proposer(self, case, staff):
        proposal = services.proposal_create(
            case=case, staff=staff, action="freeze_wallet", wallet=wallet_of(case).public_id, reason="r"
        )

        with pytest.raises(IntegrityError), transaction.atomic():
            CaseProposal.objects.filter(pk=proposal.pk).update(
                status="approved", decided_by=staff, decided_at=clock.now()
            )

    def test_a_second_identical_proposal_and_a_stranger_wallet_are_refused(self, case, staff, partner):
        wallet = wallet_of(case)
        services.proposal_create(case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason="r")
        stranger = make_wallet(holder=make_holder(partner=partner, name="Grace Hopper"))

        with pytest.raises(CaseDecisionRefused):
            services.proposal_create(
                case=case, staff=staff, action="freeze_wallet", wallet=wallet.public_id, reason="r"
            )
        with pytest.raises(CaseDecisionRefused):
            services.proposal_create(
                case=case, staff=staff, action="freeze_wallet", wallet=stranger.public_id, reason="r"
            )
        with pytest.raises(CaseDecisionRefused):  # the holder is not frozen
            services.proposal_create(case=case, staff=staff, action="unfreeze_holder", reason="r")


class TestClear:
    def test_clearing_releases_the_held_transfer_and_closes_the_case(self, held, staff):
        cleared = services.case_clear(case=held.case, staff=staff, note="Different person: date of birth differs")

        held.transfer.refresh_from_db()
        assert isinstance(cleared, Case)
        assert (cleared.status, cleared.closed_at is not None) == ("cleared", True)
        assert held.transfer.status == "succeeded"
        assert [a for a, _ in trail(held.case)] == ["case.cleared"]
        assert held.case.notes.get().body == "Different person: date of birth differs"

    def test_clearing_a_frozen_holder_waits_for_a_second_person(self, partner, staff, approver):
        holder = make_holder(partner=partner, name="Ofac Testname")  # frozen at creation, case opened
        case = Case.objects.get(holder=holder)

        proposal = services.case_clear(case=case, staff=staff, note="Not the listed person")

        assert isinstance(proposal, CaseProposal) and proposal.action == "unfreeze_holder"
        case.refresh_from_db()
        holder.refresh_from_db()
        assert (case.status, holder.status) == ("open", "frozen")
        with pytest.raises(FourEyesRequired):
            services.proposal_decide(proposal=proposal, staff=staff, approve=True)

        services.proposal_decide(proposal=proposal, staff=approver, approve=True)

        case.refresh_from_db()
        holder.refresh_from_db()
        assert (case.status, holder.status) == ("cleared", "active")

    def test_a_closed_case_takes_no_decision(self, case, staff):
        services.case_close(case=case, staff=staff, note="Duplicate of another case")

        for decide in (services.case_clear, services.case_close, services.case_request_info):
            with pytest.raises(CaseDecisionRefused):
                decide(case=case, staff=staff, note="again")
        with pytest.raises(CaseDecisionRefused):
            services.case_report_file(case=case, staff=staff, narrative="late")


class TestOtherDecisions:
    def test_requesting_information_keeps_the_case_open(self, case, staff):
        services.case_request_info(case=case, staff=staff, note="Asked the partner for the source of funds")

        case.refresh_from_db()
        assert case.status == "info_requested" and case.is_open
        assert AlertFactory(holder=case.holder).case_id == case.pk  # new alerts still join it

    def test_assigning_to_a_non_staff_user_is_refused(self, case, staff, user):
        with pytest.raises(CaseDecisionRefused):
            services.case_assign(case=case, staff=staff, assignee=user)

        assert services.case_assign(case=case, staff=staff, assignee=staff).assignee == staff

    def test_rejecting_a_held_transfer_gives_the_money_back(self, held, staff):
        services.case_transfer_reject(case=held.case, staff=staff, transfer_id=held.transfer.public_id)

        held.transfer.refresh_from_db()
        assert (held.transfer.status, held.transfer.failure_code) == ("failed", "review_rejected")
        with pytest.raises(CaseDecisionRefused):
            services.case_transfer_reject(case=held.case, staff=staff, transfer_id="tr_notinthiscase")


class TestReport:
    def test_filing_freezes_the_document_and_closes_the_case(self, held, staff):
        services.case_note_add(case=held.case, staff=staff, body="Counterparty matches the listed entry")

        report = services.case_report_file(case=held.case, staff=staff, narrative="Payment to a listed person")

        held.case.refresh_from_db()
        assert held.case.status == "reported" and report.public_id.startswith("sar_")
        document = report.report
        assert (document["id"], document["decision"], document["narrative"]) == (
            report.public_id,
            "reported",
            "Payment to a listed person",
        )
        assert document["filed_by"]["email"] == "reviewer@bank.test"
        assert document["subject"]["holder"] == held.payer.holder.public_id
        assert document["subject"]["name"] == "Ada Lovelace"
        assert document["case"]["id"] == held.case.public_id
        assert [a["kind"] for a in document["alerts"]] == ["sanctions_transfer"]
        assert [t["id"] for t in document["transfers"]] == [held.transfer.public_id]
        hit = document["screening_hits"][0]
        assert (hit["matched_name"], hit["list"], hit["list_date"]) == ("PERSON, Sanctioned", "sandbox", "2026-12-01")
        assert [n["body"] for n in document["notes"]] == ["Counterparty matches the listed entry"]


class TestVerificationDecisions:
    def test_approving_a_sandbox_verification_under_review_raises_the_tier_and_tells_the_partner(
        self, partner, principal, staff
    ):
        holder = make_holder(partner=partner, kyc_tier="unverified")
        request = VerificationRequest(document_type="passport", country="GB", document_number="12340002")
        verification = verification_create(principal=principal, holder=holder, request=request)
        case = Case.objects.get(holder=holder)

        services.case_verification_decide(case=case, staff=staff, verification_id=verification.public_id, approve=True)

        holder.refresh_from_db()
        verification.refresh_from_db()
        assert (verification.status, holder.kyc_tier) == ("approved", "full")
        events = Event.objects.filter(object_id=verification.public_id).order_by("pk")
        assert [e.data["object"]["status"] for e in events] == ["needs_review", "approved"]
        assert events[1].environment_id == events[0].environment_id
        assert "case" not in str(events[1].data)
        with pytest.raises(Exception, match="already approved"):
            services.case_verification_decide(
                case=case, staff=staff, verification_id=verification.public_id, approve=False
            )

    def test_rejecting_a_live_verification_keeps_the_tier(self, partner, staff):
        from tests.partners.factories import LiveEnvironmentFactory

        live = LiveEnvironmentFactory(partner=partner)
        holder = make_holder(environment="live", kyc_tier="unverified")
        request = VerificationRequest(document_type="passport", country="GB", document_number="12345678")
        verification = verification_create(
            principal=api_key_principal(environment=live), holder=holder, request=request
        )

        decided = services.case_verification_decide(
            case=Case.objects.get(holder=holder), staff=staff, verification_id=verification.public_id, approve=False
        )

        holder.refresh_from_db()
        assert (decided.status, decided.failure_code, holder.kyc_tier) == ("rejected", "review_rejected", "unverified")
        assert KycVerification.objects.get().decided_at is not None


class TestFactories:
    def test_each_case_model_has_a_factory_made_by_the_services(self):
        from tests.risk.factories import CaseNoteFactory, CaseProposalFactory, SuspiciousActivityReportFactory

        assert CaseNoteFactory().case.notes.count() == 1
        assert CaseProposalFactory().status == "pending"
        assert SuspiciousActivityReportFactory().case.status == "reported"
