"""Staff view of OAuth clients. Partners create and change apps in the portal, where the rules live; staff
can list, search and read them here, never their secrets. Replaces django-oauth-toolkit's own admin for the
model, whose form shows and edits the client secret."""

from django.contrib import admin
from django.http import HttpRequest

from apps.oauth_clients.models import Application


class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "client_id", "partner", "environment_kind", "client_type", "created")
    list_filter = ("environment__kind", "client_type")
    search_fields = ("name", "client_id", "partner__public_id", "partner__name")
    list_select_related = ("partner", "environment")
    ordering = ("-created",)
    fields = (
        "name",
        "client_id",
        "partner",
        "environment",
        "client_type",
        "authorization_grant_type",
        "redirect_uris",
        "allowed_scopes",
        "logo_url",
        "created",
        "updated",
    )
    readonly_fields = fields

    @admin.display(description="environment", ordering="environment__kind")
    def environment_kind(self, obj: Application) -> str:
        return obj.environment.kind

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Application | None = None) -> bool:
        # Deleting must revoke the app's tokens first: partners do it in the portal (application_delete).
        return False


if admin.site.is_registered(Application):
    admin.site.unregister(Application)
admin.site.register(Application, ApplicationAdmin)
