"""The event browser: the current environment's events (the ``/v1/events`` feed, 30 days), newest first, filtered
by type, and one event with its payload laid out for reading, exactly as webhooks and the feed deliver it."""

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from apps.events.selectors import event_get, event_list
from apps.events.snapshots import event_snapshot
from apps.events.types import EVENT_DESCRIPTIONS, EVENT_TYPES, TEST_EVENT_TYPE
from apps.partners.portal.forms import CursorField
from apps.partners.portal.mixins import PortalMixin

PAGE_SIZE = 50


class EventFilterForm(forms.Form):
    type = forms.ChoiceField(
        required=False,
        choices=[("", "Every type"), *((t, t) for t in (*EVENT_TYPES, TEST_EVENT_TYPE))],
        label="Type",
    )
    before = CursorField(prefix="evt")


class EventListView(PortalMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = EventFilterForm(request.GET)
        events: list = []
        older = None
        if form.is_valid():
            wanted = form.cleaned_data["type"]
            queryset = event_list(principal=self.portal.principal, types=[wanted] if wanted else None).order_by("-pk")
            before = form.cleaned_data["before"]
            if before:
                cursor = queryset.filter(public_id=before).values_list("pk", flat=True).first()
                queryset = queryset.filter(pk__lt=cursor) if cursor is not None else queryset.none()
            page = list(
                queryset.only("public_id", "type", "object_type", "object_id", "sequence", "created_at")[
                    : PAGE_SIZE + 1
                ]
            )
            events, older = page[:PAGE_SIZE], (page[PAGE_SIZE - 1].public_id if len(page) > PAGE_SIZE else None)
        context = {"form": form, "events": events, "older": older, "paged": bool(request.GET.get("before"))}
        return render(request, "portal/events/list.html", context, status=200 if form.is_valid() else 400)


class EventDetailView(PortalMixin, View):
    def get(self, request: HttpRequest, event_id: str) -> HttpResponse:
        event = event_get(principal=self.portal.principal, event_id=event_id)
        snapshot = event_snapshot(event)
        context = {
            "event": event,
            "description": EVENT_DESCRIPTIONS.get(event.type, ""),
            "payload": json.dumps(snapshot, indent=2, ensure_ascii=False),
        }
        return render(request, "portal/events/detail.html", context)
