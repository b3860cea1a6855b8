"""Webhook endpoints in the portal: list with success rates, add (the secret shown once), edit, disable and enable,
rotate the secret, delete, send a test event, replay a range, and the delivery log with each attempt.

Every change goes through ``apps.webhooks.services`` (which writes the audit log). Pages that show a secret are
rendered only in the response to the POST that made it, and marked ``no-store``.
"""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views import View

from apps.core import clock
from apps.core.errors import ApplicationError
from apps.events.types import EVENT_TYPES, TEST_EVENT_TYPE
from apps.partners.portal.mixins import PortalMixin
from apps.webhooks import selectors, services
from apps.webhooks.models import WebhookEndpoint

ROTATION_CHOICES = [("0", "End it now"), ("3600", "1 hour"), ("86400", "24 hours"), ("604800", "7 days")]
LOG_PAGE = 50


class EndpointForm(forms.Form):
    url = forms.CharField(max_length=2048, label="Endpoint URL", help_text="https://... on a public address.")
    description = forms.CharField(max_length=500, required=False)
    all_events = forms.BooleanField(required=False, initial=True, label="Send every event type")
    enabled_events = forms.MultipleChoiceField(
        required=False,
        choices=[(t, t) for t in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        label="Or only these event types",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if not data.get("all_events") and not data.get("enabled_events"):
            raise forms.ValidationError("Choose every event type or at least one type.")
        return data

    @property
    def events(self) -> list[str]:
        return ["*"] if self.cleaned_data.get("all_events") else list(self.cleaned_data["enabled_events"])

    @classmethod
    def for_endpoint(cls, endpoint: WebhookEndpoint, data: Any = None) -> "EndpointForm":
        everything = "*" in endpoint.enabled_events
        initial = {
            "url": endpoint.url,
            "description": endpoint.description,
            "all_events": everything,
            "enabled_events": [] if everything else endpoint.enabled_events,
        }
        return cls(data, initial=initial)


class RotateForm(forms.Form):
    keep_previous = forms.TypedChoiceField(
        choices=ROTATION_CHOICES,
        coerce=lambda value: timedelta(seconds=int(value)),
        initial="86400",
        widget=forms.RadioSelect,
        label="Keep signing with the old secret too for",
    )


class ReplayForm(forms.Form):
    since = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text="UTC")
    until = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text="UTC; empty for now"
    )
    types = forms.MultipleChoiceField(
        required=False, choices=[(t, t) for t in EVENT_TYPES], widget=forms.CheckboxSelectMultiple
    )


def _apply_errors(form: forms.Form, error: ApplicationError) -> None:
    """Put a service's field errors on the form's fields (the rest on the form)."""
    placed = False
    for item in error.errors:
        if item.get("field") in form.fields:
            form.add_error(item["field"], item["message"])
            placed = True
    if not placed:
        form.add_error(None, error.detail)


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


class _EndpointMixin(PortalMixin):
    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint:
        return selectors.endpoint_get(
            partner=self.portal.partner, environment=self.portal.environment, endpoint_id=endpoint_id
        )


