import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.test import Client

from apps.oauth_clients.models import Application
from apps.partners.models import AuditEvent, Partner
from apps.wallets import reconciliation
from apps.wallets.models import Transaction, Wallet, WalletHolder
from sandbox.seed import PERSONAS
from tests.partners.portal.test_accounts import activate_totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_demo_sandbox(monkeypatch):
    # The personas plus two random holders: enough to see the seeding, quick enough for every test here.
    monkeypatch.setattr("sandbox.quickstart.DEMO_HOLDERS", 2)


def _quickstart() -> dict:
    out = StringIO()
    call_command("sandbox_quickstart", "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())  # only JSON on stdout


class TestSandboxQuickstart:
    def test_prints_the_documented_shape_with_a_working_key(self, client_for, client):
        data = _quickstart()

        assert set(data) == {"base_url", "portal", "partner", "secret_key", "oauth_client", "personas", "staff"}
        assert set(data["portal"]) == {"email", "password"}
        assert set(data["oauth_client"]) == {
            "authorize_url",
            "token_url",
            "client_id",
            "client_secret",
            "redirect_uri",
            "scopes",
        }
        assert data["oauth_client"]["authorize_url"] == data["base_url"] + "/o/authorize/"
        assert [set(p) for p in data["personas"]] == [{"username", "password", "holder", "wallets"}] * len(PERSONAS)
        assert data["secret_key"].startswith("cw_sk_sandbox_")
        assert client_for(data["secret_key"]).get("/v1/partner").json()["id"] == data["partner"]["id"]
        assert client.login(username=data["portal"]["email"], password=data["portal"]["password"])

    def test_the_demo_login_has_a_verified_address_and_can_set_up_two_factor(self):
        data = _quickstart()
        _quickstart()  # a second run leaves the one record as it is

        email = data["portal"]["email"]
        assert list(EmailAddress.objects.filter(email=email).values_list("primary", "verified")) == [(True, True)]
        client = Client()
        client.post("/accounts/login/", {"login": email, "password": data["portal"]["password"]})
        activate_totp(client, password=data["portal"]["password"])

    def test_a_second_run_reuses_the_partner_and_issues_fresh_secrets_while_old_keys_keep_working(self, client_for):
        first, second = _quickstart(), _quickstart()

        assert first["partner"] == second["partner"]
        assert Partner.objects.count() == 1
        assert first["secret_key"] != second["secret_key"]
        assert client_for(first["secret_key"]).get("/v1/partner").status_code == 200
        assert client_for(second["secret_key"]).get("/v1/partner").status_code == 200

    def test_a_second_run_issues_a_new_oauth_client_and_the_first_one_keeps_working(self):
        # The client secret is stored hashed, so it cannot be shown again: each run registers its own client,
        # as it issues its own key, instead of rotating one secret under a caller that just printed it.
        first, second = _quickstart(), _quickstart()

        assert first["oauth_client"]["client_id"] != second["oauth_client"]["client_id"]
        for printed in (first["oauth_client"], second["oauth_client"]):
            application = Application.objects.get(client_id=printed["client_id"])
            assert check_password(printed["client_secret"], application.client_secret)
            assert application.redirect_uris.split() == [printed["redirect_uri"]]
        assert list(Application.objects.order_by("pk").values_list("name", flat=True)) == ["Demo app", "Demo app 2"]
        assert not AuditEvent.objects.filter(action="app.secret_rotated").exists()

    def test_the_client_secret_is_stored_hashed(self):
        data = _quickstart()

        application = Application.objects.get(client_id=data["oauth_client"]["client_id"])
        assert application.client_secret != data["oauth_client"]["client_secret"]
        assert application.partner.public_id == data["partner"]["id"]
        assert application.environment.kind == "sandbox"

    def test_it_is_refused_where_the_deployment_disables_it(self, settings):
        settings.SANDBOX_QUICKSTART_ENABLED = False

        with pytest.raises(CommandError):
            _quickstart()


class TestSandboxQuickstartPersonas:
    def test_the_first_run_seeds_the_demo_sandbox_and_lists_user_good(self, client_for, client):
        data = _quickstart()

        persona = data["personas"][0]
        assert [p["username"] for p in data["personas"]] == [p.key for p in PERSONAS]
        assert (persona["username"], persona["password"]) == ("user_good", "pass_good")
        holder = WalletHolder.objects.get(public_id=persona["holder"])
        assert holder.partner.public_id == data["partner"]["id"] and holder.user.username == "user_good"
        assert persona["wallets"] == [
            {"id": w.public_id, "currency": w.currency} for w in Wallet.objects.filter(holder=holder).order_by("pk")
        ]
        assert [w["currency"] for w in persona["wallets"]] == ["USD", "EUR"]
        assert WalletHolder.objects.filter(partner=holder.partner).count() == len(PERSONAS) + 2
        assert Transaction.objects.filter(wallet__holder=holder).count() > 200
        assert reconciliation.reconcile().ok
        assert client.login(username="user_good", password="pass_good")
        api = client_for(data["secret_key"]).get(f"/v1/wallet_holders/{persona['holder']}")
        assert api.status_code == 200 and api.json()["id"] == persona["holder"]

    def test_later_runs_do_not_seed_again_and_list_the_same_persona(self):
        first = _quickstart()
        transactions = Transaction.objects.count()

        second = _quickstart()

        assert second["personas"] == first["personas"]
        assert Transaction.objects.count() == transactions
        assert WalletHolder.objects.count() == len(PERSONAS) + 2

    def test_stdout_carries_the_json_document_only(self, capsys):
        out, err = StringIO(), StringIO()

        call_command("sandbox_quickstart", "--json", stdout=out, stderr=err)

        assert json.loads(out.getvalue())["personas"][0]["username"] == "user_good"
        assert "Seeding the demo sandbox" in err.getvalue()
        captured = capsys.readouterr()
        assert captured.out == ""  # nothing printed around the command's own stdout either

    def test_two_bank_staff_logins_reach_the_staff_cases_with_fresh_passwords_each_run(self):
        first = _quickstart()["staff"]
        second = _quickstart()["staff"]

        assert first["login_url"].endswith("/admin/login/?next=/staff/cases/")
        assert [a["username"] for a in second["accounts"]] == ["staff-ana@causeway.test", "staff-ben@causeway.test"]
        for old, new in zip(first["accounts"], second["accounts"], strict=True):
            assert old["password"] != new["password"]
            staff = Client()
            assert not staff.login(username=old["username"], password=old["password"])  # the older one is gone
            assert staff.login(username=new["username"], password=new["password"])
            assert staff.get("/staff/cases/").status_code == 200

    def test_the_text_output_shows_the_persona_login(self):
        out = StringIO()

        call_command("sandbox_quickstart", stdout=out, stderr=StringIO())

        assert "user_good / pass_good" in out.getvalue()
