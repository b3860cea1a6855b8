"""Staff views of the sanctions lists (which version is active, its date and size), their entries, the
screening hits, holders' KYC verifications, and the cases and alerts (worked on the staff pages). Read-only:
lists change only through ``manage.py load_sanctions_list``, verifications through the API."""

from django.contrib import admin

from apps.risk.models import Alert, Case, KycVerification, SanctionsEntry, SanctionsList, ScreeningHit
from apps.wallets.admin import ReadOnlyAdmin


@admin.register(SanctionsList)
class SanctionsListAdmin(ReadOnlyAdmin):
    list_display = ("source", "version", "list_date", "loaded_at", "entry_count", "is_active", "file_name")
    list_filter = ("source", "is_active")
    ordering = ("source", "-version")


@admin.register(SanctionsEntry)
class SanctionsEntryAdmin(ReadOnlyAdmin):
    list_display = ("uid", "name", "kind", "sanctions_list")
    list_filter = ("sanctions_list__source", "sanctions_list__is_active", "kind")
    search_fields = ("name", "uid")
    list_select_related = ("sanctions_list",)


@admin.register(ScreeningHit)
class ScreeningHitAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "environment", "screened_name", "matched_name", "score", "transfer")
    list_filter = ("subject", "environment")
    search_fields = ("screened_name", "matched_name", "transfer", "holder__public_id")
    raw_id_fields = ("holder", "entry")
    list_select_related = ("entry",)


@admin.register(KycVerification)
class KycVerificationAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "created_at", "environment", "holder", "document_type", "country", "tier", "status")
    list_filter = ("environment", "status", "document_type", "tier")
    search_fields = ("public_id", "holder__public_id")
    raw_id_fields = ("holder",)
    list_select_related = ("holder",)


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "opened_at", "environment", "holder", "status", "assignee")
    list_filter = ("environment", "status")
    search_fields = ("public_id", "holder__public_id")
    raw_id_fields = ("holder", "assignee")
    list_select_related = ("holder", "assignee")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "raised_at", "kind", "case", "summary")
    list_filter = ("kind",)
    search_fields = ("public_id", "case__public_id", "dedupe_key")
    raw_id_fields = ("case",)
    list_select_related = ("case",)
