"""API keys in the portal: list, create (full, restricted, expiring), revoke, roll with a grace period."""

import html
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from apps.core.scopes import PARTNER_LEVEL
from apps.partners.models import ApiKey, AuditEvent
from apps.partners.services import (
    ApiKeyNotRollable,
    RollGraceInvalid,
    api_key_cache_key,
    api_key_create,
    api_key_revoke,
    api_key_roll,
    live_environment_open,
)
from tests.helpers import assert_problem
from tests.partners.factories import PartnerFactory

pytestmark = pytest.mark.django_db

LIST, CREATE = "/portal/keys/", "/portal/keys/new/"
WHO_AM_I = "/v1/partner"
HOUR, DAY = 3600, 86400


def revoke_url(api_key: ApiKey) -> str:
    return f"/portal/keys/{api_key.public_id}/revoke/"


def roll_url(api_key: ApiKey) -> str:
    return f"/portal/keys/{api_key.public_id}/roll/"


def create_data(**overrides):
    return {"environment": "sandbox", "name": "Billing server", **overrides}


def key_audit_rows(partner):
    return AuditEvent.objects.filter(partner=partner, action__startswith="api_key.")


def work_in_live(member):
    live_environment_open(partner=member.partner)
    response = member.client.post("/portal/switch/environment", {"environment": "live"})
    assert response.status_code == 302
    return member.partner.environments.get(kind="live")


def later(days: int) -> str:
    return (timezone.now().date() + timedelta(days=days)).isoformat()


class TestKeyList:
    def test_it_lists_only_the_current_environments_keys_newest_first(self, owner):
        start = timezone.now()
        with time_machine.travel(start - timedelta(hours=2), tick=False):
            older = api_key_create(environment=owner.sandbox, name="Older").api_key
        with time_machine.travel(start - timedelta(hours=1), tick=False):
            newer = api_key_create(environment=owner.sandbox, name="Newer").api_key
        other_partner = api_key_create(environment=PartnerFactory().environments.get(), name="Theirs").api_key
        live = api_key_create(environment=live_environment_open(partner=owner.partner), name="Live").api_key

        response = owner.client.get(LIST)

        assert response.status_code == 200
        assert [row.key.public_id for row in response.context["rows"]] == [newer.public_id, older.public_id]
        content = response.content.decode()
        assert newer.redacted in content and older.redacted in content
        assert other_partner.public_id not in content and "Theirs" not in content
        assert live.public_id not in content and "Live</td>" not in content

    def test_working_in_live_lists_the_live_keys(self, owner):
        api_key_create(environment=owner.sandbox, name="Sandbox key")
        live = work_in_live(owner)
        live_key = api_key_create(environment=live, name="Live key").api_key

        response = owner.client.get(LIST)

        assert [row.key.public_id for row in response.context["rows"]] == [live_key.public_id]
        assert "cw_sk_live_..." in response.content.decode()

    def test_each_row_shows_scopes_expiry_last_use_and_status(self, owner):
        now = timezone.now()
        env = owner.sandbox
        full = api_key_create(environment=env, name="Full").api_key
        api_key_create(environment=env, name="Restricted", scopes=["webhooks:write", "events:read"])
        expiring = api_key_create(environment=env, name="Expiring", expires_at=now + timedelta(days=3))
        expired = api_key_create(environment=env, name="Expired", expires_at=now - timedelta(minutes=1))
        revoked = api_key_create(environment=env, name="Revoked").api_key
        api_key_revoke(api_key=revoked)
        rolled = api_key_create(environment=env, name="Rolled").api_key
        api_key_roll(api_key=rolled, grace=timedelta(hours=1), created_by=None)
        ApiKey.objects.filter(pk=full.pk).update(last_used_at=datetime(2026, 3, 4, 5, 6, tzinfo=UTC))

        response = owner.client.get(LIST)

        rows = {row.key.name: row for row in response.context["rows"] if row.key.pk != rolled.rolled_to_id}
        assert {name: row.status for name, row in rows.items()} == {
            "Full": "active",
            "Restricted": "active",
            "Expiring": "expiring",
            "Expired": "expired",
            "Revoked": "revoked",
            "Rolled": "rolled",
        }
        assert rows["Full"].scopes == "all"
        assert rows["Restricted"].scopes == "events:read, webhooks:write"
        content = response.content.decode()
        assert "2026-03-04 05:06" in content
        assert f'data-key="{expiring.api_key.public_id}" data-status="expiring"' in content
        assert f'data-key="{expired.api_key.public_id}" data-status="expired"' in content
        assert f'data-key="{rolled.public_id}" data-status="rolled"' in content

    def test_viewers_see_the_list_without_create_roll_or_revoke_links(self, member):
        viewer = member("viewer")
        api_key = api_key_create(environment=viewer.sandbox, name="Visible").api_key

        response = viewer.client.get(LIST)

        assert response.status_code == 200
        content = response.content.decode()
        assert api_key.redacted in content
        assert CREATE not in content
        assert roll_url(api_key) not in content and revoke_url(api_key) not in content

    def test_members_who_manage_keys_get_the_links(self, member):
        developer = member("developer")
        api_key = api_key_create(environment=developer.sandbox, name="Mine").api_key

        content = developer.client.get(LIST).content.decode()

        assert CREATE in content and roll_url(api_key) in content and revoke_url(api_key) in content


