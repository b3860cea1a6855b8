from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from apps.oauth_clients.models import Application
from apps.oauth_clients.services import application_create
from apps.partners.models import AuditEvent
from tests.oauth_clients.factories import AccessTokenFactory, RefreshTokenFactory
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def developer(member):
    return member("developer")


def _form(**overrides) -> dict[str, Any]:
    data = {
        "name": "Budget buddy",
        "logo_url": "https://cdn.example.com/logo.png",
        "redirect_uris": "https://budget.example.com/callback\r\nhttp://localhost:3000/callback\r\n",
        "allowed_scopes": ["accounts:read", "balances:read"],
        "client_type": "confidential",
    }
    return {**data, **overrides}


def _app(environment, name="Budget buddy", **overrides):
    arguments = {
        "environment": environment,
        "name": name,
        "redirect_uris": ["https://budget.example.com/callback"],
        "allowed_scopes": ["accounts:read"],
    }
    return application_create(**{**arguments, **overrides})


def _field_errors(response) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


class TestApplicationList:
    def test_it_lists_the_current_environments_apps_with_their_details(self, developer):
        mine = _app(developer.sandbox, logo_url="https://cdn.example.com/logo.png").application
        _app(PartnerFactory().environments.get(kind="sandbox"), name="Someone else's")
        _app(LiveEnvironmentFactory(partner=developer.partner), name="Our live app")

        response = developer.client.get("/portal/apps/")

        assert response.status_code == 200
        body = response.content.decode()
        assert list(response.context["applications"]) == [mine]
        for shown in (
            "Budget buddy",
            mine.client_id,
            "confidential",
            "https://budget.example.com/callback",
            "accounts:read",
            'src="https://cdn.example.com/logo.png"',
        ):
            assert shown in body
        assert "Someone else&#x27;s" not in body
        assert "Our live app" not in body
        assert mine.client_secret not in body

    def test_a_viewer_sees_the_list_but_no_create_button(self, member):
        viewer = member("viewer")
        _app(viewer.sandbox)

        response = viewer.client.get("/portal/apps/")

        assert response.status_code == 200
        assert "Budget buddy" in response.content.decode()
        assert "/portal/apps/new/" not in response.content.decode()

    def test_the_number_of_queries_does_not_grow_with_the_number_of_apps(self, developer):
        _app(developer.sandbox, name="One")
        with CaptureQueriesContext(connection) as one:
            developer.client.get("/portal/apps/")
        for n in range(4):
            _app(developer.sandbox, name=f"More {n}")
        with CaptureQueriesContext(connection) as five:
            response = developer.client.get("/portal/apps/")

        assert len(response.context["applications"]) == 5
        assert len(five) == len(one)


