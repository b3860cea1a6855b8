"""``/holders/signup/``: a live holder opens a login. A user, an unverified e-mail address and a live holder are
created, the verification e-mail is sent, and nobody is logged in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail

from apps.wallets.holder_signup import EmailTaken, live_holder_signup
from apps.wallets.models import WalletHolder
from tests.core.factories import UserFactory
from tests.partners.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/holders/signup/"
GOOD = {"name": "Grace Hopper", "email": "Grace.Hopper@Example.test", "password": "cobol-navy-1906-compiler"}


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, {**GOOD, **overrides})

    return post


class TestHolderSignupPage:
    def test_the_page_is_separate_from_the_partner_portal(self, client):
        response = client.get(SIGNUP)

        assert response.status_code == 200
        content = response.content.decode()
        assert 'name="email"' in content and 'name="password"' in content and 'name="name"' in content
        assert "API keys" not in content and 'href="/portal/' not in content

    def test_signing_up_creates_a_user_an_unverified_address_and_a_live_holder(self, client, sign_up):
        response = sign_up()

        assert response.status_code == 302
        assert response["Location"] == "/holders/signup/done/"
        user = get_user_model().objects.get()
        assert (user.username, user.email) == ("grace.hopper@example.test", "grace.hopper@example.test")
        assert user.check_password(GOOD["password"])
        assert not user.is_staff
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == ("grace.hopper@example.test", False, True)
        holder = WalletHolder.objects.get(user=user)
        assert (holder.environment, holder.partner, holder.kyc_tier, holder.status) == (
            "live",
            None,
            "unverified",
            "active",
        )
        assert (holder.name, holder.email) == ("Grace Hopper", "grace.hopper@example.test")
        assert holder.public_id.startswith("ph_")

    def test_the_done_page_says_to_check_the_email(self, client, sign_up):
        response = client.get(sign_up()["Location"])

        assert response.status_code == 200
        assert "Check your e-mail" in response.content.decode()

    def test_a_verification_email_is_sent_to_the_address(self, sign_up):
        sign_up()

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["grace.hopper@example.test"]
        assert re.search(r"/accounts/confirm-email/[^/\s]+/", message.body)

    def test_signing_up_logs_nobody_in(self, client, sign_up):
        sign_up()

        assert SESSION_KEY not in client.session
        assert client.get("/portal/").status_code == 302

    def test_following_the_link_verifies_the_address_without_logging_in(self, client, sign_up):
        sign_up()
        link = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body).group(1)

        client.post(link)

        assert EmailAddress.objects.get().verified
        assert SESSION_KEY not in client.session

    def test_a_partner_member_logged_in_in_the_same_browser_stays_themselves(self, client, sign_up):
        member = MembershipFactory().user
        client.force_login(member)

        sign_up()

        assert client.session[SESSION_KEY] == str(member.pk)
        assert WalletHolder.objects.filter(user__email="grace.hopper@example.test", environment="live").exists()


class TestHolderSignupRefusals:
    @pytest.mark.parametrize("taken", ["grace.hopper@example.test", "GRACE.HOPPER@example.test"])
    def test_an_email_already_in_use_is_a_form_error(self, sign_up, taken):
        UserFactory(username=taken, email=taken)

        response = sign_up()

        assert response.status_code == 200
        assert "already exists" in " ".join(response.context["form"].errors["email"])
        assert get_user_model().objects.count() == 1
        assert not WalletHolder.objects.exists()
        assert mail.outbox == []

    def test_an_address_known_only_to_allauth_is_taken_too(self, sign_up):
        other = UserFactory(username="someone", email="someone@example.test")
        EmailAddress.objects.create(user=other, email="grace.hopper@example.test", verified=True)

        response = sign_up()

        assert "email" in response.context["form"].errors
        assert not WalletHolder.objects.exists()

    def test_signing_up_twice_is_refused_the_second_time(self, sign_up):
        sign_up()

        response = sign_up(name="Someone Else")

        assert response.status_code == 200
        assert WalletHolder.objects.count() == 1
        assert len(mail.outbox) == 1

    @pytest.mark.parametrize(
        "password", ["short", "password123456", "1234567890123", "grace.hopper@example.test"], ids=str
    )
    def test_weak_passwords_are_refused_by_the_validators(self, sign_up, password):
        response = sign_up(password=password)

        assert response.status_code == 200
        assert response.context["form"].errors["password"]
        assert not get_user_model().objects.exists()
        assert not WalletHolder.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"), [("name", "   "), ("email", "not-an-email"), ("password", ""), ("name", "x" * 201)]
    )
    def test_missing_or_malformed_fields_are_form_errors(self, sign_up, field, value):
        response = sign_up(**{field: value})

        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not WalletHolder.objects.exists()

    def test_the_service_refuses_a_taken_address_even_without_the_form(self, rf):
        UserFactory(username="grace.hopper@example.test", email="grace.hopper@example.test")

        with pytest.raises(EmailTaken):
            live_holder_signup(
                name="Grace", email="Grace.Hopper@example.test", password=GOOD["password"], request=rf.post(SIGNUP)
            )
        assert not WalletHolder.objects.exists()
