"""The portal's API explorer: Swagger UI pre-authorised with a short-lived sandbox key minted for the portal
session. It never acts on live, expires, is replaced on reload and revoked at logout, is stored as a digest only,
and its secret appears in no log, no session and no page but the one that carried it."""

import json
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connections, router
from django.test import Client

from apps.core import clock
from apps.partners import keys, request_logs
from apps.partners.models import ApiKey, RequestLog
from apps.webhooks import services as webhooks
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db

UI = "/portal/explorer/ui/"
SECRET_IN_PAGE = re.compile(r'<script id="explorer-key" type="application/json">("[^"]+")</script>')


def open_explorer(client: Client) -> str:
    """Load the explorer's Swagger UI page; returns the key it was authorised with."""
    response = client.get(UI)
    assert response.status_code == 200, response.content[:500]
    (secret,) = SECRET_IN_PAGE.findall(response.content.decode())
    return json.loads(secret)


def call(secret: str, path: str = "/v1/partner", **extra):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {secret}", **extra)


class TestTheExplorerPage:
    def test_the_portal_page_frames_the_swagger_ui_and_says_what_the_key_is(self, owner):
        body = owner.client.get("/portal/explorer/").content.decode()

        assert '<iframe class="explorer" src="/portal/explorer/ui/"' in body
        assert "never acts on live" in body and "30 minutes" in body

    def test_the_swagger_ui_is_authorised_with_a_new_sandbox_key_of_every_partner_level_scope(self, owner):
        response = owner.client.get(UI)
        secret = open_explorer(owner.client)

        assert secret.startswith("cw_sk_sandbox_")
        assert '"onComplete": () => ui.preauthorizeApiKey(' in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
        whoami = call(secret).json()
        assert whoami["environment"] == "sandbox" and whoami["id"] == owner.partner.public_id

    def test_the_key_is_stored_as_its_digest_only_and_kept_off_the_teams_key_list(self, owner):
        secret = open_explorer(owner.client)

        key = ApiKey.objects.get(explorer=True)
        assert key.digest == keys.digest(secret) and key.created_by == owner.user
        assert secret not in json.dumps(list(ApiKey.objects.values()), default=str)
        assert secret not in json.dumps(dict(owner.client.session.items()), default=str)
        assert key.public_id not in owner.client.get("/portal/keys/").content.decode()
        assert owner.client.get(f"/portal/keys/{key.public_id}/revoke/").status_code == 404

    def test_a_viewer_has_no_explorer_key(self, member):
        viewer = member("viewer")

        assert viewer.client.get(UI).status_code == 403
        assert viewer.client.get("/portal/explorer/").status_code == 403
        assert not ApiKey.objects.exists()


class TestTheKeyNeverActsOnLive:
    def test_with_the_portal_on_live_the_key_is_still_a_sandbox_key_and_live_objects_do_not_exist_for_it(self, owner):
        live = owner.use_live()
        live_endpoint = webhooks.endpoint_create(
            partner=owner.partner, environment=live, url="http://127.0.0.1:9/live", enabled_events=["*"]
        )

        secret = open_explorer(owner.client)

        assert ApiKey.objects.get(explorer=True).environment.kind == "sandbox"
        assert call(secret).json()["environment"] == "sandbox"
        assert_problem(call(secret, f"/v1/webhook_endpoints/{live_endpoint.public_id}"), 404, "resource_missing")
        assert call(secret, "/v1/webhook_endpoints").json()["data"] == []


class TestTheKeyIsShortLived:
    def test_it_expires_after_the_configured_minutes(self, owner, settings):
        secret = open_explorer(owner.client)
        assert call(secret).status_code == 200

        with time_machine.travel(clock.now() + timedelta(minutes=settings.PORTAL_EXPLORER_KEY_MINUTES, seconds=1)):
            assert_problem(call(secret), 401, "api_key_expired")

    def test_reloading_the_explorer_revokes_the_sessions_previous_key(self, owner):
        first = open_explorer(owner.client)
        second = open_explorer(owner.client)

        assert_problem(call(first), 401, "api_key_revoked")
        assert call(second).status_code == 200
        assert ApiKey.objects.filter(explorer=True, revoked_at__isnull=True).count() == 1

    def test_logging_out_revokes_it(self, owner):
        secret = open_explorer(owner.client)

        owner.client.post("/accounts/logout/")

        assert_problem(call(secret), 401, "api_key_revoked")

    def test_another_sessions_key_survives_this_logout(self, owner):
        other_session = Client()
        other_session.force_login(owner.user)
        kept = open_explorer(other_session)
        open_explorer(owner.client)

        owner.client.post("/accounts/logout/")

        assert call(kept).status_code == 200

    def test_it_counts_against_no_limit_and_is_never_announced_as_expiring(self, owner, settings):
        from apps.partners.selectors.api_keys import api_key_expiring_ids

        settings.API_KEY_MAX_ACTIVE = 1
        open_explorer(owner.client)
        response = owner.client.post("/portal/keys/new/", {"environment": "sandbox", "name": "server"})

        assert response.status_code == 201, response.content[:300]
        assert api_key_expiring_ids(now=clock.now()) == []


class TestTheSecretIsInNoLog:
    def test_neither_the_logs_nor_the_request_log_hold_it(self, owner, caplog):
        with caplog.at_level(logging.DEBUG):
            secret = open_explorer(owner.client)
            call(secret, "/v1/events?limit=5")
            request_logs.flush()

        assert secret not in caplog.text
        assert all(secret not in str(record.args) for record in caplog.records)
        database = router.db_for_read(RequestLog)
        with connections[database].cursor() as cursor:
            cursor.execute("SELECT * FROM partners_requestlog")
            rows = cursor.fetchall()
        assert rows and secret not in json.dumps(rows, default=str)