class TestApplicationCreate:
    def test_a_developer_creates_a_sandbox_app_and_sees_its_secret_once(self, developer):
        response = developer.client.post("/portal/apps/new/", _form())

        assert response.status_code == 200
        application = Application.objects.get()
        secret = response.context["issued"].client_secret
        body = response.content.decode()
        assert secret.startswith("cw_cs_")
        assert secret in body
        assert application.client_id in body
        assert "no-store" in response["Cache-Control"]
        assert application.client_secret != secret
        assert check_password(secret, application.client_secret)
        assert application.environment == developer.sandbox
        assert application.redirect_uris == "https://budget.example.com/callback http://localhost:3000/callback"
        assert application.allowed_scopes == ["accounts:read", "balances:read"]
        assert application.logo_url == "https://cdn.example.com/logo.png"
        for page in ("/portal/apps/", f"/portal/apps/{application.client_id}/"):
            assert secret not in developer.client.get(page).content.decode()
        event = AuditEvent.objects.get(action="app.created")
        assert event.actor == developer.user
        assert event.target_id == application.client_id
        assert secret not in str(event.metadata)

    def test_the_create_page_offers_user_delegated_then_partner_level_scopes_never_introspection(self, developer):
        response = developer.client.get("/portal/apps/new/")

        assert response.status_code == 200
        choices = [value for value, _ in response.context["form"].fields["allowed_scopes"].choices]
        assert choices == [
            "accounts:read",
            "balances:read",
            "insights:read",
            "offers:read",
            "offers:write",
            "points:write",
            "transactions:read",
            "transfers:read",
            "transfers:write",
            "consents:write",
            "events:read",
            "sandbox:write",
            "webhooks:write",
        ]

    def test_a_public_client_is_created_without_a_secret(self, developer):
        response = developer.client.post("/portal/apps/new/", _form(client_type="public"))

        assert response.status_code == 200
        application = Application.objects.get()
        assert response.context["issued"].client_secret is None
        assert application.client_type == "public"
        assert application.client_secret == ""
        assert "no client secret" in response.content.decode()

    def test_a_live_app_is_created_in_live_with_https_redirect_uris(self, developer):
        live = developer.use_live()

        response = developer.client.post(
            "/portal/apps/new/", _form(redirect_uris="https://budget.example.com/callback")
        )

        assert response.status_code == 200
        assert Application.objects.get().environment == live

    def test_a_live_app_cannot_use_localhost_and_nothing_is_written(self, developer):
        developer.use_live()

        response = developer.client.post("/portal/apps/new/", _form())

        assert response.status_code == 400
        errors = _field_errors(response)
        assert list(errors) == ["redirect_uris"]
        assert "http://localhost:3000/callback: live apps must use https." in errors["redirect_uris"]
        assert "live apps must use https" in response.content.decode()
        assert Application.objects.count() == 0
        assert AuditEvent.objects.filter(action="app.created").count() == 0

    def test_a_duplicate_name_in_any_case_is_a_form_error(self, developer):
        _app(developer.sandbox, name="Budget Buddy")

        response = developer.client.post("/portal/apps/new/", _form(name="budget buddy"))

        assert response.status_code == 400
        assert _field_errors(response) == {"name": ["An app with this name already exists here."]}
        assert Application.objects.count() == 1

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("name", "n" * 101),
            ("name", "   "),
            ("logo_url", "https://cdn.example.com/" + "a" * 477),
            ("logo_url", "http://cdn.example.com/logo.png"),
            ("redirect_uris", "https://example.com/" + "a" * 481),
            ("redirect_uris", "https://example.com/" + "a" * 6000),
            ("redirect_uris", "\r\n".join(f"https://example.com/{n}" for n in range(11))),
            ("redirect_uris", "https://example.com/a https://example.com/b"),
            ("redirect_uris", "https://example.com/a\r\nhttps://example.com/a"),
            ("redirect_uris", "https://*.example.com/cb"),
            ("redirect_uris", "https://example.com/cb#top"),
            ("redirect_uris", "https://me:pw@example.com/cb"),
            ("redirect_uris", "javascript:alert(document.cookie)"),
            ("redirect_uris", "/callback"),
            ("redirect_uris", " \r\n "),
            ("allowed_scopes", []),
            ("allowed_scopes", ["introspection"]),
            ("allowed_scopes", ["accounts:read", "nope"]),
            ("client_type", "trusted"),
        ],
    )
    def test_bad_input_is_a_field_error_and_nothing_is_written(self, developer, field, value):
        response = developer.client.post("/portal/apps/new/", _form(**{field: value}))

        assert response.status_code == 400
        assert list(_field_errors(response)) == [field]
        assert 'class="errorlist' in response.content.decode()
        assert Application.objects.count() == 0
        assert AuditEvent.objects.filter(action="app.created").count() == 0

    def test_a_viewer_can_neither_open_nor_submit_the_form(self, member):
        viewer = member("viewer")

        assert viewer.client.get("/portal/apps/new/").status_code == 403
        assert viewer.client.post("/portal/apps/new/", _form()).status_code == 403
        assert Application.objects.count() == 0

    def test_a_post_without_the_csrf_token_is_refused(self, developer):
        client = Client(enforce_csrf_checks=True)
        client.force_login(developer.user)

        assert client.post("/portal/apps/new/", _form()).status_code == 403
        assert Application.objects.count() == 0


class TestApplicationDetailAndEdit:
    def test_every_member_sees_the_details_but_never_a_secret(self, member):
        viewer = member("viewer")
        issued = _app(viewer.sandbox)

        response = viewer.client.get(f"/portal/apps/{issued.application.client_id}/")

        assert response.status_code == 200
        body = response.content.decode()
        assert issued.application.client_id in body
        assert issued.client_secret not in body
        assert Application.objects.get().client_secret not in body
        assert "/edit/" not in body

    def test_a_developer_edits_an_app_under_the_same_rules(self, developer):
        application = _app(developer.sandbox).application
        url = f"/portal/apps/{application.client_id}/edit/"

        assert developer.client.get(url).status_code == 200
        response = developer.client.post(
            url,
            _form(
                name="Budget buddy 2", redirect_uris="https://budget.example.com/v2", allowed_scopes=["accounts:read"]
            ),
        )

        assert response.status_code == 302
        assert response["Location"] == f"/portal/apps/{application.client_id}/"
        application.refresh_from_db()
        assert application.name == "Budget buddy 2"
        assert application.redirect_uris == "https://budget.example.com/v2"
        event = AuditEvent.objects.get(action="app.updated")
        assert event.actor == developer.user
        assert set(event.metadata["changed"]) == {"name", "logo_url", "redirect_uris"}

    def test_an_invalid_edit_is_a_field_error_and_changes_nothing(self, developer):
        application = _app(developer.sandbox).application

        response = developer.client.post(
            f"/portal/apps/{application.client_id}/edit/", _form(redirect_uris="https://*.example.com/cb")
        )

        assert response.status_code == 400
        assert list(_field_errors(response)) == ["redirect_uris"]
        application.refresh_from_db()
        assert application.redirect_uris == "https://budget.example.com/callback"
        assert not AuditEvent.objects.filter(action="app.updated").exists()

    def test_a_viewer_cannot_edit(self, member):
        viewer = member("viewer")
        application = _app(viewer.sandbox).application
        url = f"/portal/apps/{application.client_id}/edit/"

        assert viewer.client.get(url).status_code == 403
        assert viewer.client.post(url, _form(name="Hijacked")).status_code == 403
        application.refresh_from_db()
        assert application.name == "Budget buddy"


