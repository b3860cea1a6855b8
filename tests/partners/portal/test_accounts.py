"""Portal accounts through django-allauth's real views: sign-up, e-mail verification, login and its rate limit,
password reset, TOTP with recovery codes, the audit rows they write, and the team-wide MFA requirement."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from apps.partners.models import AuditEvent, Partner
from tests.core.factories import UserFactory
from tests.helpers import totp_code
from tests.partners.factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
NEW_PASSWORD = "a-brand-new-pass-4321"
LINK = re.compile(r"https?://[^/\s]+(/accounts/\S+)")


def wrong_code(secret: str) -> str:
    return f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"


def link_in(message: mail.EmailMessage) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def sign_up(client: Client, email: str = "founder@acme.test", company: str = "Acme"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "company_name": company},
    )


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def teammate(*, partner=None, role: str = "developer"):
    """A verified member (with a password) of ``partner`` and a fresh client that is not logged in."""
    user = verified_user()
    MembershipFactory(partner=partner or PartnerFactory(), user=user, role=role)
    return user, Client()


def reauthenticate(client: Client, path: str, password: str = PASSWORD):
    """GET ``path``, which allauth guards with a fresh password prompt (a login does not count), and answer it."""
    response = client.get(path)
    if response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/"):
        assert client.post(response["Location"], {"password": password})["Location"] == path
        response = client.get(path)
    return response


def activate_totp(client: Client, password: str = PASSWORD) -> str:
    """Enrol TOTP on the activation page, reading the secret the way a person copies it; returns the secret."""
    page = reauthenticate(client, "/accounts/2fa/totp/activate/", password)
    assert page.status_code == 200, page.get("Location")
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.context["form"].errors
    return secret


def actions(user) -> list[str]:
    return list(AuditEvent.objects.filter(actor=user).order_by("id").values_list("action", flat=True))


def is_logged_in(client: Client) -> bool:
    return client.get("/portal/").status_code == 200


class TestSignUp:
    def test_signing_up_creates_the_team_with_its_sandbox_and_sends_a_verification_email(self, client: Client):
        response = sign_up(client, "Founder@Acme.test", "Acme")

        assert response.status_code == 302
        user = get_user_model().objects.get(email__iexact="founder@acme.test")
        partner = Partner.objects.get(name="Acme")
        assert partner.memberships.get().user == user
        assert partner.memberships.get().role == "owner"
        assert list(partner.environments.values_list("kind", flat=True)) == ["sandbox"]
        assert EmailAddress.objects.get(user=user).verified is False
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["founder@acme.test"]
        assert mail.outbox[0].subject.startswith("[Causeway] ")
        assert link_in(mail.outbox[0]).startswith("/accounts/confirm-email/")
        assert is_logged_in(client)

    def test_an_email_that_is_already_registered_is_refused_and_creates_nothing(self, client: Client):
        existing = verified_user(username="taken@acme.test", email="taken@acme.test")

        response = sign_up(Client(), "Taken@Acme.test", "Second Acme")

        assert response.status_code == 200
        assert "email" in response.context["form"].errors
        assert get_user_model().objects.count() == 1
        assert not Partner.objects.filter(name="Second Acme").exists()
        assert get_user_model().objects.get() == existing

    @pytest.mark.parametrize(
        "field, value",
        [
            ("email", "a" * 10_000 + "@acme.test"),
            ("company_name", "C" * 201),
        ],
    )
    def test_oversized_input_is_refused_with_a_form_error_and_creates_nothing(self, client: Client, field, value):
        data = {
            "email": "founder@acme.test",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "company_name": "Acme",
        }
        data[field] = value

        response = client.post("/accounts/signup/", data)

        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert get_user_model().objects.count() == 0
        assert Partner.objects.count() == 0
        assert mail.outbox == []

    def test_a_weak_password_is_refused(self, client: Client):
        response = client.post(
            "/accounts/signup/",
            {"email": "f@acme.test", "password1": "12345678", "password2": "12345678", "company_name": "Acme"},
        )

        assert response.status_code == 200
        assert "password1" in response.context["form"].errors
        assert Partner.objects.count() == 0


class TestEmailVerification:
    def test_the_link_shows_a_confirmation_page_and_only_the_post_verifies_the_address(self, client: Client):
        sign_up(client)
        path = link_in(mail.outbox[0])
        address = EmailAddress.objects.get(email="founder@acme.test")

        page = client.get(path)

        assert page.status_code == 200
        address.refresh_from_db()
        assert address.verified is False  # ACCOUNT_CONFIRM_EMAIL_ON_GET is off: link scanners verify nothing

        response = client.post(path)

        assert response.status_code == 302
        address.refresh_from_db()
        assert address.verified is True
        steps = {s["key"]: s["done"] for s in client.get("/portal/").context["steps"]}
        assert steps["verify_email"] is True

    def test_the_link_works_from_another_browser_without_logging_it_in(self, client: Client):
        sign_up(client)
        path = link_in(mail.outbox[0])
        elsewhere = Client()

        response = elsewhere.post(path)

        assert response.status_code == 302
        assert EmailAddress.objects.get(email="founder@acme.test").verified is True
        assert not is_logged_in(elsewhere)

    def test_a_tampered_link_verifies_nothing(self, client: Client):
        sign_up(client)
        path = link_in(mail.outbox[0])
        tampered = path.rstrip("/")[:-3] + "xyz/"

        client.post(tampered)

        assert EmailAddress.objects.get(email="founder@acme.test").verified is False


class TestLogin:
    def test_email_and_password_log_in_and_the_sign_in_is_audited_for_the_team(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)

        response = log_in(client, user.email.upper())

        assert response.status_code == 302
        assert response["Location"] == "/portal/"
        assert is_logged_in(client)
        row = AuditEvent.objects.get(action="user.signed_in")
        assert (row.partner, row.actor, row.ip_address) == (partner, user, "127.0.0.1")

    def test_a_wrong_password_is_refused_and_the_failure_is_audited_without_the_password(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)

        response = log_in(client, user.email, "not-the-password")

        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert not is_logged_in(client)
        row = AuditEvent.objects.get(action="user.sign_in_failed")
        assert (row.partner, row.actor) == (partner, user)
        assert "not-the-password" not in str(row.metadata)
        assert not AuditEvent.objects.filter(action="user.signed_in").exists()

    def test_a_failure_for_an_address_the_member_changed_to_is_audited_too(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)
        EmailAddress.objects.filter(user=user).update(email="renamed@acme.test")
        user.email = "renamed@acme.test"  # allauth changes the e-mail on a primary change, not the username
        user.save()

        log_in(client, "Renamed@Acme.test", "not-the-password")

        row = AuditEvent.objects.get(action="user.sign_in_failed")
        assert (row.partner, row.actor) == (partner, user)

    def test_an_unknown_email_is_refused_and_writes_no_audit_row(self, client: Client):
        response = log_in(client, "nobody@acme.test")

        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert not AuditEvent.objects.exists()

    def test_after_five_failures_even_the_right_password_is_refused_for_that_email(self):
        user, client = teammate()
        for _ in range(5):
            assert log_in(client, user.email, "not-the-password").status_code == 200

        response = log_in(client, user.email)

        assert response.status_code == 200
        assert "Too many failed login attempts" in str(response.context["form"].non_field_errors())
        assert not is_logged_in(client)
        assert actions(user).count("user.sign_in_failed") == 5

    def test_the_failure_limit_is_per_email_so_other_accounts_still_log_in(self):
        victim, client = teammate()
        for _ in range(6):
            log_in(client, victim.email, "not-the-password")
        other, _ = teammate()

        response = log_in(client, other.email)

        assert response.status_code == 302
        assert is_logged_in(client)

    def test_an_oversized_email_is_refused_with_a_form_error(self, client: Client):
        response = log_in(client, "a" * 10_000 + "@acme.test")

        assert response.status_code == 200
        assert "login" in response.context["form"].errors
        assert not AuditEvent.objects.exists()

    def test_logging_out_ends_the_session(self):
        user, client = teammate()
        log_in(client, user.email)

        response = client.post("/accounts/logout/")

        assert response.status_code == 302
        assert not is_logged_in(client)


class TestPasswordReset:
    def test_the_emailed_link_sets_a_new_password_and_the_change_is_audited(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)

        response = client.post("/accounts/password/reset/", {"email": user.email})

        assert response.status_code == 302
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [user.email]
        form_path = client.get(link_in(mail.outbox[0]))["Location"]  # the key moves into the session
        response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert response.status_code == 302
        assert AuditEvent.objects.filter(action="user.password_changed", partner=partner, actor=user).exists()
        assert log_in(Client(), user.email, PASSWORD).status_code == 200
        assert log_in(client, user.email, NEW_PASSWORD).status_code == 302

    def test_a_reset_signs_out_the_accounts_other_sessions(self):
        user, elsewhere = teammate()
        log_in(elsewhere, user.email)
        client = Client()

        client.post("/accounts/password/reset/", {"email": user.email})
        form_path = client.get(link_in(mail.outbox[0]))["Location"]
        client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        assert not is_logged_in(elsewhere)

    def test_a_reset_lifts_the_failed_login_lock(self):
        user, client = teammate()
        for _ in range(5):
            log_in(client, user.email, "not-the-password")
        assert log_in(client, user.email).status_code == 200  # locked

        client.post("/accounts/password/reset/", {"email": user.email})
        form_path = client.get(link_in(mail.outbox[0]))["Location"]
        client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        assert log_in(client, user.email, NEW_PASSWORD).status_code == 302

    def test_a_reset_link_works_only_once(self):
        user, client = teammate()
        client.post("/accounts/password/reset/", {"email": user.email})
        path = link_in(mail.outbox[0])
        form_path = client.get(path)["Location"]
        client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

        again = Client()
        response = again.get(path, follow=True)

        assert response.context.get("token_fail") is True
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)

    def test_an_unknown_email_is_told_there_is_no_account_and_gets_no_link(self, client: Client):
        response = client.post("/accounts/password/reset/", {"email": "nobody@acme.test"})

        assert response.status_code == 302  # same answer as for a real account: no account enumeration
        assert [m.to for m in mail.outbox] == [["nobody@acme.test"]]
        assert "Unknown Account" in mail.outbox[0].subject
        assert "/accounts/password/reset/key/" not in mail.outbox[0].body

    def test_an_oversized_email_is_refused_with_a_form_error(self, client: Client):
        response = client.post("/accounts/password/reset/", {"email": "a" * 10_000 + "@acme.test"})

        assert response.status_code == 200
        assert "email" in response.context["form"].errors
        assert mail.outbox == []


class TestTotp:
    # Transactional: allauth signals (and e-mails the member) after commit, inside the request.
    @pytest.mark.django_db(transaction=True)
    def test_activating_with_the_current_code_enables_totp_generates_recovery_codes_and_is_audited(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)
        log_in(client, user.email)
        mail.outbox.clear()

        activate_totp(client)

        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]
        assert len(codes) == settings.MFA_RECOVERY_CODE_COUNT
        row = AuditEvent.objects.get(action="mfa.enabled", metadata__type="totp")
        assert (row.partner, row.actor) == (partner, user)
        assert [m.to for m in mail.outbox] == [[user.email]]  # the member is told two-factor was turned on

    def test_the_recovery_codes_page_shows_its_two_actions_as_separate_buttons(self):
        user, client = teammate()
        log_in(client, user.email)
        activate_totp(client)

        page = reauthenticate(client, "/accounts/2fa/recovery-codes/").content.decode()

        # Both are link-buttons, which the stylesheet sets apart (a.button + a.button); as bare links they ran
        # together as "Download codes Generate new codes".
        links = re.findall(r'<a class="button" href="([^"]+)"', page)
        assert links == ["/accounts/2fa/recovery-codes/download/", "/accounts/2fa/recovery-codes/generate/"]
        stylesheet = (settings.BASE_DIR / "static/portal/portal.css").read_text()
        assert "a.button + a.button" in stylesheet

    def test_a_wrong_code_activates_nothing(self):
        user, client = teammate()
        log_in(client, user.email)
        secret = reauthenticate(client, "/accounts/2fa/totp/activate/").context["form"].secret

        response = client.post("/accounts/2fa/totp/activate/", {"code": wrong_code(secret)})

        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert not Authenticator.objects.filter(user=user).exists()
        assert "mfa.enabled" not in actions(user)

    def test_an_unverified_email_cannot_enrol(self):
        user = UserFactory()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
        client = Client()
        log_in(client, user.email)

        response = client.get("/accounts/2fa/totp/activate/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
        assert not Authenticator.objects.filter(user=user).exists()

    def test_a_user_with_no_address_record_cannot_enrol(self):
        # As createsuperuser and the quickstart made users before they recorded addresses: allauth refuses only
        # an unverified record, so a user with none was let through.
        user = UserFactory()
        assert not EmailAddress.objects.filter(user=user).exists()
        client = Client()
        log_in(client, user.email)

        response = reauthenticate(client, "/accounts/2fa/totp/activate/")
        posted = client.post("/accounts/2fa/totp/activate/", {"code": "123456"})

        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
        assert posted.status_code == 302
        assert posted["Location"] == "/accounts/2fa/"
        page = client.get("/accounts/2fa/").content.decode()
        assert "until you have verified your email address" in page
        assert not Authenticator.objects.filter(user=user).exists()

    def test_login_then_asks_for_the_code_before_signing_in(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)
        log_in(client, user.email)
        secret = activate_totp(client)
        client.post("/accounts/logout/")
        AuditEvent.objects.all().delete()

        response = log_in(client, user.email)

        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/authenticate/"
        assert not is_logged_in(client)
        assert not AuditEvent.objects.filter(action="user.signed_in").exists()
        wrong = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
        assert wrong.status_code == 200
        assert "code" in wrong.context["form"].errors

        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

        assert response.status_code == 302
        assert response["Location"] == "/portal/"
        assert is_logged_in(client)
        assert AuditEvent.objects.filter(action="user.signed_in", partner=partner, actor=user).count() == 1

    def test_after_five_wrong_codes_even_the_right_code_is_refused(self):
        user, client = teammate()
        log_in(client, user.email)
        secret = activate_totp(client)
        client.post("/accounts/logout/")
        log_in(client, user.email)
        for _ in range(5):
            assert client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)}).status_code == 200

        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})

        assert response.status_code == 200
        assert "Too many failed login attempts" in str(response.context["form"].errors)
        assert not is_logged_in(client)

    def test_a_recovery_code_signs_in_once(self):
        user, client = teammate()
        log_in(client, user.email)
        activate_totp(client)
        code = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"][0]
        client.post("/accounts/logout/")

        log_in(client, user.email)
        response = client.post("/accounts/2fa/authenticate/", {"code": code})

        assert response.status_code == 302
        assert is_logged_in(client)
        assert code not in reauthenticate(client, "/accounts/2fa/recovery-codes/").context["unused_codes"]

        client.post("/accounts/logout/")
        log_in(client, user.email)
        response = client.post("/accounts/2fa/authenticate/", {"code": code})

        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert not is_logged_in(client)

    def test_deactivating_removes_totp_and_its_recovery_codes_and_is_audited(self, django_capture_on_commit_callbacks):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)
        log_in(client, user.email)
        activate_totp(client)

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/2fa/totp/deactivate/")

        assert response.status_code == 302
        assert not Authenticator.objects.filter(user=user).exists()
        row = AuditEvent.objects.get(action="mfa.disabled", metadata__type="totp")
        assert (row.partner, row.actor) == (partner, user)


class TestMandatoryMfa:
    # Every page in the portal's navigation, plus switching environment (a POST).
    PORTAL_PAGES = [
        "/portal/",
        "/portal/keys/",
        "/portal/apps/",
        "/portal/logs/",
        "/portal/team/",
        "/portal/audit/",
        "/portal/live/",
        "/portal/settings/",
    ]

    @pytest.fixture
    def gated(self):
        """A logged-in owner (so every page is in reach of their role) of a team that requires MFA."""
        partner = PartnerFactory(mfa_required=True)
        user, client = teammate(partner=partner, role="owner")
        assert log_in(client, user.email).status_code == 302
        return user, client, partner

    @pytest.mark.parametrize("path", PORTAL_PAGES)
    def test_a_member_without_totp_is_sent_to_the_mfa_required_page_from_every_portal_page(self, gated, path):
        _, client, _ = gated

        response = client.get(path)

        assert response.status_code == 302
        assert response["Location"] == "/portal/mfa-required/"

    def test_actions_are_gated_too(self, gated):
        _, client, _ = gated

        response = client.post("/portal/switch/environment", {"environment": "sandbox"})

        assert response.status_code == 302
        assert response["Location"] == "/portal/mfa-required/"

    def test_the_mfa_required_page_links_to_enrolment_which_is_reachable(self, gated):
        _, client, _ = gated

        page = client.get("/portal/mfa-required/")

        assert page.status_code == 200
        assert 'href="/accounts/2fa/totp/activate/"' in page.content.decode()
        assert reauthenticate(client, "/accounts/2fa/totp/activate/").status_code == 200

    def test_a_member_can_log_out_from_the_mfa_required_page(self, gated):
        _, client, _ = gated

        response = client.post("/accounts/logout/")

        assert response.status_code == 302
        assert client.get("/portal/mfa-required/")["Location"].startswith("/accounts/login/")

    def test_after_enrolling_the_portal_works_and_the_gate_sends_home(self, gated):
        _, client, _ = gated

        activate_totp(client)

        for path in ["/portal/", "/portal/settings/"]:
            assert client.get(path).status_code == 200, path
        assert client.get("/portal/mfa-required/")["Location"] == "/portal/"

    def test_an_unverified_member_is_told_to_verify_the_email_first(self):
        partner = PartnerFactory(mfa_required=True)
        user = UserFactory()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
        MembershipFactory(partner=partner, user=user, role="developer")
        client = Client()
        log_in(client, user.email)

        page = client.get("/portal/mfa-required/")

        assert page.status_code == 200
        assert page.context["email_verified"] is False
        assert 'href="/accounts/email/"' in page.content.decode()

    def test_a_member_with_no_address_record_is_told_to_verify_first(self):
        partner = PartnerFactory(mfa_required=True)
        user = UserFactory()
        MembershipFactory(partner=partner, user=user, role="developer")
        client = Client()
        log_in(client, user.email)

        page = client.get("/portal/mfa-required/")

        assert page.status_code == 200
        assert page.context["email_verified"] is False

    def test_a_team_that_does_not_require_mfa_is_not_gated(self):
        user, client = teammate(partner=PartnerFactory(mfa_required=False))
        log_in(client, user.email)

        assert client.get("/portal/").status_code == 200
        assert client.get("/portal/mfa-required/")["Location"] == "/portal/"

    def test_the_requirement_applies_to_members_who_are_already_logged_in(self):
        partner = PartnerFactory()
        user, client = teammate(partner=partner)
        log_in(client, user.email)
        assert is_logged_in(client)

        partner.mfa_required = True
        partner.save()

        assert client.get("/portal/")["Location"] == "/portal/mfa-required/"
