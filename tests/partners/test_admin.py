import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from apps.partners.models import ApiKey, AuditEvent, Environment, LiveAccessRequest
from apps.partners.services import api_key_create
from apps.partners.services.live_access import live_access_approve, live_access_request_create
from tests.core.factories import UserFactory
from tests.partners.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LIVE_ACCESS = "/admin/partners/liveaccessrequest/"


def _pending(partner=None, *, legal_name="Acme Pay Ltd", owner_email=None):
    partner = partner or PartnerFactory()
    owner = UserFactory(**({"username": owner_email, "email": owner_email} if owner_email else {}))
    EmailAddress.objects.create(user=owner, email=owner.email, primary=True, verified=True)
    MembershipFactory(partner=partner, user=owner, role="owner")
    return live_access_request_create(
        partner=partner,
        requested_by=owner,
        legal_name=legal_name,
        registration_number="12345678",
        country="GB",
        website="https://acme.example",
        use_case="Payouts for freelancers.",
    )


def _act(client, action, requests, **extra):
    data = {"action": action, "_selected_action": [r.pk for r in requests], **extra}
    return client.post(LIVE_ACCESS, data)


def _confirm(client, action, requests, note=""):
    return _act(client, action, requests, post="yes", note=note)


def _live(partner):
    return Environment.objects.filter(partner=partner, kind="live")


class TestLiveAccessRequestAdmin:
    def test_the_list_shows_requests_and_filters_by_status(self, admin_client, admin_user):
        pending = _pending(legal_name="Pending Co")
        decided = _pending(legal_name="Decided Co")
        live_access_approve(request_obj=decided, staff_user=admin_user)

        everything = admin_client.get(LIVE_ACCESS)
        only_pending = admin_client.get(LIVE_ACCESS, {"status__exact": "pending"})

        assert everything.status_code == 200
        assert b"Pending Co" in everything.content and b"Decided Co" in everything.content
        assert list(only_pending.context["cl"].result_list) == [pending]

    def test_the_change_page_shows_the_company_details_read_only_without_save_buttons(self, admin_client):
        live_request = _pending()

        response = admin_client.get(f"{LIVE_ACCESS}{live_request.pk}/change/")

        assert response.status_code == 200
        body = response.content.decode()
        assert "Acme Pay Ltd" in body and "12345678" in body and "United Kingdom (GB)" in body
        assert 'name="legal_name"' not in body
        assert 'name="_save"' not in body

    def test_posting_to_the_change_page_changes_nothing(self, admin_client):
        live_request = _pending()

        admin_client.post(f"{LIVE_ACCESS}{live_request.pk}/change/", {"status": "approved", "legal_name": "Evil"})

        live_request.refresh_from_db()
        assert (live_request.status, live_request.legal_name) == ("pending", "Acme Pay Ltd")
        assert not _live(live_request.partner).exists()

    def test_staff_cannot_add_or_delete_requests(self, admin_client):
        live_request = _pending()

        assert admin_client.get(f"{LIVE_ACCESS}add/").status_code == 403
        assert admin_client.post(f"{LIVE_ACCESS}{live_request.pk}/delete/", {"post": "yes"}).status_code == 403
        assert LiveAccessRequest.objects.filter(pk=live_request.pk).exists()

    def test_approve_asks_for_confirmation_first_and_changes_nothing_yet(self, admin_client):
        live_request = _pending()

        response = _act(admin_client, "approve", [live_request], index=0)

        assert response.status_code == 200
        assert b"Approve and open live" in response.content
        assert b"Acme Pay Ltd" in response.content
        live_request.refresh_from_db()
        assert live_request.status == "pending"
        assert not _live(live_request.partner).exists()

    def test_approving_opens_live_emails_the_owners_and_audits_the_staff_user(
        self, admin_client, admin_user, django_capture_on_commit_callbacks
    ):
        live_request = _pending(owner_email="owner@acme.test")

        with django_capture_on_commit_callbacks(execute=True):
            response = _confirm(admin_client, "approve", [live_request], note="Welcome.")

        assert response.status_code == 302
        live_request.refresh_from_db()
        assert live_request.status == "approved"
        assert live_request.decided_by == admin_user
        assert live_request.decision_note == "Welcome."
        assert _live(live_request.partner).count() == 1
        assert [m.to for m in mail.outbox] == [["owner@acme.test"]]
        event = AuditEvent.objects.get(action="live_access.approved")
        assert (event.partner, event.actor) == (live_request.partner, admin_user)

    def test_rejecting_without_a_reason_re_renders_with_an_error_and_changes_nothing(self, admin_client):
        live_request = _pending()

        response = _confirm(admin_client, "reject", [live_request], note="  ")

        assert response.status_code == 200
        assert response.context["form"].errors["note"] == ["This field is required."]
        live_request.refresh_from_db()
        assert live_request.status == "pending"
        assert not AuditEvent.objects.filter(action="live_access.rejected").exists()

    def test_rejecting_with_a_reason_emails_it_to_the_owners(
        self, admin_client, admin_user, django_capture_on_commit_callbacks
    ):
        live_request = _pending(owner_email="owner@acme.test")

        with django_capture_on_commit_callbacks(execute=True):
            response = _confirm(admin_client, "reject", [live_request], note="Registration not found.")

        assert response.status_code == 302
        live_request.refresh_from_db()
        assert (live_request.status, live_request.decided_by) == ("rejected", admin_user)
        assert not _live(live_request.partner).exists()
        assert len(mail.outbox) == 1
        assert "Registration not found." in mail.outbox[0].body
        assert AuditEvent.objects.filter(action="live_access.rejected", actor=admin_user).count() == 1

    def test_a_decided_request_is_skipped_with_an_error_and_the_others_are_decided(
        self, admin_client, admin_user, django_capture_on_commit_callbacks
    ):
        decided, fresh = _pending(legal_name="Decided Co"), _pending(legal_name="Fresh Co")
        live_access_approve(request_obj=decided, staff_user=admin_user)

        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                LIVE_ACCESS,
                {"action": "approve", "_selected_action": [decided.pk, fresh.pk], "post": "yes", "note": ""},
                follow=True,
            )

        shown = [str(m) for m in response.context["messages"]]
        assert any(decided.public_id in m and "already approved" in m for m in shown)
        # The admin capitalises a message's first letter: a message must not start with the (case-sensitive) id.
        page = response.content.decode()
        assert f"Live access request {decided.public_id} was not approved" in page
        assert decided.public_id[0].upper() + decided.public_id[1:] not in page
        assert any(fresh.public_id in m and m.startswith("Approved") for m in shown)
        fresh.refresh_from_db()
        assert fresh.status == "approved"
        assert _live(decided.partner).count() == 1
        assert AuditEvent.objects.filter(action="live_access.approved").count() == 2
        assert len(mail.outbox) == 1  # only the fresh approval mails; the refused one sent nothing

    def test_a_user_who_is_not_staff_cannot_run_the_actions(self, client, django_user_model):
        live_request = _pending()
        client.force_login(django_user_model.objects.create_user(username="member@acme.test"))

        response = _confirm(client, "approve", [live_request])

        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        live_request.refresh_from_db()
        assert live_request.status == "pending"


