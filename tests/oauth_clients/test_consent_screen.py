"""The consent screen and the holder's session: what the holder sees, denial, payment authorisations and their
one-time code, and the separation from the portal session."""

import json

import pytest
from django.core import mail
from django.test import Client

from apps.events.models import Event
from apps.oauth_clients.models import Consent, Mandate
from apps.oauth_clients.server import holder_session
from tests.helpers import totp_code
from tests.oauth_clients import flow
from tests.partners.factories import PartnerFactory
from tests.wallets.factories import make_holder, make_wallet

pytestmark = pytest.mark.django_db

MANDATE = {"type": "mandate", "currency": "USD", "max_per_payment": 5000, "max_per_period": 20000, "period": "week"}


def _payments_app():
    return flow.setup(scopes=("accounts:read", "balances:read", "transfers:write"))


class TestScreen:
    def test_the_screen_shows_the_app_the_scopes_in_plain_words_and_the_wallets(self, client, s):
        flow.sign_in(client, s)

        page = client.get(flow.authorize_query(s, challenge=flow.pkce()[1])).content.decode()

        assert s.app.name in page
        assert "See your wallet balances" in page and "See your name and your wallets" in page
        assert all(w.public_id in page for w in s.wallets)

    def test_without_a_session_the_holder_is_sent_to_sign_in_and_back(self, client, s):
        url = flow.authorize_query(s, challenge=flow.pkce()[1])

        response = client.get(url)

        assert response.status_code == 302 and response["Location"].startswith("/o/login/?next=")
        back = client.post("/o/login/", {"username": s.username, "password": flow.PASSWORD, "next": url})
        assert back["Location"] == url

    def test_after_ten_wrong_passwords_even_the_right_one_is_refused_for_a_while(self, client, s):
        for _ in range(10):
            client.post("/o/login/", {"username": s.username, "password": "nope", "next": ""})

        response = client.post("/o/login/", {"username": s.username, "password": flow.PASSWORD, "next": ""})

        assert response.status_code == 400

    def test_a_wrong_password_is_refused(self, client, s):
        response = client.post("/o/login/", {"username": s.username, "password": "nope", "next": ""})

        assert response.status_code == 400
        assert "cw_holder" not in response.cookies

    def test_denial_redirects_with_access_denied_and_records_a_rejected_consent(self, client, s):
        flow.sign_in(client, s)
        url = flow.authorize_query(s, challenge=flow.pkce()[1])

        response = flow.approve(client, url, wallets=[], decision="deny")

        query = flow.query_of(response["Location"])
        assert (query["error"], query["state"]) == ("access_denied", "st4te")
        consent = Consent.objects.get()
        assert consent.status == "rejected"
        assert [c.status for c in consent.status_changes.all()] == ["awaiting_authorization", "rejected"]

    def test_approving_without_a_wallet_shows_the_screen_again_and_writes_nothing(self, client, s):
        flow.sign_in(client, s)
        url = flow.authorize_query(s, challenge=flow.pkce()[1])

        response = flow.approve(client, url, wallets=[])

        assert response.status_code == 400
        assert "Choose at least one wallet" in response.content.decode()
        assert not Consent.objects.exists()
        assert not Event.objects.filter(type__startswith="consent.").exists()

    def test_a_wallet_of_another_holder_cannot_be_slipped_in(self, client, s):
        flow.sign_in(client, s)
        other = make_wallet(holder=make_holder(partner=s.app.partner))

        response = flow.approve(client, flow.authorize_query(s, challenge=flow.pkce()[1]), wallets=[other])

        assert response.status_code == 400
        assert not Consent.objects.exists()


class TestHolderSession:
    def test_a_developer_signed_in_to_the_portal_stays_signed_in_and_the_holder_never_is(self, s, owner):
        browser = owner.client
        assert browser.get("/portal/").status_code == 200

        flow.code_for(browser, s)

        assert browser.get("/portal/").status_code == 200
        assert int(browser.session["_auth_user_id"]) == owner.user.pk

    def test_a_holders_credentials_do_not_open_the_portal(self, client, s):
        flow.sign_in(client, s)

        response = client.get("/portal/")

        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_signing_out_ends_the_holder_session(self, client, s):
        flow.sign_in(client, s)
        url = flow.authorize_query(s, challenge=flow.pkce()[1])
        assert "Sign out" in client.get(url).content.decode()

        client.post("/o/logout/")

        assert client.get(url)["Location"].startswith("/o/login/")

    def test_a_partner_members_password_opens_no_holder_session(self, client, owner):
        response = client.post(
            "/o/login/", {"username": owner.user.username, "password": "correct-horse-battery", "next": ""}
        )

        assert response.status_code == 400


