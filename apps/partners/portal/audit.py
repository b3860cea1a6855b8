"""The audit log page, for owners and admins: the team's security-relevant actions newest first, filtered by
action (or prefix), actor and date range, paged on the row id (which only grows, so new rows never shift a
page being read). Rows are written by ``apps.partners.services.audit.record`` only."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from apps.partners.models import AuditEvent, Partner
from apps.partners.portal.forms import CursorField
from apps.partners.portal.mixins import PortalMixin

PAGE_SIZE = 50

# Offered as suggestions in the action filter; any prefix works. Kept in step with docs/portal/audit-log.md.
KNOWN_ACTIONS = [
    "user.signed_in",
    "user.sign_in_failed",
    "user.password_changed",
    "mfa.enabled",
    "mfa.disabled",
    "mfa.recovery_codes_regenerated",
    "partner.created",
    "partner.settings_updated",
    "member.",
    "invitation.revoked",
    "ownership.transferred",
    "api_key.created",
    "api_key.revoked",
    "api_key.rolled",
    "app.",
    "live_access.requested",
    "live_access.approved",
    "live_access.rejected",
    "webhook_endpoint.",
]


def audit_event_list(
    *,
    partner: Partner,
    action_prefix: str = "",
    actor_email: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The partner's audit events, newest first. ``since``/``until`` are whole days (``until`` included) in the
    site's time zone."""
    events = AuditEvent.objects.filter(partner=partner)
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    if actor_email:
        events = events.filter(actor_email__icontains=actor_email)
    zone = timezone.get_current_timezone()
    # Bounds on the column itself (not __date), so the database can use the index on created_at.
    if since is not None:
        events = events.filter(created_at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until is not None:
        events = events.filter(created_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    return events.order_by("-pk")


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        max_length=64,
        required=False,
        label="Action",
        help_text="An action or the start of one, e.g. api_key. for every key action.",
        widget=forms.TextInput(attrs={"list": "audit-actions", "placeholder": "api_key."}),
    )
    actor = forms.CharField(
        max_length=254, required=False, label="Actor e-mail", help_text="All or part of the address."
    )
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        required=False, label="To", help_text="Included.", widget=forms.DateInput(attrs={"type": "date"})
    )
    before = CursorField(prefix="aud")

    def clean_action(self) -> str:
        return self.cleaned_data["action"].strip().lower()

    def clean_actor(self) -> str:
        return self.cleaned_data["actor"].strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned


class AuditLogView(PortalMixin, View):
    required_permission = "view_audit_log"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET)
        context: dict[str, Any] = {"form": form, "known_actions": KNOWN_ACTIONS, "events": [], "next_before": None}
        if not form.is_valid():
            return render(request, "portal/audit/audit_log.html", context, status=400)
        data = form.cleaned_data
        events = audit_event_list(
            partner=self.portal.partner,
            action_prefix=data["action"],
            actor_email=data["actor"],
            since=data["since"],
            until=data["until"],
        )
        if data["before"]:
            # The cursor is looked up among this partner's events only; an unknown one starts from the newest.
            cursor_pk = events.filter(public_id=data["before"]).values_list("pk", flat=True).first()
            if cursor_pk is not None:
                events = events.filter(pk__lt=cursor_pk)
        page = list(events[: PAGE_SIZE + 1])
        context["events"] = page[:PAGE_SIZE]
        context["next_before"] = page[PAGE_SIZE - 1].public_id if len(page) > PAGE_SIZE else None
        context["filtered"] = any(data[f] for f in ("action", "actor", "since", "until"))
        context["paged"] = bool(data["before"])
        return render(request, "portal/audit/audit_log.html", context)
