"""Staff view of OAuth clients. Partners create and change apps in the portal, where the rules live; staff
can list, search and read them here, never their secrets. Replaces django-oauth-toolkit's own admin for the
model, whose form shows and edits the client secret. Consents are read-only too, with one action: bank staff
revoke a consent for the bank."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.core.errors import ApplicationError
from apps.oauth_clients.models import Application, Consent, ConsentStatusChange, Mandate
from apps.oauth_clients.services.consents import consent_revoke
from apps.wallets.admin import ReadOnlyAdmin, ReadOnlyInline


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


class MandateInline(ReadOnlyInline):
    model = Mandate
    fields = ("public_id", "kind", "payee", "currency", "amount", "max_per_payment", "max_per_period", "period")
    readonly_fields = fields
    show_change_link = False


class ConsentStatusChangeInline(ReadOnlyInline):
    model = ConsentStatusChange
    fields = ("previous_status", "status", "reason", "actor", "at")
    readonly_fields = fields
    show_change_link = False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Staff read consents and may revoke them for the bank (the action), e.g. on a holder's complaint."""

    list_display = ("public_id", "application", "holder", "status", "expires_at", "created_at")
    list_filter = ("status", "environment__kind")
    search_fields = ("public_id", "holder__public_id", "application__client_id", "partner__name")
    list_select_related = ("application", "holder")
    ordering = ("-id",)
    fields = (
        "public_id",
        "partner",
        "environment",
        "application",
        "holder",
        "status",
        "scopes",
        "expires_at",
        "authorized_at",
        "revoked_at",
        "revoked_by",
        "created_at",
    )
    readonly_fields = fields
    inlines = (MandateInline, ConsentStatusChangeInline)
    actions = ("revoke_for_bank",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The change list's revoke action needs change permission; a consent's own page stays read-only.
        return obj is None and bool(request.user.has_perm("oauth_clients.change_consent"))

    @admin.action(description="Revoke the selected consents (for the bank)")
    def revoke_for_bank(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        done, refused = 0, []
        for consent in queryset:
            try:
                consent_revoke(consent=consent, actor="bank", reason="bank_revoked")
                done += 1
            except ApplicationError as error:
                # Never start a message with an id: the admin capitalises a message's first letter.
                refused.append(f"Consent {consent.public_id} was not revoked: {error.detail}")
        if done:
            self.message_user(request, f"Revoked {done} consent(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)
