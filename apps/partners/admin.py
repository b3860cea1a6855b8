"""Bank staff's views of partners: partners and their environments, keys, live access decisions and the
audit log. Staff change state only through the services (revoking a key, approving or rejecting live access),
never by editing fields, so every change keeps its invariants and its audit row."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from apps.core.admin import ReadOnlyAdmin
from apps.core.errors import ApplicationError
from apps.partners.models import ApiKey, AuditEvent, Environment, LiveAccessRequest, Membership, Partner
from apps.partners.services import api_key_revoke, audit
from apps.partners.services.live_access import COUNTRIES, live_access_approve, live_access_reject


class EnvironmentInline(admin.TabularInline):
    """Read-only kinds and no adding: the live environment opens only by approving a live access request."""

    model = Environment
    extra = 0
    fields = ("kind", "public_id", "clock_offset", "created_at")
    readonly_fields = ("kind", "public_id", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
    actions = ["revoke"]

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
            audit.record(
                action="api_key.revoked",
                partner=api_key.partner,
                request=request,
                target=api_key,
                environment=api_key.environment,
                metadata={"by": "staff"},
            )

    def has_add_permission(self, request: object) -> bool:
        return False


class DecisionForm(forms.Form):
    note = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="Sent to the partner's owners by e-mail and shown on their live access page.",
    )

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        if note_required:
            self.fields["note"].label = "Reason (required)"


@admin.register(LiveAccessRequest)
class LiveAccessRequestAdmin(admin.ModelAdmin):
    """Staff review the company details and decide with the "Approve" or "Reject" action, which asks for a note
    on a confirmation page and then calls the services (they open live, audit and e-mail the owners)."""

    list_display = ("public_id", "partner", "legal_name", "country", "status", "created_at", "decided_by", "decided_at")
    list_filter = ("status", "country", "created_at", "decided_at")
    list_select_related = ("partner", "decided_by")
    search_fields = ("public_id", "partner__public_id", "partner__name", "legal_name", "registration_number")
    ordering = ("-pk",)
    date_hierarchy = "created_at"
    actions = ["approve", "reject"]
    fields = (
        "public_id",
        "partner",
        "status",
        "requested_by",
        "created_at",
        "legal_name",
        "registration_number",
        "country_name",
        "website",
        "use_case",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    readonly_fields = fields

    @admin.display(description="Country")
    def country_name(self, obj: LiveAccessRequest) -> str:
        return f"{COUNTRIES.get(obj.country, 'Unknown')} ({obj.country})"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Every field is read-only: decisions go through the actions, so the save buttons would do nothing.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Approve the selected requests (opens live)", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[LiveAccessRequest]) -> HttpResponse | None:
        return self._decide(request, queryset, decision="approve")

    @admin.action(description="Reject the selected requests", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[LiveAccessRequest]) -> HttpResponse | None:
        return self._decide(request, queryset, decision="reject")

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[LiveAccessRequest], *, decision: str
    ) -> HttpResponse | None:
        """First call: a confirmation page asking for the note. Its POST comes back here with ``post=yes``."""
        note_required = decision == "reject"
        requests = list(queryset.select_related("partner").order_by("pk"))
        if request.POST.get("post") == "yes":
            form = DecisionForm(request.POST, note_required=note_required)
            if form.is_valid():
                self._apply(request, requests, decision=decision, note=form.cleaned_data["note"])
                return None
        else:
            form = DecisionForm(note_required=note_required)
        context = {
            **self.admin_site.each_context(request),
            "title": "Approve live access" if decision == "approve" else "Reject live access",
            "opts": self.model._meta,
            "decision": decision,
            "requests": requests,
            "pending": [r for r in requests if r.status == LiveAccessRequest.Status.PENDING],
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "portal/live/staff_decision.html", context)

    def _apply(self, request: HttpRequest, requests: list[LiveAccessRequest], *, decision: str, note: str) -> None:
        service = live_access_approve if decision == "approve" else live_access_reject
        verb = "Approved" if decision == "approve" else "Rejected"
        done, refused = [], []
        for live_request in requests:
            try:
                service(request_obj=live_request, staff_user=request.user, note=note)
            except ApplicationError as error:
                # Never start a message with an id: the admin capitalises a message's first letter, and ids are
                # case-sensitive.
                refused.append(f"Live access request {live_request.public_id} was not {verb.lower()}: {error.detail}")
            else:
                done.append(live_request.public_id)
        if done:
            self.message_user(request, f"{verb} {', '.join(done)}; the owners are e-mailed.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: audit rows are written by ``apps.partners.services.audit.record`` and never changed."""

    list_display = ("created_at", "action", "partner", "actor_email", "target_type", "target_id", "ip_address")
    list_filter = ("environment", "created_at")
    list_select_related = ("partner",)
    search_fields = ("action", "actor_email", "target_id", "partner__public_id", "partner__name")
    date_hierarchy = "created_at"
    ordering = ("-pk",)