class TestApplicationRotateSecret:
    def test_rotating_shows_the_new_secret_once_and_the_old_one_stops_working(self, developer):
        issued = _app(developer.sandbox)
        url = f"/portal/apps/{issued.application.client_id}/rotate-secret/"

        assert developer.client.get(url).status_code == 200
        response = developer.client.post(url)

        assert response.status_code == 200
        new_secret = response.context["issued"].client_secret
        assert new_secret in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        stored = Application.objects.get()
        assert not check_password(issued.client_secret, stored.client_secret)
        assert check_password(new_secret, stored.client_secret)
        assert AuditEvent.objects.get(action="app.secret_rotated").actor == developer.user
        assert new_secret not in developer.client.get(f"/portal/apps/{stored.client_id}/").content.decode()

    def test_a_public_client_has_no_secret_to_rotate(self, developer):
        application = _app(developer.sandbox, confidential=False).application

        response = developer.client.post(f"/portal/apps/{application.client_id}/rotate-secret/")

        assert response.status_code == 409
        assert "no client secret" in response.content.decode()
        application.refresh_from_db()
        assert application.client_secret == ""

    def test_a_viewer_cannot_rotate(self, member):
        viewer = member("viewer")
        issued = _app(viewer.sandbox)
        before = Application.objects.get().client_secret

        assert viewer.client.post(f"/portal/apps/{issued.application.client_id}/rotate-secret/").status_code == 403
        assert Application.objects.get().client_secret == before


class TestApplicationDelete:
    def _issue_tokens(self, application):
        RefreshTokenFactory(access_token=AccessTokenFactory(application=application))

    def test_deleting_after_confirming_removes_the_app_and_revokes_its_tokens(self, developer):
        application = _app(developer.sandbox).application
        self._issue_tokens(application)
        url = f"/portal/apps/{application.client_id}/delete/"

        assert developer.client.get(url).status_code == 200
        response = developer.client.post(url)

        assert response.status_code == 302
        assert response["Location"] == "/portal/apps/"
        assert not Application.objects.exists()
        assert not get_access_token_model().objects.exists()
        assert not get_refresh_token_model().objects.exists()
        event = AuditEvent.objects.get(action="app.deleted")
        assert event.actor == developer.user
        assert event.target_id == application.client_id

    def test_a_viewer_cannot_delete(self, member):
        viewer = member("viewer")
        application = _app(viewer.sandbox).application
        url = f"/portal/apps/{application.client_id}/delete/"

        assert viewer.client.get(url).status_code == 403
        assert viewer.client.post(url).status_code == 403
        assert Application.objects.filter(pk=application.pk).exists()


class TestApplicationTenancy:
    @pytest.mark.parametrize("path", ["", "edit/", "rotate-secret/", "delete/"])
    def test_another_partners_app_is_not_found(self, developer, path):
        theirs = _app(PartnerFactory().environments.get(kind="sandbox")).application
        url = f"/portal/apps/{theirs.client_id}/{path}"

        assert developer.client.get(url).status_code == 404
        if path:
            assert developer.client.post(url, _form(name="Hijacked")).status_code == 404
        theirs.refresh_from_db()
        assert theirs.name == "Budget buddy"
        assert not AuditEvent.objects.filter(action__startswith="app.", actor=developer.user).exists()

    @pytest.mark.parametrize("path", ["", "edit/", "rotate-secret/", "delete/"])
    def test_the_partners_own_live_app_is_not_found_while_working_in_sandbox(self, developer, path):
        live_app = _app(LiveEnvironmentFactory(partner=developer.partner)).application
        url = f"/portal/apps/{live_app.client_id}/{path}"

        assert developer.client.get(url).status_code == 404
        if path:
            assert developer.client.post(url, _form(name="Renamed")).status_code == 404
        assert Application.objects.filter(pk=live_app.pk, name="Budget buddy").exists()

    def test_an_unknown_client_id_is_not_found(self, developer):
        assert developer.client.get("/portal/apps/does-not-exist/").status_code == 404
