import pytest

from apps.partners.models import AuditEvent, Environment, LiveAccessRequest
from apps.partners.portal.mixins import SESSION_ENVIRONMENT
from apps.partners.services import api_key_create
from apps.partners.services.live_access import live_access_approve, live_access_reject, live_access_request_create
from tests.partners.factories import COMPANY_DETAILS

pytestmark = pytest.mark.django_db


def _request(m):
    return live_access_request_create(partner=m.partner, requested_by=m.user, **COMPANY_DETAILS)


def _state(response):
    return response.context["state"].status


class TestLiveAccessPage:
    def test_an_owner_who_has_not_asked_sees_the_form(self, owner):
        response = owner.client.get("/portal/live/")

        assert response.status_code == 200
        assert _state(response) == "not_requested"
        assert b'data-testid="live-request-form"' in response.content

    @pytest.mark.parametrize("role", ["admin", "developer", "viewer"])
    def test_other_members_see_the_state_but_no_form(self, member, role):
        m = member(role)

        response = m.client.get("/portal/live/")

        assert response.status_code == 200
        assert _state(response) == "not_requested"
        assert response.context["form"] is None
        assert b"Only your team's owner can request live access." in response.content

    def test_a_pending_request_is_shown_without_a_form(self, owner, member):
        _request(owner)
        viewer = member("viewer", partner=owner.partner)

        for client in (owner.client, viewer.client):
            response = client.get("/portal/live/")
            assert _state(response) == "pending"
            assert response.context["form"] is None
            assert b"Request under review" in response.content

    def test_a_rejection_shows_the_staff_note_and_a_form_prefilled_with_the_last_details(self, owner, staff):
        live_access_reject(request_obj=_request(owner), staff_user=staff, note="Your website returns 404.")

        response = owner.client.get("/portal/live/")

        assert _state(response) == "rejected"
        assert b"Your website returns 404." in response.content
        assert response.context["form"].initial["legal_name"] == "Acme Pay Ltd"

    def test_an_approved_partner_sees_that_live_is_open(self, owner, staff):
        live_access_approve(request_obj=_request(owner), staff_user=staff)

        response = owner.client.get("/portal/live/")

        assert _state(response) == "approved"
        assert response.context["form"] is None
        assert b"Live is open" in response.content

    def test_an_owner_with_an_unverified_email_is_told_why_and_gets_no_form(self, member):
        m = member("owner", verified=False)

        response = m.client.get("/portal/live/")

        assert b'data-testid="email-unverified"' in response.content
        assert b'data-testid="live-request-form"' not in response.content

    def test_another_partners_request_does_not_show(self, owner, member):
        _request(member("owner"))

        assert _state(owner.client.get("/portal/live/")) == "not_requested"