class TestPaymentAuthorisation:
    def test_a_standing_mandate_is_shown_in_plain_words_and_written_on_approval(self, client):
        s = _payments_app()
        flow.sign_in(client, s)
        url = flow.authorize_query(
            s,
            challenge=flow.pkce()[1],
            scope="accounts:read transfers:write",
            authorization_details=json.dumps([MANDATE]),
        )

        page = client.get(url).content.decode()
        response = flow.approve(client, url, wallets=s.wallets[:1])

        assert "at most 50.00 USD each and 200.00 USD per week" in page
        assert response.status_code == 302 and "code" in flow.query_of(response["Location"])
        mandate = Mandate.objects.get()
        assert (mandate.kind, mandate.max_per_payment, mandate.consent.status) == ("standing", 5000, "authorized")

    @pytest.mark.parametrize(
        "details",
        [
            "not json",
            json.dumps([{"type": "payment", "payee": "wal_x", "amount": -5, "currency": "USD"}]),
            json.dumps([{**MANDATE, "period": "year"}]),
        ],
    )
    def test_bad_details_are_sent_back_as_invalid_authorization_details(self, client, details):
        s = _payments_app()
        flow.sign_in(client, s)

        response = client.get(
            flow.authorize_query(
                s, challenge=flow.pkce()[1], scope="accounts:read transfers:write", authorization_details=details
            )
        )

        assert flow.query_of(response["Location"])["error"] == "invalid_authorization_details"

    def test_payments_without_transfers_write_are_invalid_authorization_details(self, client):
        s = _payments_app()
        flow.sign_in(client, s)

        response = client.get(
            flow.authorize_query(s, challenge=flow.pkce()[1], authorization_details=json.dumps([MANDATE]))
        )

        assert flow.query_of(response["Location"])["error"] == "invalid_authorization_details"

    def test_a_single_payment_needs_the_holders_one_time_code(self, client):
        s = _payments_app()
        s.holder.email = "ada@example.com"
        s.holder.save(update_fields=["email"])
        payee = make_wallet(holder=make_holder(partner=s.app.partner, name="Grace Hopper"))
        flow.sign_in(client, s)
        details = json.dumps([{"type": "payment", "payee": payee.public_id, "amount": 1250, "currency": "USD"}])
        url = flow.authorize_query(
            s, challenge=flow.pkce()[1], scope="accounts:read transfers:write", authorization_details=details
        )

        page = client.get(url).content.decode()
        sent = mail.outbox[-1].body.split("Your code is ")[1][:6]
        refused = flow.approve(client, url, wallets=s.wallets[:1], code="000000" if sent != "000000" else "999999")
        assert refused.status_code == 400 and not Consent.objects.exists()
        approved = flow.approve(client, url, wallets=s.wallets[:1], code=sent)

        assert "Make one payment of 12.50 USD to Grace Hopper (USD wallet)" in page
        assert approved.status_code == 302
        assert Mandate.objects.get().kind == "single_payment"

    def test_in_sandbox_the_published_test_code_is_accepted(self, client):
        s = _payments_app()
        payee = make_wallet(holder=make_holder(partner=s.app.partner))
        flow.sign_in(client, s)
        details = json.dumps([{"type": "payment", "payee": payee.public_id, "amount": 100, "currency": "USD"}])
        url = flow.authorize_query(
            s, challenge=flow.pkce()[1], scope="accounts:read transfers:write", authorization_details=details
        )

        client.get(url)
        response = flow.approve(client, url, wallets=s.wallets[:1], code="123456")

        assert response.status_code == 302 and "code" in flow.query_of(response["Location"])

    def test_five_wrong_codes_use_up_the_e_mailed_one(self, client):
        s = _payments_app()
        s.holder.email = "ada@example.com"
        s.holder.save(update_fields=["email"])
        payee = make_wallet(holder=make_holder(partner=s.app.partner))
        flow.sign_in(client, s)
        details = json.dumps([{"type": "payment", "payee": payee.public_id, "amount": 100, "currency": "USD"}])
        url = flow.authorize_query(
            s, challenge=flow.pkce()[1], scope="accounts:read transfers:write", authorization_details=details
        )
        client.get(url)
        sent = mail.outbox[-1].body.split("Your code is ")[1][:6]
        wrong = "111111" if sent != "111111" else "222222"

        for _ in range(5):
            assert flow.approve(client, url, wallets=s.wallets[:1], code=wrong).status_code == 400
        response = flow.approve(client, url, wallets=s.wallets[:1], code=sent)

        assert response.status_code == 400