class TestKeyCreate:
    @pytest.mark.parametrize("role", ["owner", "admin", "developer"])
    def test_a_full_key_is_shown_once_with_a_curl_command_and_authenticates(self, member, client_for, role):
        someone = member(role)

        response = someone.client.post(CREATE, create_data())

        assert response.status_code == 201
        secret = response.context["secret"]
        assert secret.startswith("cw_sk_sandbox_")
        content = response.content.decode()
        assert secret in content
        assert f'curl -H "Authorization: Bearer {secret}" http://testserver/v1/partner' in html.unescape(content)
        assert "will not be shown again" in content
        api_key = ApiKey.objects.get(partner=someone.partner)
        assert (api_key.name, api_key.scopes, api_key.expires_at) == ("Billing server", [], None)
        assert api_key.environment == someone.sandbox
        assert api_key.created_by == someone.user
        whoami = client_for(secret).get(WHO_AM_I)
        assert whoami.status_code == 200
        assert whoami.json()["credential"]["id"] == api_key.public_id
        assert sorted(whoami.json()["credential"]["scopes"]) == sorted(PARTNER_LEVEL)

    def test_a_restricted_key_carries_only_the_chosen_scopes(self, owner, client_for):
        response = owner.client.post(CREATE, create_data(scopes=["events:read", "webhooks:write"]))

        assert response.status_code == 201
        assert ApiKey.objects.get(partner=owner.partner).scopes == ["events:read", "webhooks:write"]
        whoami = client_for(response.context["secret"]).get(WHO_AM_I)
        assert sorted(whoami.json()["credential"]["scopes"]) == ["events:read", "webhooks:write"]

    def test_an_expiry_date_makes_the_key_stop_at_midnight_utc_that_day(self, owner):
        with time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=UTC), tick=False):
            response = owner.client.post(CREATE, create_data(expires_on="2026-12-31"))

        assert response.status_code == 201
        assert ApiKey.objects.get(partner=owner.partner).expires_at == datetime(2026, 12, 31, tzinfo=UTC)

    def test_creation_is_audited_without_the_secret(self, owner):
        response = owner.client.post(CREATE, create_data(scopes=["events:read"], expires_on=later(30)))

        secret = response.context["secret"]
        api_key = ApiKey.objects.get(partner=owner.partner)
        row = key_audit_rows(owner.partner).get()
        assert (row.action, row.target_type, row.target_id, row.environment, row.actor) == (
            "api_key.created",
            "api_key",
            api_key.public_id,
            "sandbox",
            owner.user,
        )
        assert row.metadata == {
            "name": "Billing server",
            "scopes": ["events:read"],
            "expires_at": api_key.expires_at.isoformat().replace("+00:00", "Z"),
        }
        assert secret[-30:] not in json.dumps(row.metadata)

    def test_the_secret_is_not_shown_again_on_reload_in_the_list_or_in_the_session(self, owner):
        secret = owner.client.post(CREATE, create_data()).context["secret"]
        body = secret.removeprefix("cw_sk_sandbox_")

        pages = [owner.client.get(CREATE), owner.client.get(LIST)]

        for page in pages:
            assert page.status_code == 200
            assert body[:-4] not in page.content.decode()
        assert all(body[:-4] not in str(value) for value in owner.client.session.values())

    def test_the_page_showing_the_secret_is_not_cacheable(self, owner):
        response = owner.client.post(CREATE, create_data())

        assert "no-store" in response["Cache-Control"]

    def test_an_htmx_post_gets_only_the_result_fragment(self, owner):
        response = owner.client.post(CREATE, create_data(), HTTP_HX_REQUEST="true")

        assert response.status_code == 201
        content = response.content.decode()
        assert response.context["secret"] in content
        assert "<html" not in content and 'data-testid="issued-key"' in content

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 101}, "name"),
            ({"scopes": ["transfers:write"]}, "scopes"),
            ({"scopes": ["events:read", "nope"]}, "scopes"),
            ({"expires_on": "2020-01-01"}, "expires_on"),
            ({"expires_on": "today"}, "expires_on"),
            ({"expires_on": "2026-13-45"}, "expires_on"),
            ({"environment": "staging"}, "environment"),
        ],
    )
    def test_bad_input_re_renders_the_form_with_the_error_and_writes_nothing(self, owner, overrides, field):
        response = owner.client.post(CREATE, create_data(**overrides))

        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert "secret" not in response.context
        assert 'class="errorlist' in response.content.decode()
        assert not ApiKey.objects.exists()
        assert not key_audit_rows(owner.partner).exists()

    @pytest.mark.parametrize(("days", "valid"), [(0, False), (1, True), (730, True), (731, False)])
    def test_the_expiry_must_be_after_today_and_at_most_two_years_ahead(self, owner, days, valid):
        response = owner.client.post(CREATE, create_data(expires_on=later(days)))

        assert response.status_code == (201 if valid else 400)
        assert ApiKey.objects.exists() is valid
        if not valid:
            assert "expires_on" in response.context["form"].errors

    def test_an_invalid_htmx_post_gets_the_form_fragment_with_errors(self, owner):
        response = owner.client.post(CREATE, create_data(name=""), HTTP_HX_REQUEST="true")

        assert response.status_code == 400
        content = response.content.decode()
        assert "<html" not in content and "errorlist" in content and "<form" in content