class TestAuditEventAdmin:
    def test_staff_can_list_and_view_but_not_add_change_or_delete(self, admin_client, partner):
        event = AuditEvent.objects.create(
            partner=partner, action="api_key.created", actor_email="dev@acme.test", created_at="2026-11-20T12:00Z"
        )
        base = "/admin/partners/auditevent/"

        assert admin_client.get(base).status_code == 200
        view = admin_client.get(f"{base}{event.pk}/change/")
        assert view.status_code == 200
        assert b'name="_save"' not in view.content
        assert admin_client.get(f"{base}add/").status_code == 403
        admin_client.post(f"{base}{event.pk}/change/", {"action": "nothing.happened"})
        assert admin_client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
        event.refresh_from_db()
        assert event.action == "api_key.created"


class TestApiKeyAdmin:
    def test_the_revoke_action_revokes_the_selected_keys(self, admin_client, sandbox):
        chosen = api_key_create(environment=sandbox, name="Leaked").api_key
        other = api_key_create(environment=sandbox, name="Fine").api_key

        response = admin_client.post(
            "/admin/partners/apikey/", {"action": "revoke", "_selected_action": [chosen.pk], "index": 0}
        )

        assert response.status_code == 302
        assert ApiKey.objects.get(pk=chosen.pk).revoked_at is not None
        assert ApiKey.objects.get(pk=other.pk).revoked_at is None
        revoked = AuditEvent.objects.filter(action="api_key.revoked", target_id=chosen.public_id)
        assert revoked.get().actor_email == "Causeway staff"


class TestPartnerAdmin:
    def test_staff_cannot_open_live_by_adding_an_environment_inline(self, admin_client, partner, sandbox):
        response = admin_client.post(
            f"/admin/partners/partner/{partner.pk}/change/",
            {
                "name": partner.name,
                "api_version": partner.api_version,
                "environments-TOTAL_FORMS": "2",
                "environments-INITIAL_FORMS": "1",
                "environments-MIN_NUM_FORMS": "0",
                "environments-MAX_NUM_FORMS": "1000",
                "environments-0-id": str(sandbox.pk),
                "environments-0-partner": str(partner.pk),
                "environments-0-clock_offset": "0",
                "environments-1-partner": str(partner.pk),
                "environments-1-kind": "live",
                "environments-1-clock_offset": "0",
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
                "memberships-MIN_NUM_FORMS": "0",
                "memberships-MAX_NUM_FORMS": "1000",
            },
        )

        assert response.status_code == 302  # saved, with the extra environment ignored
        assert list(partner.environments.values_list("kind", flat=True)) == ["sandbox"]

    def test_the_partner_page_shows_its_environments(self, admin_client, partner):
        response = admin_client.get(f"/admin/partners/partner/{partner.pk}/change/")

        assert response.status_code == 200
        assert partner.environments.get().public_id.encode() in response.content
