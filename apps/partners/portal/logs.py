"""Portal request logs: the current partner's ``/v1/`` requests in the current environment, newest first, with
filters (refreshed with htmx as they change; a plain GET form without JavaScript), and one request in full.
Members without ``view_request_bodies`` (viewers) see everything but the bodies."""

import json
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View

from apps.partners.portal.forms import CursorField
from apps.partners.portal.mixins import PortalMixin
from apps.partners.roles import can
from apps.partners.selectors.request_logs import (
    RequestLogFilters,
    request_log_get,
    request_log_list,
    status_range,
)

PAGE_SIZE = 50
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestLogFilterForm(forms.Form):
    status = forms.CharField(
        required=False,
        max_length=3,
        help_text="2xx, 4xx, 5xx or a code such as 404.",
        widget=forms.TextInput(attrs={"list": "status-classes", "placeholder": "any", "size": 5}),
    )
    path = forms.CharField(
        required=False,
        max_length=512,
        help_text="Paths containing this text.",
        widget=forms.TextInput(attrs={"placeholder": "/v1/..."}),
    )
    date_from = forms.DateField(required=False, label="From", widget=_DATE, help_text="UTC, inclusive.")
    date_to = forms.DateField(required=False, label="To", widget=_DATE, help_text="UTC, inclusive.")
    request_id = forms.CharField(required=False, max_length=128, label="Request id")
    # The keyset cursor: the "Older" link carries it; changing a filter starts again from the newest.
    starting_after = CursorField(prefix="log")

    def clean_status(self) -> str:
        value = self.cleaned_data["status"].strip().lower()
        if value:
            try:
                status_range(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "Must be on or after the From date.")
        return cleaned

    def filters(self) -> RequestLogFilters:
        data = self.cleaned_data
        return RequestLogFilters(
            status=data["status"],
            path=data["path"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            request_id=data["request_id"].strip(),
        )


class RequestLogListView(PortalMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = RequestLogFilterForm(request.GET)
        page, status, filtered = None, 200, False
        older_url = newest_url = ""
        if form.is_valid():
            filters = form.filters()
            filtered = filters != RequestLogFilters()
            starting_after = form.cleaned_data["starting_after"]
            page = request_log_list(
                partner=self.portal.partner,
                environment=self.portal.environment,
                filters=filters,
                starting_after=starting_after,
                limit=PAGE_SIZE,
            )
            if page.next_cursor is not None:
                older_url = _with_cursor(request, page.next_cursor)
            if starting_after:
                newest_url = _with_cursor(request, None)
        else:
            status = 400
        htmx = getattr(request, "htmx", None)
        partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
        context = {
            "form": form,
            "page": page,
            "filtered": filtered,
            "older_url": older_url,
            "newest_url": newest_url,
            "partial": partial,
            "retention_days": settings.REQUEST_LOG_RETENTION_DAYS,
        }
        if partial:
            # htmx swaps only successful responses by default; the errors are shown inside the swapped part.
            response = render(request, "portal/logs/_results.html", context)
        else:
            response = render(request, "portal/logs/list.html", context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _with_cursor(request: HttpRequest, cursor: str | None) -> str:
    """This page's URL with its filters and another cursor (None: the newest page)."""
    query = request.GET.copy()
    query.pop("starting_after", None)
    if cursor is not None:
        query["starting_after"] = str(cursor)
    return f"{request.path}?{query.urlencode()}"


def _pretty(body: str) -> str:
    """A JSON body indented for reading; anything else (including a truncated body) as stored."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


class RequestLogDetailView(PortalMixin, View):
    def get(self, request: HttpRequest, log_id: str) -> HttpResponse:
        show_bodies = can(self.portal.membership, "view_request_bodies")
        log = request_log_get(
            partner=self.portal.partner, environment=self.portal.environment, log_id=log_id, with_bodies=show_bodies
        )
        if log is None:
            raise Http404("No such request log.")
        context = {
            "log": log,
            "show_bodies": show_bodies,
            "request_body": _pretty(log.request_body) if show_bodies else "",
            "response_body": _pretty(log.response_body) if show_bodies else "",
            "body_limit": settings.REQUEST_LOG_BODY_BYTES,
        }
        return render(request, "portal/logs/detail.html", context)