class TestLiveKeys:
    def test_a_live_key_cannot_be_created_without_a_live_environment(self, owner):
        session = owner.client.session
        session["portal_environment"] = "live"
        session.save()

        page = owner.client.get(CREATE)
        response = owner.client.post(CREATE, create_data(environment="live"))

        assert page.context["form"]["environment"].value() == "sandbox"
        assert response.status_code == 400
        assert "not open" in str(response.context["form"].errors["environment"])
        assert not ApiKey.objects.exists()
        assert not key_audit_rows(owner.partner).exists()

    def test_once_live_is_open_a_key_created_while_working_in_live_is_a_live_key(self, owner, client_for):
        live = work_in_live(owner)

        response = owner.client.post(CREATE, create_data(environment="live"))

        assert response.status_code == 201
        assert response.context["secret"].startswith("cw_sk_live_")
        assert ApiKey.objects.get(partner=owner.partner).environment == live
        assert client_for(response.context["secret"]).get(WHO_AM_I).json()["environment"] == "live"
        assert key_audit_rows(owner.partner).get().environment == "live"

    def test_the_live_form_offers_no_sandbox_only_scope_and_a_live_key_cannot_carry_one(self, owner):
        work_in_live(owner)

        page = owner.client.get(CREATE)
        response = owner.client.post(CREATE, create_data(environment="live", scopes=["sandbox:write"]))

        offered = [value for value, _ in page.context["form"].fields["scopes"].choices]
        assert offered == ["consents:write", "events:read", "offers:write", "points:write", "webhooks:write"]
        assert "sandbox:write" not in page.content.decode()
        assert response.status_code == 400
        assert "scopes" in response.context["form"].errors
        assert not ApiKey.objects.exists()

    def test_a_form_opened_in_one_environment_is_refused_after_switching_to_the_other(self, owner):
        work_in_live(owner)

        response = owner.client.post(CREATE, create_data(environment="sandbox"))

        assert response.status_code == 400
        assert "environment" in response.context["form"].errors
        assert not ApiKey.objects.exists()