class TestDiscoveryAndIntrospection:
    def test_discovery_lists_exactly_what_is_supported(self, client):
        data = client.get("/.well-known/oauth-authorization-server").json()

        assert data["issuer"] == "http://testserver"
        assert data["authorization_endpoint"] == "http://testserver/o/authorize/"
        assert data["token_endpoint"] == "http://testserver/o/token/"
        assert data["revocation_endpoint"] == "http://testserver/o/revoke/"
        assert data["introspection_endpoint"] == "http://testserver/o/introspect/"
        assert data["response_types_supported"] == ["code"]
        assert sorted(data["grant_types_supported"]) == ["authorization_code", "client_credentials", "refresh_token"]
        assert data["code_challenge_methods_supported"] == ["S256"]
        assert data["authorization_response_iss_parameter_supported"] is True
        assert data["authorization_details_types_supported"] == ["payment", "mandate"]
        assert data["introspection_endpoint_auth_methods_supported"] == ["client_secret_basic"]
        assert "registration_endpoint" not in data

    def test_dot_management_views_are_not_mounted(self, client):
        for path in ("/o/applications/", "/o/authorized_tokens/", "/o/device/", "/o/userinfo/"):
            assert client.get(path).status_code == 404

    def test_a_resource_server_with_the_scope_sees_an_active_token_with_its_consent(self, client, s):
        code, verifier = flow.code_for(client, s)
        token = flow.exchange(client, s, code, verifier).json()
        server = flow.setup(scopes=("accounts:read", "events:read"))
        server.app.allowed_scopes = [*server.app.allowed_scopes, "introspection"]
        server.app.environment = s.app.environment
        server.app.save()

        response = Client().post(
            "/o/introspect/",
            {"token": token["access_token"]},
            HTTP_AUTHORIZATION=_basic(server.app.client_id, server.app.secret),
        )

        body = response.json()
        assert (body["active"], body["consent"], body["sub"]) == (True, token["consent"], s.holder.public_id)
        Consent.objects.update(status="revoked")
        again = Client().post(
            "/o/introspect/",
            {"token": token["access_token"]},
            HTTP_AUTHORIZATION=_basic(server.app.client_id, server.app.secret),
        )
        assert again.json() == {"active": False}


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


class TestAuthenticatorApp:
    def test_a_holder_with_an_authenticator_app_signs_in_with_its_code(self, client, s):
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        secret = generate_totp_secret()
        TOTP.activate(s.holder.user, secret)
        form = {"username": s.username, "password": flow.PASSWORD, "next": "/o/authorize/"}

        asked = client.post("/o/login/", form)
        wrong = client.post("/o/login/", {**form, "code": "000000"})
        right = client.post("/o/login/", {**form, "code": totp_code(secret)})

        assert asked.status_code == 200 and "authenticator app" in asked.content.decode()
        assert "cw_holder" not in asked.cookies and wrong.status_code == 400 and "cw_holder" not in wrong.cookies
        assert right.status_code == 302 and right.cookies["cw_holder"].value

    def test_the_published_sandbox_code_never_works_for_a_live_holder(self):
        live = make_holder(environment="live")
        sandbox = make_holder(partner=PartnerFactory())

        assert holder_session.verify_code(sandbox, "123456")
        assert not holder_session.verify_code(live, "123456")
