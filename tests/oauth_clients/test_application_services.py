import base64
import json
import string

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from oauth2_provider.models import get_access_token_model, get_application_model, get_refresh_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request

from apps.core.scopes import USER_DELEGATED
from apps.oauth_clients import validators
from apps.oauth_clients.models import Application, Grant
from apps.oauth_clients.selectors import application_get, application_list
from apps.oauth_clients.services import (
    ApplicationInvalid,
    ClientIsPublic,
    application_create,
    application_delete,
    application_rotate_secret,
    application_update,
)
from apps.partners.models import AuditEvent
from tests.core.factories import UserFactory
from tests.oauth_clients.factories import AccessTokenFactory, GrantFactory, RefreshTokenFactory
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory

BASE62 = set(string.ascii_letters + string.digits)


def _create(environment, **overrides):
    arguments = {
        "environment": environment,
        "name": "Budget buddy",
        "redirect_uris": ["https://budget.example.com/callback"],
        "allowed_scopes": ["balances:read", "accounts:read"],
    }
    return application_create(**{**arguments, **overrides})


def _problems(excinfo) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in excinfo.value.errors:
        found.setdefault(problem["field"], []).append(problem["code"])
    return found


def _dot_authenticates(client_id: str, secret: str) -> bool:
    """Client authentication exactly as django-oauth-toolkit's token endpoint performs it (HTTP Basic)."""
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request = Request(
        "https://causeway.test/o/token/", http_method="POST", headers={"HTTP_AUTHORIZATION": f"Basic {credentials}"}
    )
    return bool(OAuth2Validator().authenticate_client(request))


def _issue_tokens(application, *, scope="accounts:read"):
    """An access token with its refresh token and an authorization code, all of one new user."""
    holder = UserFactory()
    access = AccessTokenFactory(application=application, user=holder, scope=scope)
    refresh = RefreshTokenFactory(access_token=access)
    grant = GrantFactory(application=application, user=holder, scope=scope)
    return access, refresh, grant


