import pytest
from django.test import Client

from apps.partners.models import AuditEvent, Partner
from apps.partners.services import api_key_create

pytestmark = pytest.mark.django_db


class TestSignup:
    def test_signing_up_creates_the_partner_its_sandbox_and_makes_the_user_owner(self, client: Client):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@acme.test",
                "password1": "a-long-pass-9876",
                "password2": "a-long-pass-9876",
                "company_name": "Acme",
            },
        )

        assert response.status_code == 302
        partner = Partner.objects.get(name="Acme")
        assert list(partner.environments.values_list("kind", flat=True)) == ["sandbox"]
        assert partner.memberships.get().role == "owner"
        assert AuditEvent.objects.filter(partner=partner, action="partner.created").exists()

    def test_a_sign_up_without_a_company_name_re_renders_with_the_error_and_creates_nothing(self, client: Client):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@acme.test",
                "password1": "a-long-pass-9876",
                "password2": "a-long-pass-9876",
                "company_name": "  ",
            },
        )

        assert response.status_code == 200
        assert "company_name" in response.context["form"].errors
        assert Partner.objects.count() == 0


class TestHomeChecklist:
    def _steps(self, response):
        return {s["key"]: s["done"] for s in response.context["steps"]}

    def test_a_new_owner_sees_every_step_to_do_but_the_verified_email(self, owner):
        response = owner.client.get("/portal/")

        assert response.status_code == 200
        assert self._steps(response) == {"verify_email": True, "create_key": False, "first_call": False}

    def test_creating_a_key_and_calling_the_api_ticks_the_steps(self, owner, client_for):
        issued = api_key_create(environment=owner.sandbox)
        from django.utils import timezone

        from apps.partners.models import RequestLog

        RequestLog.objects.create(
            partner_id_public=owner.partner.public_id,
            environment="sandbox",
            credential_id=issued.api_key.public_id,
            method="GET",
            path="/v1/partner",
            status=200,
            latency_ms=3,
            request_id="req_x",
            created_at=timezone.now(),
        )

        assert self._steps(owner.client.get("/portal/")) == {
            "verify_email": True,
            "create_key": True,
            "first_call": True,
        }

    def test_anonymous_visitors_are_sent_to_log_in(self, client: Client):
        response = client.get("/portal/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestTeamSettings:
    def test_an_owner_can_require_mfa_and_it_is_audited(self, owner):
        response = owner.client.post("/portal/settings/", {"name": owner.partner.name, "mfa_required": "on"})

        assert response.status_code == 302
        owner.partner.refresh_from_db()
        assert owner.partner.mfa_required is True
        assert AuditEvent.objects.filter(partner=owner.partner, action="partner.settings_updated").exists()

    def test_with_mfa_required_a_member_without_totp_is_sent_to_set_it_up(self, member):
        m = member("developer")
        m.partner.mfa_required = True
        m.partner.save()

        response = m.client.get("/portal/")

        assert response.status_code == 302
        assert response["Location"] == "/portal/mfa-required/"

    @pytest.mark.parametrize("role", ["developer", "viewer"])
    def test_developers_and_viewers_cannot_change_settings(self, member, role):
        m = member(role)

        response = m.client.post("/portal/settings/", {"name": "Hijacked", "mfa_required": "on"})

        assert response.status_code == 403
        m.partner.refresh_from_db()
        assert m.partner.name != "Hijacked"

    def test_an_empty_name_re_renders_with_an_error(self, owner):
        response = owner.client.post("/portal/settings/", {"name": ""})

        assert response.status_code == 400
        assert "name" in response.context["form"].errors
