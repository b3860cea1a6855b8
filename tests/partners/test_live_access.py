import re
import threading
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection

from apps.core.errors import ApplicationError
from apps.partners.models import AuditEvent, Environment, LiveAccessRequest
from apps.partners.services import live_access
from apps.partners.services.live_access import (
    COUNTRIES,
    DecisionNoteRequired,
    EmailNotVerified,
    InvalidCompanyDetails,
    InvalidStateTransition,
    LiveAccessAlreadyOpen,
    LiveAccessAlreadyRequested,
    NotOwner,
    live_access_approve,
    live_access_reject,
    live_access_request_create,
    live_access_state,
)
from tests.core.factories import UserFactory
from tests.partners.factories import COMPANY_DETAILS, MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _member(partner, role="owner", *, verified=True, email=None):
    user = UserFactory(**({"username": email, "email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    MembershipFactory(partner=partner, user=user, role=role)
    return user


@pytest.fixture
def owner_user(partner):
    return _member(partner, "owner", email="owner@acme.test")


@pytest.fixture
def pending(partner, owner_user):
    return live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)


def _live_count(partner):
    return Environment.objects.filter(partner=partner, kind="live").count()


class TestCountries:
    def test_the_list_holds_the_249_assigned_iso_3166_alpha_2_codes(self):
        assert len(COUNTRIES) == 249
        assert all(re.fullmatch(r"[A-Z]{2}", code) for code in COUNTRIES)
        assert {"GB", "US", "DE", "FR", "NG", "SG", "AX"} <= set(COUNTRIES)
        assert "UK" not in COUNTRIES and "EU" not in COUNTRIES


class TestLiveAccessRequestCreate:
    def test_the_owner_creates_a_pending_request_and_it_is_audited(self, partner, owner_user):
        live_request = live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)

        assert live_request.status == "pending"
        assert live_request.requested_by == owner_user
        assert live_request.legal_name == "Acme Pay Ltd"
        assert live_access_state(partner=partner).status == "pending"
        event = AuditEvent.objects.get(partner=partner, action="live_access.requested")
        assert event.actor == owner_user
        assert event.target_id == live_request.public_id
        assert event.metadata == {"legal_name": "Acme Pay Ltd", "country": "GB"}

    @pytest.mark.parametrize("role", ["admin", "developer", "viewer"])
    def test_a_member_who_is_not_the_owner_is_refused(self, partner, role):
        user = _member(partner, role)

        with pytest.raises(NotOwner):
            live_access_request_create(partner=partner, requested_by=user, **COMPANY_DETAILS)

        assert not LiveAccessRequest.objects.exists()

    def test_the_owner_of_another_partner_is_refused(self, partner):
        stranger = _member(PartnerFactory(), "owner")

        with pytest.raises(NotOwner):
            live_access_request_create(partner=partner, requested_by=stranger, **COMPANY_DETAILS)

    def test_an_owner_without_a_verified_email_is_refused(self, partner):
        user = _member(partner, "owner", verified=False)

        with pytest.raises(EmailNotVerified) as raised:
            live_access_request_create(partner=partner, requested_by=user, **COMPANY_DETAILS)

        assert raised.value.status == 422
        assert not LiveAccessRequest.objects.exists()
        assert not AuditEvent.objects.filter(action="live_access.requested").exists()

    def test_a_second_request_while_one_is_pending_is_refused(self, partner, owner_user, pending):
        with pytest.raises(LiveAccessAlreadyRequested) as raised:
            live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)

        assert raised.value.status == 409
        assert raised.value.code == "live_access_pending"
        assert LiveAccessRequest.objects.filter(partner=partner).count() == 1
        assert AuditEvent.objects.filter(action="live_access.requested").count() == 1

    def test_another_partner_pending_request_does_not_block_this_one(self, partner, owner_user):
        other = PartnerFactory()
        live_access_request_create(partner=other, requested_by=_member(other), **COMPANY_DETAILS)

        live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)

        assert LiveAccessRequest.objects.filter(status="pending").count() == 2

    def test_after_a_rejection_the_owner_can_request_again(self, partner, owner_user, pending, staff):
        live_access_reject(request_obj=pending, staff_user=staff, note="Website does not load.")

        again = live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)

        assert again.status == "pending"
        assert LiveAccessRequest.objects.filter(partner=partner).count() == 2

    def test_once_live_is_open_a_request_is_refused(self, partner, owner_user, pending, staff):
        live_access_approve(request_obj=pending, staff_user=staff)

        with pytest.raises(LiveAccessAlreadyOpen):
            live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)

        assert LiveAccessRequest.objects.filter(partner=partner).count() == 1

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("country", "XX"),
            ("country", "gb"),
            ("website", "http://acme.example"),
            ("website", "not a url"),
            ("use_case", "x" * 2001),
            ("legal_name", "  "),
            ("registration_number", "9" * 65),
        ],
    )
    def test_invalid_company_details_are_refused_and_nothing_is_written(self, partner, owner_user, field, value):
        with pytest.raises(InvalidCompanyDetails) as raised:
            live_access_request_create(partner=partner, requested_by=owner_user, **{**COMPANY_DETAILS, field: value})

        assert [e["field"] for e in raised.value.errors] == [field]
        assert not LiveAccessRequest.objects.exists()
        assert not AuditEvent.objects.exists()


