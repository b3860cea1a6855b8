"""The live access page: every member sees where the team's live access stands; the owner requests it with the
company's details. Bank staff decide in the Django admin (apps.partners.admin)."""

from django import forms
from django.contrib import messages
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from apps.core.errors import ApplicationError
from apps.partners.portal.mixins import PortalMixin
from apps.partners.roles import can
from apps.partners.selectors.accounts import has_verified_email
from apps.partners.services.live_access import (
    COUNTRIES,
    EmailNotVerified,
    LiveAccessAlreadyOpen,
    LiveAccessAlreadyRequested,
    live_access_request_create,
    live_access_state,
)

COUNTRY_CHOICES = [("", "Choose a country"), *sorted(COUNTRIES.items(), key=lambda item: item[1])]


class HttpsURLField(forms.URLField):
    default_validators = [URLValidator(schemes=["https"])]


class LiveAccessRequestForm(forms.Form):
    legal_name = forms.CharField(max_length=200, label="Legal name", help_text="As registered, e.g. Acme Pay Ltd.")
    registration_number = forms.CharField(
        max_length=64, label="Company registration number", help_text="The number in your country's company register."
    )
    country = forms.ChoiceField(
        choices=COUNTRY_CHOICES, label="Country of registration", error_messages={"invalid_choice": "Choose a country."}
    )
    website = HttpsURLField(
        max_length=300,
        assume_scheme="https",
        label="Website",
        error_messages={"invalid": "Enter a valid https:// address, e.g. https://example.com."},
    )
    use_case = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What you will build",
        help_text="Who your users are, what you read or move for them, and how. At most 2000 characters.",
    )


class LiveAccessView(PortalMixin, View):
    """Everyone on the team sees the state; the owner also gets the request form when one can be made."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def render_page(
        self, request: HttpRequest, form: LiveAccessRequestForm | None = None, status: int = 200
    ) -> HttpResponse:
        state = live_access_state(partner=self.portal.partner)
        can_request = can(self.portal.membership, "request_live_access")
        if form is None and can_request and state.can_request:
            latest = state.latest
            # After a rejection, start from the details sent last time: usually only one thing needs fixing.
            initial = {f: getattr(latest, f) for f in LiveAccessRequestForm.base_fields} if latest is not None else {}
            form = LiveAccessRequestForm(initial=initial)
        context = {
            "state": state,
            "country_name": COUNTRIES.get(state.latest.country, "") if state.latest else "",
            "form": form if can_request and state.can_request else None,
            "can_request": can_request,
            "email_verified": has_verified_email(user=request.user),
            "live_environment": next((e for e in self.portal.environments if e.kind == "live"), None),
        }
        return render(request, "portal/live/live_access.html", context, status=status)


class LiveAccessRequestView(LiveAccessView):
    """The owner's POST. Invalid input re-renders the page with the field errors and writes nothing."""

    required_permission = "request_live_access"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LiveAccessRequestForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form=form, status=400)
        try:
            live_access_request_create(
                partner=self.portal.partner, requested_by=request.user, request=request, **form.cleaned_data
            )
        except (LiveAccessAlreadyRequested, LiveAccessAlreadyOpen, EmailNotVerified) as error:
            messages.error(request, error.detail)
            return self.render_page(request, form=form, status=error.status)
        except ApplicationError as error:
            for item in error.errors:
                if item.get("field") in form.fields:
                    form.add_error(item["field"], item["message"])
            if not form.errors:
                messages.error(request, error.detail)
            return self.render_page(request, form=form, status=error.status)
        messages.success(request, "Live access requested. The bank reviews it and answers by e-mail.")
        return redirect("portal:live-access")