class TestKeyRevoke:
    def test_the_confirmation_page_names_the_key(self, owner):
        api_key = api_key_create(environment=owner.sandbox, name="Billing").api_key

        response = owner.client.get(revoke_url(api_key))

        assert response.status_code == 200
        assert api_key.redacted in response.content.decode()
        assert ApiKey.objects.get(pk=api_key.pk).revoked_at is None

    def test_a_revoked_key_is_refused_on_the_very_next_request_even_when_cached(
        self, owner, client_for, django_capture_on_commit_callbacks
    ):
        issued = api_key_create(environment=owner.sandbox, name="Billing")
        api = client_for(issued.secret)
        assert api.get(WHO_AM_I).status_code == 200
        assert cache.get(api_key_cache_key(issued.api_key.digest)) is not None

        with django_capture_on_commit_callbacks(execute=True):
            response = owner.client.post(revoke_url(issued.api_key))

        assert response.status_code == 302 and response["Location"] == LIST
        refused = api.get(WHO_AM_I)
        assert_problem(refused, 401, "api_key_revoked")
        assert ApiKey.objects.get(pk=issued.api_key.pk).revoked_at is not None
        row = key_audit_rows(owner.partner).get()
        assert (row.action, row.target_id, row.actor) == ("api_key.revoked", issued.api_key.public_id, owner.user)
        assert row.metadata == {"name": "Billing", "redacted": issued.api_key.redacted}

    def test_revoking_an_already_revoked_key_changes_nothing(self, owner):
        api_key = api_key_create(environment=owner.sandbox, name="Old").api_key
        api_key_revoke(api_key=api_key)
        revoked_at = ApiKey.objects.get(pk=api_key.pk).revoked_at

        response = owner.client.post(revoke_url(api_key))

        assert response.status_code == 302
        assert ApiKey.objects.get(pk=api_key.pk).revoked_at == revoked_at
        assert not key_audit_rows(owner.partner).exists()