class TestLiveAccessApprove:
    def test_approving_opens_live_records_the_decision_and_audits_it(self, partner, pending, staff):
        approved = live_access_approve(request_obj=pending, staff_user=staff, note="Welcome aboard.")

        pending.refresh_from_db()
        assert pending.status == approved.status == "approved"
        assert pending.decided_by == staff
        assert pending.decided_at is not None
        assert pending.decision_note == "Welcome aboard."
        assert _live_count(partner) == 1
        event = AuditEvent.objects.get(partner=partner, action="live_access.approved")
        assert event.actor == staff
        assert event.actor_email == "Causeway staff"  # partners see the decision, not the reviewer's address
        assert event.environment == "live"
        assert event.target_id == pending.public_id
        assert live_access_state(partner=partner).status == "approved"

    def test_approving_twice_is_refused_and_live_is_opened_exactly_once(self, partner, pending, staff):
        live_access_approve(request_obj=pending, staff_user=staff)

        with pytest.raises(InvalidStateTransition) as raised:
            live_access_approve(request_obj=pending, staff_user=staff)

        assert raised.value.status == 409
        assert raised.value.code == "invalid_state_transition"
        assert _live_count(partner) == 1
        assert AuditEvent.objects.filter(action="live_access.approved").count() == 1

    def test_a_stale_copy_of_the_request_cannot_be_approved_after_a_rejection(self, partner, pending, staff):
        stale = LiveAccessRequest.objects.get(pk=pending.pk)
        live_access_reject(request_obj=pending, staff_user=staff, note="No.")

        with pytest.raises(InvalidStateTransition):
            live_access_approve(request_obj=stale, staff_user=staff)

        assert _live_count(partner) == 0
        assert LiveAccessRequest.objects.get(pk=pending.pk).status == "rejected"

    def test_the_owners_are_emailed_after_commit_and_nobody_else(
        self, partner, pending, staff, django_capture_on_commit_callbacks
    ):
        _member(partner, "owner", email="cofounder@acme.test")
        _member(partner, "developer", email="dev@acme.test")

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            live_access_approve(request_obj=pending, staff_user=staff)
        assert mail.outbox == []  # nothing leaves before the decision commits

        for callback in callbacks:
            callback()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert sorted(message.to) == ["cofounder@acme.test", "owner@acme.test"]
        assert partner.name in message.subject
        assert "approved" in message.subject
        assert "/portal/live/" in message.body

    def test_nothing_is_emailed_when_the_approval_is_refused(
        self, partner, pending, staff, django_capture_on_commit_callbacks
    ):
        live_access_approve(request_obj=pending, staff_user=staff)

        with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidStateTransition):
            live_access_approve(request_obj=pending, staff_user=staff)

        assert mail.outbox == []


class TestLiveAccessReject:
    def test_rejecting_records_the_note_audits_and_opens_nothing(self, partner, pending, staff):
        live_access_reject(request_obj=pending, staff_user=staff, note="  We could not verify the registration.  ")

        pending.refresh_from_db()
        assert pending.status == "rejected"
        assert pending.decided_by == staff
        assert pending.decision_note == "We could not verify the registration."
        assert _live_count(partner) == 0
        event = AuditEvent.objects.get(partner=partner, action="live_access.rejected")
        assert event.actor == staff
        assert event.metadata == {"note": "We could not verify the registration."}
        state = live_access_state(partner=partner)
        assert state.status == "rejected"
        assert state.can_request

    def test_the_owners_receive_the_note_by_email(self, pending, staff, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            live_access_reject(request_obj=pending, staff_user=staff, note="Registration number & name don't match.")

        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["owner@acme.test"]
        # Plain text: the note arrives as written, not HTML-escaped.
        assert "Registration number & name don't match." in mail.outbox[0].body

    def test_a_rejection_needs_a_note(self, pending, staff):
        with pytest.raises(DecisionNoteRequired):
            live_access_reject(request_obj=pending, staff_user=staff, note="   ")

        pending.refresh_from_db()
        assert pending.status == "pending"
        assert not AuditEvent.objects.filter(action="live_access.rejected").exists()

    def test_an_approved_request_cannot_be_rejected(self, partner, pending, staff):
        live_access_approve(request_obj=pending, staff_user=staff)

        with pytest.raises(InvalidStateTransition) as raised:
            live_access_reject(request_obj=pending, staff_user=staff, note="Changed our mind.")

        assert raised.value.status == 409
        pending.refresh_from_db()
        assert pending.status == "approved"
        assert _live_count(partner) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestLiveAccessUnderConcurrency:
    def _race(self, work, count=2):
        barrier = threading.Barrier(count)
        outcomes: list[str] = []

        def run():
            try:
                barrier.wait()
                work()
                outcomes.append("done")
            except ApplicationError as error:
                outcomes.append(error.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return sorted(outcomes)

    def test_two_staff_approving_at_once_open_live_once(self, partner, owner_user, staff, monkeypatch):
        pending = live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS)
        original = live_access.live_environment_open

        def slow_open(**kwargs):
            # Hold the locks long enough that, without them, both would have read "pending".
            time.sleep(0.3)
            return original(**kwargs)

        monkeypatch.setattr(live_access, "live_environment_open", slow_open)

        outcomes = self._race(lambda: live_access_approve(request_obj=pending, staff_user=staff))

        assert outcomes == ["done", "invalid_state_transition"]
        assert _live_count(partner) == 1
        assert AuditEvent.objects.filter(action="live_access.approved").count() == 1

    def test_two_requests_at_once_leave_one_pending(self, partner, owner_user):
        outcomes = self._race(
            lambda: live_access_request_create(partner=partner, requested_by=owner_user, **COMPANY_DETAILS), count=3
        )

        assert outcomes == ["done", "live_access_pending", "live_access_pending"]
        assert LiveAccessRequest.objects.filter(partner=partner).count() == 1