class TestLiveAccessRequestForm:
    def test_the_owner_requests_live_access(self, owner):
        response = owner.client.post("/portal/live/request", COMPANY_DETAILS, REMOTE_ADDR="203.0.113.9")

        assert response.status_code == 302
        assert response["Location"] == "/portal/live/"
        live_request = LiveAccessRequest.objects.get(partner=owner.partner)
        assert live_request.status == "pending"
        assert live_request.requested_by == owner.user
        assert (live_request.country, live_request.website) == ("GB", "https://acme.example")
        event = AuditEvent.objects.get(partner=owner.partner, action="live_access.requested")
        assert event.actor == owner.user
        assert event.ip_address == "203.0.113.9"

    def test_a_website_without_a_scheme_is_taken_as_https(self, owner):
        owner.client.post("/portal/live/request", {**COMPANY_DETAILS, "website": "acme.example"})

        assert LiveAccessRequest.objects.get(partner=owner.partner).website == "https://acme.example"

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("legal_name", "", "This field is required."),
            ("legal_name", "x" * 201, "at most 200 characters"),
            ("registration_number", "", "This field is required."),
            ("registration_number", "9" * 65, "at most 64 characters"),
            ("country", "", "This field is required."),
            ("country", "XX", "Choose a country."),
            ("country", "UK", "Choose a country."),
            ("website", "", "This field is required."),
            ("website", "http://acme.example", "Enter a valid https:// address"),
            ("website", "ftp://acme.example", "Enter a valid https:// address"),
            ("website", "not a url", "Enter a valid https:// address"),
            ("use_case", "", "This field is required."),
            ("use_case", "x" * 2001, "at most 2000 characters"),
        ],
    )
    def test_an_invalid_field_re_renders_with_its_error_and_writes_nothing(self, owner, field, value, message):
        response = owner.client.post("/portal/live/request", {**COMPANY_DETAILS, field: value})

        assert response.status_code == 400
        errors = response.context["form"].errors
        assert list(errors) == [field]
        assert message in errors[field][0]
        assert message.replace("'", "&#x27;").encode() in response.content
        assert not LiveAccessRequest.objects.exists()
        assert not AuditEvent.objects.filter(action="live_access.requested").exists()

    @pytest.mark.parametrize("role", ["admin", "developer", "viewer"])
    def test_only_the_owner_can_request(self, member, role):
        m = member(role)

        response = m.client.post("/portal/live/request", COMPANY_DETAILS)

        assert response.status_code == 403
        assert not LiveAccessRequest.objects.exists()

    def test_an_owner_with_an_unverified_email_is_refused(self, member):
        m = member("owner", verified=False)

        response = m.client.post("/portal/live/request", COMPANY_DETAILS)

        assert response.status_code == 422
        assert b"Verify your e-mail address" in response.content
        assert not LiveAccessRequest.objects.exists()

    def test_a_second_request_while_one_is_pending_is_refused(self, owner):
        assert owner.client.post("/portal/live/request", COMPANY_DETAILS).status_code == 302

        response = owner.client.post("/portal/live/request", {**COMPANY_DETAILS, "legal_name": "Acme Two Ltd"})

        assert response.status_code == 409
        assert b"already has a pending live access request" in response.content
        assert list(LiveAccessRequest.objects.values_list("legal_name", flat=True)) == ["Acme Pay Ltd"]

    def test_a_rejected_owner_can_request_again(self, owner, staff):
        live_access_reject(request_obj=_request(owner), staff_user=staff, note="Incomplete.")

        response = owner.client.post("/portal/live/request", {**COMPANY_DETAILS, "use_case": "More detail this time."})

        assert response.status_code == 302
        assert LiveAccessRequest.objects.filter(partner=owner.partner, status="pending").count() == 1
        assert _state(owner.client.get("/portal/live/")) == "pending"

    def test_an_approved_partner_cannot_request_again(self, owner, staff):
        live_access_approve(request_obj=_request(owner), staff_user=staff)

        response = owner.client.post("/portal/live/request", COMPANY_DETAILS)

        assert response.status_code == 409
        assert LiveAccessRequest.objects.filter(partner=owner.partner).count() == 1

    def test_the_request_url_does_not_answer_get(self, owner):
        assert owner.client.get("/portal/live/request").status_code == 405


class TestNoLiveEnvironmentBeforeApproval:
    def test_before_approval_switching_to_live_is_refused_and_the_session_stays_in_sandbox(self, owner):
        _request(owner)

        response = owner.client.post("/portal/switch/environment", {"environment": "live"}, follow=True)

        assert owner.client.session.get(SESSION_ENVIRONMENT, "sandbox") == "sandbox"
        assert response.context["portal"].environment.kind == "sandbox"
        assert b"Switch to live" not in response.content
        assert not Environment.objects.filter(partner=owner.partner, kind="live").exists()

    def test_after_approval_the_switcher_offers_live_and_a_live_key_works(self, owner, staff, client_for):
        live_access_approve(request_obj=_request(owner), staff_user=staff)

        home = owner.client.get("/portal/")
        assert b"Switch to live" in home.content
        owner.client.post("/portal/switch/environment", {"environment": "live"})
        assert owner.client.session[SESSION_ENVIRONMENT] == "live"
        assert owner.client.get("/portal/").context["portal"].environment.kind == "live"

        live = Environment.objects.get(partner=owner.partner, kind="live")
        issued = api_key_create(environment=live, name="Production")
        assert issued.secret.startswith("cw_sk_live_")
        response = client_for(issued.secret).get("/v1/partner")
        assert response.status_code == 200
        assert response.json()["environment"] == "live"
        assert response.json()["id"] == owner.partner.public_id