# (uri, problem code in sandbox, problem code in live); None means the URI may be registered.
REDIRECT_URI_TABLE = [
    ("https://example.com/callback", None, None),
    ("https://app.example.com:8443/oauth/callback?source=portal", None, None),
    ("https://example.com", None, None),
    ("http://localhost:3000/callback", None, "redirect_uri_scheme"),
    ("http://localhost/callback", None, "redirect_uri_scheme"),
    ("http://127.0.0.1:8000/cb", None, "redirect_uri_scheme"),
    ("https://localhost:3000/cb", None, "redirect_uri_localhost"),
    ("https://127.0.0.1/cb", None, "redirect_uri_localhost"),
    ("https://127.1.2.3/cb", None, "redirect_uri_localhost"),
    ("https://[::1]/cb", None, "redirect_uri_localhost"),
    ("https://dev.localhost/cb", None, "redirect_uri_localhost"),
    ("http://example.com/callback", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("http://LOCALHOST:3000/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("http://localhost.example.com/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("http://127.0.0.2/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("http://[::1]:3000/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("http://0.0.0.0:3000/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("HTTPS://example.com/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("ftp://example.com/cb", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("com.example.app:/oauth2redirect", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("javascript:alert(1)", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("JavaScript://example.com/%0aalert(1)", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("data:text/html,<script>alert(1)</script>", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("file:///etc/passwd", "redirect_uri_scheme", "redirect_uri_scheme"),
    ("https://*.example.com/cb", "redirect_uri_wildcard", "redirect_uri_wildcard"),
    ("https://example.com/*", "redirect_uri_wildcard", "redirect_uri_wildcard"),
    ("http://localhost:*/cb", "redirect_uri_wildcard", "redirect_uri_wildcard"),
    ("https://example.com/cb#section", "redirect_uri_fragment", "redirect_uri_fragment"),
    ("https://example.com/cb#", "redirect_uri_fragment", "redirect_uri_fragment"),
    ("https://user:pass@example.com/cb", "redirect_uri_userinfo", "redirect_uri_userinfo"),
    ("http://evil.example@localhost:3000/cb", "redirect_uri_userinfo", "redirect_uri_userinfo"),
    ("/callback", "redirect_uri_not_absolute", "redirect_uri_not_absolute"),
    ("example.com/callback", "redirect_uri_not_absolute", "redirect_uri_not_absolute"),
    ("https:/example.com/cb", "redirect_uri_not_absolute", "redirect_uri_not_absolute"),
    ("https:///cb", "redirect_uri_not_absolute", "redirect_uri_not_absolute"),
    ("https://example.com/a b", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://example.com/cb\t", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://exämple.com/cb", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://example.com\\.evil.com/cb", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://example.com:99999/cb", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://example.com:port/cb", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://nodots/cb", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("", "redirect_uri_invalid", "redirect_uri_invalid"),
    ("https://example.com/" + "a" * 481, "redirect_uri_too_long", "redirect_uri_too_long"),
]


class TestRedirectUriRules:
    @pytest.mark.parametrize(("uri", "in_sandbox", "in_live"), REDIRECT_URI_TABLE)
    def test_each_uri_is_allowed_or_refused_with_its_reason_per_environment(self, uri, in_sandbox, in_live):
        for kind, expected in (("sandbox", in_sandbox), ("live", in_live)):
            problem = validators.redirect_uri_problem(uri, environment_kind=kind)

            assert (problem or {}).get("code") == expected, (kind, uri, problem)
            if problem:
                assert problem["field"] == "redirect_uris"
                assert problem["message"]

    def test_a_uri_of_exactly_the_maximum_length_is_allowed(self):
        uri = "https://example.com/" + "a" * 480

        assert len(uri) == validators.REDIRECT_URI_MAX_LENGTH
        assert validators.redirect_uri_problem(uri, environment_kind="live") is None


class TestRedirectUriListRules:
    @pytest.mark.parametrize(
        ("uris", "code"),
        [
            ([], "redirect_uris_required"),
            ([f"https://example.com/{n}" for n in range(11)], "redirect_uris_too_many"),
            (["https://example.com/cb", "https://example.com/cb"], "redirect_uris_duplicate"),
            ("https://example.com/cb", "redirect_uris_invalid"),
            (["https://example.com/cb", 7], "redirect_uris_invalid"),
            (None, "redirect_uris_invalid"),
        ],
    )
    def test_malformed_lists_are_refused(self, uris, code):
        problems = validators.redirect_uris_problems(uris, environment_kind="sandbox")

        assert code in [p["code"] for p in problems]

    def test_ten_distinct_uris_are_allowed(self):
        uris = [f"https://example.com/{n}" for n in range(10)]

        assert validators.redirect_uris_problems(uris, environment_kind="live") == []


class TestLogoAndScopeRules:
    @pytest.mark.parametrize(
        ("logo_url", "code"),
        [
            ("", None),
            ("https://cdn.example.com/logo.png", None),
            ("http://cdn.example.com/logo.png", "logo_url_scheme"),
            ("javascript:alert(1)", "logo_url_scheme"),
            ("https://user:pw@cdn.example.com/logo.png", "logo_url_invalid"),
            ("https://cdn.example.com/a logo.png", "logo_url_invalid"),
            ("https://", "logo_url_invalid"),
            ("https://cdn.example.com/" + "a" * 477, "logo_url_too_long"),
        ],
    )
    def test_logo_urls(self, logo_url, code):
        problems = validators.logo_url_problems(logo_url)

        assert [p["code"] for p in problems] == ([code] if code else [])

    @pytest.mark.parametrize(
        ("scopes", "code"),
        [
            (["accounts:read"], None),
            (sorted(USER_DELEGATED), None),
            ([], "scopes_required"),
            (["events:read", "accounts:read"], None),
            (["introspection"], "scopes_invalid"),
            (["accounts:read", "everything"], "scopes_invalid"),
            ("accounts:read", "scopes_invalid"),
        ],
    )
    def test_allowed_scopes_are_user_delegated_or_partner_level_and_at_least_one(self, scopes, code):
        problems = validators.allowed_scopes_problems(scopes)

        assert [p["code"] for p in problems] == ([code] if code else [])


@pytest.mark.django_db
class TestApplicationCreate:
    def test_a_confidential_sandbox_app_gets_a_secret_shown_once_and_stored_hashed(self, sandbox):
        issued = _create(sandbox, redirect_uris=["https://budget.example.com/callback", "http://localhost:3000/cb"])

        secret = issued.client_secret
        assert secret.startswith("cw_cs_")
        assert len(secret) == 6 + 48
        assert set(secret[6:]) <= BASE62
        stored = get_application_model().objects.get(client_id=issued.application.client_id)
        assert stored.client_secret != secret
        assert identify_hasher(stored.client_secret).algorithm in stored.client_secret.split("$", 1)[0]
        assert check_password(secret, stored.client_secret)
        assert _dot_authenticates(stored.client_id, secret)
        assert stored.partner == sandbox.partner
        assert stored.environment == sandbox
        assert stored.client_type == "confidential"
        assert stored.authorization_grant_type == "authorization-code"
        assert stored.redirect_uris == "https://budget.example.com/callback http://localhost:3000/cb"
        assert stored.allowed_scopes == ["accounts:read", "balances:read"]

    def test_two_apps_get_different_secrets_and_client_ids(self, sandbox):
        first, second = _create(sandbox), _create(sandbox, name="Another")

        assert first.client_secret != second.client_secret
        assert first.application.client_id != second.application.client_id

    def test_a_live_app_with_https_redirect_uris_is_created_in_live(self, partner):
        live = LiveEnvironmentFactory(partner=partner)

        issued = _create(live, redirect_uris=["https://budget.example.com/callback"])

        assert issued.application.environment == live
        assert AuditEvent.objects.get(action="app.created").environment == "live"

    def test_a_live_app_cannot_call_back_to_localhost_and_nothing_is_written(self, partner):
        live = LiveEnvironmentFactory(partner=partner)

        with pytest.raises(ApplicationInvalid) as excinfo:
            _create(live, redirect_uris=["http://localhost:3000/callback", "https://localhost/cb"])

        assert _problems(excinfo) == {"redirect_uris": ["redirect_uri_scheme", "redirect_uri_localhost"]}
        assert Application.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def test_a_public_client_has_no_secret(self, sandbox):
        issued = _create(sandbox, confidential=False)

        assert issued.client_secret is None
        stored = Application.objects.get(pk=issued.application.pk)
        assert stored.client_type == "public"
        assert stored.client_secret == ""

    def test_a_name_taken_in_the_environment_is_refused_whatever_its_case(self, sandbox):
        _create(sandbox, name="Budget Buddy")

        with pytest.raises(ApplicationInvalid) as excinfo:
            _create(sandbox, name="  budget BUDDY ")

        assert _problems(excinfo) == {"name": ["name_taken"]}
        assert Application.objects.count() == 1

    def test_the_same_name_is_free_in_another_environment_and_for_another_partner(self, sandbox):
        _create(sandbox, name="Budget Buddy")

        _create(LiveEnvironmentFactory(partner=sandbox.partner), name="Budget Buddy")
        _create(PartnerFactory().environments.get(kind="sandbox"), name="Budget Buddy")

        assert Application.objects.filter(name="Budget Buddy").count() == 3

    def test_oversized_inputs_are_refused_per_field_and_nothing_is_written(self, sandbox):
        with pytest.raises(ApplicationInvalid) as excinfo:
            _create(
                sandbox,
                name="n" * 101,
                logo_url="https://cdn.example.com/" + "a" * 477,
                redirect_uris=["https://example.com/" + "a" * 481],
                allowed_scopes=[],
            )

        assert _problems(excinfo) == {
            "name": ["name_too_long"],
            "logo_url": ["logo_url_too_long"],
            "redirect_uris": ["redirect_uri_too_long"],
            "allowed_scopes": ["scopes_required"],
        }
        assert Application.objects.count() == 0
        assert AuditEvent.objects.count() == 0

    def test_it_records_app_created_without_the_secret(self, sandbox):
        actor = UserFactory()

        issued = _create(sandbox, actor=actor)

        event = AuditEvent.objects.get(action="app.created")
        assert event.partner == sandbox.partner
        assert event.actor == actor
        assert event.target_type == "application"
        assert event.target_id == issued.application.client_id
        assert event.environment == "sandbox"
        assert event.metadata["name"] == "Budget buddy"
        assert issued.client_secret not in json.dumps(event.metadata)
        assert issued.client_secret[6:] not in json.dumps(event.metadata)


@pytest.mark.django_db
class TestApplicationUpdate:
    def _update(self, application, **overrides):
        arguments = {
            "name": application.name,
            "logo_url": application.logo_url,
            "redirect_uris": application.redirect_uris.split(),
            "allowed_scopes": application.allowed_scopes,
        }
        return application_update(application=application, **{**arguments, **overrides})

    def test_it_changes_the_fields_and_records_which_changed(self, sandbox):
        application = _create(sandbox).application

        self._update(
            application,
            name="Budget Buddy 2",
            logo_url="https://cdn.example.com/logo.png",
            redirect_uris=["https://budget.example.com/cb2", "http://127.0.0.1:8000/cb"],
        )

        application.refresh_from_db()
        assert application.name == "Budget Buddy 2"
        assert application.logo_url == "https://cdn.example.com/logo.png"
        assert application.redirect_uris == "https://budget.example.com/cb2 http://127.0.0.1:8000/cb"
        event = AuditEvent.objects.get(action="app.updated")
        assert event.metadata["changed"] == ["name", "logo_url", "redirect_uris"]
        assert event.target_id == application.client_id

    def test_the_same_rules_apply_and_nothing_changes_on_a_refusal(self, partner):
        application = _create(LiveEnvironmentFactory(partner=partner)).application

        with pytest.raises(ApplicationInvalid) as excinfo:
            self._update(application, name="", redirect_uris=["http://localhost:3000/cb"], allowed_scopes=["x"])

        assert _problems(excinfo) == {
            "name": ["name_required"],
            "redirect_uris": ["redirect_uri_scheme"],
            "allowed_scopes": ["scopes_invalid"],
        }
        application.refresh_from_db()
        assert application.name == "Budget buddy"
        assert application.redirect_uris == "https://budget.example.com/callback"
        assert not AuditEvent.objects.filter(action="app.updated").exists()

    def test_renaming_onto_another_apps_name_in_another_case_is_refused(self, sandbox):
        _create(sandbox, name="Taken")
        application = _create(sandbox, name="Mine").application

        with pytest.raises(ApplicationInvalid) as excinfo:
            self._update(application, name="TAKEN")

        assert _problems(excinfo) == {"name": ["name_taken"]}

    def test_changing_only_the_case_of_its_own_name_is_allowed(self, sandbox):
        application = _create(sandbox, name="Mine").application

        self._update(application, name="MINE")

        application.refresh_from_db()
        assert application.name == "MINE"

    def test_saving_without_changes_records_nothing(self, sandbox):
        application = _create(sandbox).application

        self._update(application)

        assert not AuditEvent.objects.filter(action="app.updated").exists()

    def test_narrowing_the_allowed_scopes_revokes_tokens_beyond_the_new_ceiling(self, sandbox):
        application = _create(sandbox, allowed_scopes=["accounts:read", "balances:read"]).application
        kept = _issue_tokens(application, scope="accounts:read")
        beyond = _issue_tokens(application, scope="accounts:read balances:read")

        self._update(application, allowed_scopes=["accounts:read"])

        AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()
        assert AccessToken.objects.filter(pk=kept[0].pk).exists()
        assert RefreshToken.objects.filter(pk=kept[1].pk).exists()
        assert Grant.objects.filter(pk=kept[2].pk).exists()
        assert not AccessToken.objects.filter(pk=beyond[0].pk).exists()
        assert not RefreshToken.objects.filter(pk=beyond[1].pk).exists()
        assert not Grant.objects.filter(pk=beyond[2].pk).exists()

    def test_removing_a_redirect_uri_revokes_the_codes_issued_for_it(self, sandbox):
        application = _create(
            sandbox, redirect_uris=["https://budget.example.com/old", "https://budget.example.com/new"]
        ).application
        _, _, old_code = _issue_tokens(application)

        self._update(application, redirect_uris=["https://budget.example.com/new"])

        assert not Grant.objects.filter(pk=old_code.pk).exists()


@pytest.mark.django_db
class TestApplicationRotateSecret:
    def test_the_old_secret_stops_working_at_once_and_the_new_one_works(self, sandbox):
        first = _create(sandbox)

        rotated = application_rotate_secret(application=first.application)

        stored = get_application_model().objects.get(pk=first.application.pk)
        assert rotated.client_secret != first.client_secret
        assert rotated.client_secret.startswith("cw_cs_")
        assert stored.client_secret != rotated.client_secret
        assert not check_password(first.client_secret, stored.client_secret)
        assert check_password(rotated.client_secret, stored.client_secret)
        assert not _dot_authenticates(stored.client_id, first.client_secret)
        assert _dot_authenticates(stored.client_id, rotated.client_secret)

    def test_it_records_app_secret_rotated_without_the_secret(self, sandbox):
        rotated = application_rotate_secret(application=_create(sandbox).application)

        event = AuditEvent.objects.get(action="app.secret_rotated")
        assert event.target_id == rotated.application.client_id
        assert rotated.client_secret not in json.dumps(event.metadata)

    def test_a_public_client_has_no_secret_to_rotate(self, sandbox):
        application = _create(sandbox, confidential=False).application

        with pytest.raises(ClientIsPublic):
            application_rotate_secret(application=application)

        application.refresh_from_db()
        assert application.client_secret == ""
        assert not AuditEvent.objects.filter(action="app.secret_rotated").exists()


@pytest.mark.django_db
class TestApplicationDelete:
    def test_deleting_an_app_revokes_everything_issued_to_it(self, sandbox):
        application = _create(sandbox).application
        access, refresh, grant = _issue_tokens(application)
        other = _create(sandbox, name="Other").application
        other_tokens = _issue_tokens(other)

        application_delete(application=application)

        AccessToken, RefreshToken = get_access_token_model(), get_refresh_token_model()
        assert not Application.objects.filter(pk=application.pk).exists()
        assert not AccessToken.objects.filter(pk=access.pk).exists()
        assert not RefreshToken.objects.filter(pk=refresh.pk).exists()
        assert not Grant.objects.filter(pk=grant.pk).exists()
        assert AccessToken.objects.filter(pk=other_tokens[0].pk).exists()
        assert RefreshToken.objects.filter(pk=other_tokens[1].pk).exists()
        event = AuditEvent.objects.get(action="app.deleted")
        assert event.target_id == application.client_id
        assert event.metadata["revoked"]["access_tokens"] == 1
        assert event.metadata["revoked"]["refresh_tokens"] == 1
        assert event.metadata["revoked"]["grants"] == 1


@pytest.mark.django_db
class TestApplicationSelectors:
    def test_another_partners_or_environments_app_is_not_found(self, sandbox):
        from apps.core.errors import NotFound

        mine = _create(sandbox).application
        live = LiveEnvironmentFactory(partner=sandbox.partner)
        theirs = _create(PartnerFactory().environments.get(kind="sandbox")).application

        assert application_get(partner=sandbox.partner, environment=sandbox, client_id=mine.client_id) == mine
        assert list(application_list(partner=sandbox.partner, environment=sandbox)) == [mine]
        for environment, client_id in ((sandbox, theirs.client_id), (live, mine.client_id)):
            with pytest.raises(NotFound):
                application_get(partner=sandbox.partner, environment=environment, client_id=client_id)


@pytest.mark.django_db
class TestApplicationAdmin:
    @pytest.fixture
    def staff_client(self, client):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        return client

    def test_staff_can_list_search_and_read_apps_but_never_see_the_secret(self, staff_client, sandbox):
        issued = _create(sandbox)
        stored = Application.objects.get(pk=issued.application.pk)

        listing = staff_client.get("/admin/oauth_clients/application/", {"q": "budget"})
        page = staff_client.get(f"/admin/oauth_clients/application/{stored.pk}/change/")

        assert listing.status_code == 200
        assert issued.application.client_id in listing.content.decode()
        assert page.status_code == 200
        for body in (listing.content.decode(), page.content.decode()):
            assert issued.client_secret not in body
            assert stored.client_secret not in body
        assert staff_client.get("/admin/oauth_clients/application/add/").status_code == 403
