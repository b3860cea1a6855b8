from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.partners.models import ApiKey, Environment, Membership, Partner
from apps.partners.services import api_key_revoke


class EnvironmentInline(admin.TabularInline):
    model = Environment
    extra = 0
    fields = ("kind", "public_id", "clock_offset", "created_at")
    readonly_fields = ("public_id", "created_at")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("public_id", "name", "api_version", "created_at")
    search_fields = ("public_id", "name")
    readonly_fields = ("public_id", "created_at", "updated_at")
    inlines = [EnvironmentInline, MembershipInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued through the portal or ``create_partner``; staff can see and revoke, never read secrets."""

    list_display = ("public_id", "redacted", "partner", "environment", "name", "last_used_at", "revoked_at")
    list_filter = ("environment__kind",)
    search_fields = ("public_id", "partner__public_id", "partner__name", "name")
    readonly_fields = (
        "public_id",
        "partner",
        "environment",
        "redacted",
        "scopes",
        "last_used_at",
        "created_by",
        "created_at",
    )
    exclude = ("digest",)

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key)

    def has_add_permission(self, request: object) -> bool:
        return False
