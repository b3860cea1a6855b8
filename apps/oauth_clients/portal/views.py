"""Portal pages for OAuth clients ("apps") of the current partner environment: list, create, view, edit,
rotate the secret, delete. Every member sees the list and details; owners, admins and developers change
things (``manage_apps``). An app is addressed by its client id and looked up within the current partner
and environment, so anyone else's is a 404. Client secrets appear only on the response to the POST that
issued them, which is never cached."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views import View

from apps.core.errors import ApplicationError, NotFound
from apps.oauth_clients.models import Application
from apps.oauth_clients.portal.forms import ApplicationCreateForm, ApplicationForm
from apps.oauth_clients.selectors import application_get, application_list
from apps.oauth_clients.services import (
    ApplicationInvalid,
    ClientIsPublic,
    IssuedClient,
    application_create,
    application_delete,
    application_rotate_secret,
    application_update,
)
from apps.partners.portal.mixins import PortalMixin


def _show_problems(form: ApplicationForm, error: ApplicationError) -> None:
    for problem in error.errors:
        field = problem.get("field")
        form.add_error(field if field in form.fields else None, problem["message"])


def _secret_page(request: HttpRequest, issued: IssuedClient, *, created: bool) -> HttpResponse:
    response = render(request, "portal/apps/secret.html", {"issued": issued, "created": created})
    add_never_cache_headers(response)
    return response


class ApplicationMixin(PortalMixin):
    def get_application(self, client_id: str) -> Application:
        try:
            return application_get(
                partner=self.portal.partner, environment=self.portal.environment, client_id=client_id
            )
        except NotFound as exc:
            raise Http404("No such app.") from exc


class ApplicationListView(ApplicationMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        applications = application_list(partner=self.portal.partner, environment=self.portal.environment)
        return render(request, "portal/apps/list.html", {"applications": applications})


class ApplicationCreateView(ApplicationMixin, View):
    required_permission = "manage_apps"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._form_page(request, ApplicationCreateForm(environment_kind=self.portal.environment.kind))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApplicationCreateForm(request.POST, environment_kind=self.portal.environment.kind)
        if not form.is_valid():
            return self._form_page(request, form, status=400)
        try:
            issued = application_create(
                environment=self.portal.environment, request=request, **form.service_arguments()
            )
        except ApplicationInvalid as exc:
            _show_problems(form, exc)
            return self._form_page(request, form, status=400)
        return _secret_page(request, issued, created=True)

    def _form_page(self, request: HttpRequest, form: ApplicationCreateForm, status: int = 200) -> HttpResponse:
        return render(request, "portal/apps/form.html", {"form": form, "application": None}, status=status)


class ApplicationDetailView(ApplicationMixin, View):
    def get(self, request: HttpRequest, client_id: str) -> HttpResponse:
        return render(request, "portal/apps/detail.html", {"application": self.get_application(client_id)})


class ApplicationEditView(ApplicationMixin, View):
    required_permission = "manage_apps"

    def get(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.get_application(client_id)
        form = ApplicationForm(
            environment_kind=application.environment.kind,
            initial={
                "name": application.name,
                "logo_url": application.logo_url,
                "redirect_uris": "\n".join(application.redirect_uris.split()),
                "allowed_scopes": application.allowed_scopes,
            },
        )
        return self._form_page(request, form, application)

    def post(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.get_application(client_id)
        form = ApplicationForm(request.POST, environment_kind=application.environment.kind)
        if not form.is_valid():
            return self._form_page(request, form, application, status=400)
        try:
            application_update(application=application, request=request, **form.service_arguments())
        except ApplicationInvalid as exc:
            _show_problems(form, exc)
            return self._form_page(request, form, application, status=400)
        messages.success(request, "App saved.")
        return redirect("portal:apps-detail", client_id=application.client_id)

    def _form_page(
        self, request: HttpRequest, form: ApplicationForm, application: Application, status: int = 200
    ) -> HttpResponse:
        return render(request, "portal/apps/form.html", {"form": form, "application": application}, status=status)


class ApplicationRotateSecretView(ApplicationMixin, View):
    required_permission = "manage_apps"

    def get(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.get_application(client_id)
        return render(request, "portal/apps/confirm_rotate.html", {"application": application})

    def post(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.get_application(client_id)
        try:
            issued = application_rotate_secret(application=application, request=request)
        except ClientIsPublic as exc:
            context: dict[str, Any] = {"application": application, "error": exc.detail}
            return render(request, "portal/apps/confirm_rotate.html", context, status=exc.status)
        return _secret_page(request, issued, created=False)


class ApplicationDeleteView(ApplicationMixin, View):
    required_permission = "manage_apps"

    def get(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.get_application(client_id)
        return render(request, "portal/apps/confirm_delete.html", {"application": application})

    def post(self, request: HttpRequest, client_id: str) -> HttpResponse:
        application = self.get_application(client_id)
        name = application.name
        application_delete(application=application, request=request)
        messages.success(request, f"Deleted {name}; every token it was issued has been revoked.")
        return redirect("portal:apps-list")