class TestKeyRoll:
    def test_the_new_key_works_and_the_old_one_works_until_the_grace_period_ends(
        self, owner, client_for, django_capture_on_commit_callbacks
    ):
        start = timezone.now().replace(microsecond=0)
        with time_machine.travel(start, tick=False):
            old = api_key_create(environment=owner.sandbox, name="Billing", scopes=["events:read"])
            old_api = client_for(old.secret)
            assert old_api.get(WHO_AM_I).status_code == 200  # cached, with no expiry

            with django_capture_on_commit_callbacks(execute=True):
                response = owner.client.post(roll_url(old.api_key), {"grace": str(HOUR)})

            assert response.status_code == 201
            secret = response.context["secret"]
            assert secret != old.secret and secret in response.content.decode()
            assert "will not be shown again" in response.content.decode()
            new_api = client_for(secret)
            assert new_api.get(WHO_AM_I).status_code == 200
            assert old_api.get(WHO_AM_I).status_code == 200

        old_row = ApiKey.objects.get(pk=old.api_key.pk)
        new_row = ApiKey.objects.get(digest=response.context["issued"].digest)
        assert old_row.expires_at == start + timedelta(hours=1)
        assert old_row.revoked_at is None
        assert old_row.rolled_to == new_row
        assert (new_row.name, new_row.scopes, new_row.environment, new_row.expires_at) == (
            "Billing",
            ["events:read"],
            owner.sandbox,
            None,
        )
        with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
            refused = old_api.get(WHO_AM_I)
            assert new_api.get(WHO_AM_I).status_code == 200
        assert_problem(refused, 401, "api_key_expired")

    def test_rolling_is_audited_without_either_secret(self, owner):
        old = api_key_create(environment=owner.sandbox, name="Billing")

        response = owner.client.post(roll_url(old.api_key), {"grace": str(DAY), "expires_on": later(90)})

        new_key = response.context["issued"]
        row = key_audit_rows(owner.partner).get()
        assert (row.action, row.target_id, row.actor) == ("api_key.rolled", old.api_key.public_id, owner.user)
        assert row.metadata["rolled_to"] == new_key.public_id
        assert row.metadata["grace_seconds"] == DAY
        assert row.metadata["old_key_revoked"] is False
        assert row.metadata["expires_at"] == new_key.expires_at.isoformat().replace("+00:00", "Z")
        dumped = json.dumps(row.metadata)
        assert old.secret[-30:] not in dumped and response.context["secret"][-30:] not in dumped

    def test_grace_now_revokes_the_old_key_at_once_even_when_cached(
        self, owner, client_for, django_capture_on_commit_callbacks
    ):
        old = api_key_create(environment=owner.sandbox, name="Billing")
        old_api = client_for(old.secret)
        assert old_api.get(WHO_AM_I).status_code == 200

        with django_capture_on_commit_callbacks(execute=True):
            response = owner.client.post(roll_url(old.api_key), {"grace": "0"})

        assert response.status_code == 201
        refused = old_api.get(WHO_AM_I)
        assert refused.status_code == 401 and refused.json()["code"] == "api_key_revoked"
        assert client_for(response.context["secret"]).get(WHO_AM_I).status_code == 200
        assert "has been revoked" in response.content.decode()

    @pytest.mark.parametrize("state", ["revoked", "expired", "rolled"])
    def test_a_key_that_is_not_active_cannot_be_rolled(self, owner, state):
        api_key = api_key_create(environment=owner.sandbox, name="Old").api_key
        if state == "revoked":
            api_key_revoke(api_key=api_key)
        elif state == "expired":
            ApiKey.objects.filter(pk=api_key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        else:
            api_key_roll(api_key=api_key, grace=timedelta(hours=1), created_by=None)
        before = list(ApiKey.objects.values())

        response = owner.client.post(roll_url(api_key), {"grace": str(HOUR)})

        assert response.status_code == 409
        assert response.context["form"].non_field_errors()
        assert "secret" not in response.context
        assert list(ApiKey.objects.values()) == before
        assert not key_audit_rows(owner.partner).exists()

    def test_the_roll_page_of_a_revoked_key_offers_no_form(self, owner):
        api_key = api_key_create(environment=owner.sandbox, name="Old").api_key
        api_key_revoke(api_key=api_key)

        response = owner.client.get(roll_url(api_key))

        assert response.status_code == 200
        assert "cannot be rolled" in response.content.decode()
        assert 'name="grace"' not in response.content.decode()

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"grace": str(14 * DAY)}, "grace"),
            ({"grace": str(7 * DAY + 1)}, "grace"),
            ({"grace": "-3600"}, "grace"),
            ({"grace": "soon"}, "grace"),
            ({}, "grace"),
            ({"grace": str(HOUR), "expires_on": "2020-01-01"}, "expires_on"),
            ({"grace": str(HOUR), "expires_on": "31/12/2030"}, "expires_on"),
        ],
    )
    def test_bad_input_re_renders_the_form_and_writes_nothing(self, owner, data, field):
        api_key = api_key_create(environment=owner.sandbox, name="Old").api_key
        before = list(ApiKey.objects.values())

        response = owner.client.post(roll_url(api_key), data)

        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert 'class="errorlist' in response.content.decode()
        assert list(ApiKey.objects.values()) == before
        assert not key_audit_rows(owner.partner).exists()