class EndpointListView(PortalMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        endpoints = list(
            selectors.endpoint_list(partner=self.portal.partner, environment=self.portal.environment).order_by("-pk")
        )
        stats = selectors.endpoint_stats(endpoint_ids=[e.pk for e in endpoints])
        rows = [(endpoint, stats[endpoint.pk]) for endpoint in endpoints]
        return render(request, "portal/webhooks/list.html", {"rows": rows})


class EndpointCreateView(PortalMixin, View):
    required_permission = "manage_webhooks"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "portal/webhooks/form.html", {"form": EndpointForm(), "creating": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint = services.endpoint_create(
                    partner=self.portal.partner,
                    environment=self.portal.environment,
                    url=form.cleaned_data["url"],
                    enabled_events=form.events,
                    description=form.cleaned_data["description"],
                    request=request,
                )
            except ApplicationError as error:
                _apply_errors(form, error)
            else:
                context = {"endpoint": endpoint, "secret": endpoint.secret, "title": "Endpoint added"}  # type: ignore[attr-defined]
                return _no_store(render(request, "portal/webhooks/secret.html", context, status=201))
        return render(request, "portal/webhooks/form.html", {"form": form, "creating": True}, status=400)


class EndpointDetailView(_EndpointMixin, View):
    def get(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        deliveries = selectors.delivery_list(endpoint=endpoint).order_by("-pk")
        before = request.GET.get("before")
        if before:
            cursor = deliveries.filter(public_id=before).values_list("pk", flat=True).first()
            if cursor is not None:
                deliveries = deliveries.filter(pk__lt=cursor)
        page = list(deliveries[: LOG_PAGE + 1])
        stats = selectors.endpoint_stats(endpoint_ids=[endpoint.pk])[endpoint.pk]
        context = {
            "endpoint": endpoint,
            "stats": stats,
            "deliveries": page[:LOG_PAGE],
            "next_before": page[LOG_PAGE - 1].public_id if len(page) > LOG_PAGE else None,
            "replay_form": ReplayForm(initial={"since": clock.now() - timedelta(hours=1)}),
            "rotate_form": RotateForm(),
            "test_types": services.test_event_types(environment=endpoint.environment),
            "rotation_ends": endpoint.previous_secret_expires_at
            if endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > clock.now()
            else None,
        }
        return render(request, "portal/webhooks/detail.html", context)


class EndpointEditView(_EndpointMixin, View):
    required_permission = "manage_webhooks"

    def get(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        return render(
            request, "portal/webhooks/form.html", {"form": EndpointForm.for_endpoint(endpoint), "endpoint": endpoint}
        )

    def post(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        if "disabled" in request.POST:
            disabled = request.POST["disabled"] == "true"
            services.endpoint_update(endpoint=endpoint, changes={"disabled": disabled}, request=request)
            messages.success(request, "Endpoint disabled." if disabled else "Endpoint enabled.")
            return redirect("portal:webhooks-detail", endpoint.public_id)
        form = EndpointForm.for_endpoint(endpoint, request.POST)
        if form.is_valid():
            changes = {
                "url": form.cleaned_data["url"],
                "description": form.cleaned_data["description"],
                "enabled_events": form.events,
            }
            try:
                services.endpoint_update(endpoint=endpoint, changes=changes, request=request)
            except ApplicationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Endpoint saved.")
                return redirect("portal:webhooks-detail", endpoint.public_id)
        return render(request, "portal/webhooks/form.html", {"form": form, "endpoint": endpoint}, status=400)


class EndpointRotateView(_EndpointMixin, View):
    required_permission = "manage_webhooks"

    def post(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        form = RotateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose how long the old secret keeps signing.")
            return redirect("portal:webhooks-detail", endpoint.public_id)
        rotated = services.endpoint_rotate_secret(
            endpoint=endpoint, previous_valid_for=form.cleaned_data["keep_previous"], request=request
        )
        context = {"endpoint": rotated, "secret": rotated.secret, "title": "Secret rotated", "rotated": True}  # type: ignore[attr-defined]
        return _no_store(render(request, "portal/webhooks/secret.html", context))


class EndpointDeleteView(_EndpointMixin, View):
    required_permission = "manage_webhooks"

    def get(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        return render(request, "portal/webhooks/delete.html", {"endpoint": self.get_endpoint(endpoint_id)})

    def post(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        services.endpoint_delete(endpoint=endpoint, request=request)
        messages.success(request, f"Deleted {endpoint.url}.")
        return redirect("portal:webhooks-list")


class EndpointTestView(_EndpointMixin, View):
    """Send one test event of the chosen type (``test_event_types``: the catalogue's in sandbox) to this endpoint."""

    required_permission = "manage_webhooks"

    def post(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        event_type = request.POST.get("type") or TEST_EVENT_TYPE
        try:
            services.endpoint_send_test(endpoint=endpoint, type=event_type)
        except ApplicationError as error:
            messages.error(request, error.errors[0]["message"] if error.errors else error.detail)
        else:
            messages.success(
                request, f"Test {event_type} event sent: it appears in the delivery log below in a moment."
            )
        return redirect("portal:webhooks-detail", endpoint.public_id)


class EndpointReplayView(_EndpointMixin, View):
    required_permission = "manage_webhooks"

    def post(self, request: HttpRequest, endpoint_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        form = ReplayForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give a start time (and optionally an end time) for the replay.")
            return redirect("portal:webhooks-detail", endpoint.public_id)
        try:
            replay = services.endpoint_replay(
                endpoint=endpoint,
                since=form.cleaned_data["since"],
                until=form.cleaned_data.get("until"),
                types=form.cleaned_data.get("types") or None,
                request=request,
            )
        except ApplicationError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, f"Replaying {replay.event_count} event(s).")
        return redirect("portal:webhooks-detail", endpoint.public_id)


class DeliveryDetailView(_EndpointMixin, View):
    """A delivery's attempts (the htmx partial under its log row, or a page of its own)."""

    def get(self, request: HttpRequest, endpoint_id: str, delivery_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        delivery = selectors.delivery_get(endpoint=endpoint, delivery_id=delivery_id)
        context = {
            "endpoint": endpoint,
            "delivery": delivery,
            "attempts": list(selectors.attempt_list(delivery=delivery)),
        }
        template = "portal/webhooks/_attempts_row.html" if request.htmx else "portal/webhooks/delivery.html"  # type: ignore[attr-defined]
        return render(request, template, context)


class DeliveryResendView(_EndpointMixin, View):
    required_permission = "manage_webhooks"

    def post(self, request: HttpRequest, endpoint_id: str, delivery_id: str) -> HttpResponse:
        endpoint = self.get_endpoint(endpoint_id)
        delivery = selectors.delivery_get(endpoint=endpoint, delivery_id=delivery_id)
        try:
            services.endpoint_resend(endpoint=endpoint, event_id=delivery.event.public_id)
        except ApplicationError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, f"Resending {delivery.event.public_id}.")
        return redirect("portal:webhooks-detail", endpoint.public_id)
