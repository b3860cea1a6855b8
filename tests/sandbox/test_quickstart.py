import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.oauth_clients.models import Application
from apps.partners.models import Partner

pytestmark = pytest.mark.django_db


def _quickstart() -> dict:
    out = StringIO()
    call_command("sandbox_quickstart", "--json", stdout=out)
    return json.loads(out.getvalue())  # only JSON on stdout


class TestSandboxQuickstart:
    def test_prints_the_documented_shape_with_a_working_key(self, client_for, client):
        data = _quickstart()

        assert set(data) == {"base_url", "portal", "partner", "secret_key", "oauth_client", "personas"}
        assert set(data["portal"]) == {"email", "password"}
        assert set(data["oauth_client"]) == {"client_id", "client_secret", "redirect_uri", "scopes"}
        assert data["personas"] == []
        assert data["secret_key"].startswith("cw_sk_sandbox_")
        assert client_for(data["secret_key"]).get("/v1/partner").json()["id"] == data["partner"]["id"]
        assert client.login(username=data["portal"]["email"], password=data["portal"]["password"])

    def test_a_second_run_reuses_the_partner_and_issues_fresh_secrets_while_old_keys_keep_working(self, client_for):
        first, second = _quickstart(), _quickstart()

        assert first["partner"] == second["partner"]
        assert Partner.objects.count() == 1
        assert first["secret_key"] != second["secret_key"]
        assert first["oauth_client"]["client_id"] == second["oauth_client"]["client_id"]
        assert first["oauth_client"]["client_secret"] != second["oauth_client"]["client_secret"]
        assert client_for(first["secret_key"]).get("/v1/partner").status_code == 200
        assert client_for(second["secret_key"]).get("/v1/partner").status_code == 200

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