class TestApiKeyRollService:
    def test_a_grace_beyond_seven_days_is_refused_and_nothing_is_written(self, sandbox_key):
        with pytest.raises(RollGraceInvalid) as raised:
            api_key_roll(api_key=sandbox_key.api_key, grace=timedelta(days=7, seconds=1), created_by=None)

        assert (raised.value.status, raised.value.code) == (400, "parameter_invalid")
        assert ApiKey.objects.count() == 1
        assert ApiKey.objects.get().expires_at is None

    def test_a_negative_grace_is_refused(self, sandbox_key):
        with pytest.raises(RollGraceInvalid):
            api_key_roll(api_key=sandbox_key.api_key, grace=timedelta(seconds=-1), created_by=None)

    def test_seven_days_is_allowed(self, sandbox_key):
        issued = api_key_roll(api_key=sandbox_key.api_key, grace=timedelta(days=7), created_by=None)

        assert issued.api_key.pk != sandbox_key.api_key.pk
        assert sandbox_key.api_key.rolled_to == issued.api_key

    def test_a_revoked_key_is_refused_and_no_key_is_created(self, sandbox_key):
        api_key_revoke(api_key=sandbox_key.api_key)

        with pytest.raises(ApiKeyNotRollable) as raised:
            api_key_roll(api_key=sandbox_key.api_key, grace=timedelta(hours=1), created_by=None)

        assert raised.value.code == "api_key_not_rollable" and raised.value.status == 409
        assert ApiKey.objects.count() == 1

    def test_an_expired_key_is_refused(self, sandbox):
        issued = api_key_create(environment=sandbox, expires_at=timezone.now() - timedelta(seconds=1))

        with pytest.raises(ApiKeyNotRollable):
            api_key_roll(api_key=issued.api_key, grace=timedelta(hours=1), created_by=None)

        assert ApiKey.objects.count() == 1

    def test_the_grace_never_extends_an_earlier_expiry(self, sandbox):
        soon = timezone.now() + timedelta(minutes=10)
        issued = api_key_create(environment=sandbox, expires_at=soon)

        api_key_roll(api_key=issued.api_key, grace=timedelta(days=3), created_by=None)

        assert ApiKey.objects.get(pk=issued.api_key.pk).expires_at == soon

    def test_the_cached_copy_is_dropped_so_the_new_expiry_applies_on_the_next_request(
        self, sandbox_key, sandbox_client, django_capture_on_commit_callbacks, settings
    ):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            assert sandbox_client.get(WHO_AM_I).status_code == 200
            with django_capture_on_commit_callbacks(execute=True):
                api_key_roll(api_key=sandbox_key.api_key, grace=timedelta(seconds=30), created_by=None)
        # Still inside the cache lifetime of the copy cached before the roll (which had no expiry).
        assert settings.API_KEY_CACHE_SECONDS > 31
        with time_machine.travel(start + timedelta(seconds=31), tick=False):
            response = sandbox_client.get(WHO_AM_I)

        assert_problem(response, 401, "api_key_expired")


class TestKeyPermissions:
    @pytest.mark.parametrize(
        ("method", "url", "data"),
        [
            ("get", "create", None),
            ("post", "create", create_data()),
            ("get", "revoke", None),
            ("post", "revoke", {}),
            ("get", "roll", None),
            ("post", "roll", {"grace": "0"}),
        ],
    )
    def test_viewers_get_403_and_change_nothing(self, member, method, url, data):
        viewer = member("viewer")
        api_key = api_key_create(environment=viewer.sandbox, name="Theirs").api_key
        target = {"create": CREATE, "revoke": revoke_url(api_key), "roll": roll_url(api_key)}[url]
        before = list(ApiKey.objects.values())

        response = getattr(viewer.client, method)(target, data)

        assert response.status_code == 403
        assert list(ApiKey.objects.values()) == before
        assert not key_audit_rows(viewer.partner).exists()

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.post(CREATE, create_data())

        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert not ApiKey.objects.exists()


class TestKeyTenancy:
    @pytest.mark.parametrize(
        ("method", "action", "data"),
        [("get", "revoke", None), ("post", "revoke", {}), ("get", "roll", None), ("post", "roll", {"grace": "0"})],
    )
    def test_another_partners_key_is_404_and_untouched(self, owner, method, action, data):
        theirs = api_key_create(environment=PartnerFactory().environments.get(), name="Theirs").api_key
        url = revoke_url(theirs) if action == "revoke" else roll_url(theirs)

        response = getattr(owner.client, method)(url, data)

        assert response.status_code == 404
        row = ApiKey.objects.get(pk=theirs.pk)
        assert row.revoked_at is None and row.rolled_to is None
        assert ApiKey.objects.count() == 1

    @pytest.mark.parametrize("action", ["revoke", "roll"])
    def test_a_key_of_the_other_environment_is_404(self, owner, action):
        live_key = api_key_create(environment=live_environment_open(partner=owner.partner), name="Live").api_key
        url = revoke_url(live_key) if action == "revoke" else roll_url(live_key)

        response = owner.client.post(url, {"grace": "0"})

        assert response.status_code == 404
        assert ApiKey.objects.get(pk=live_key.pk).revoked_at is None

    def test_an_unknown_key_id_is_404(self, owner):
        assert owner.client.get("/portal/keys/key_doesnotexist/roll/").status_code == 404
