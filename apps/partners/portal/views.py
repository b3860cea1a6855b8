"""Portal pages that are not one area's: the getting-started home, switching partner or environment, team
settings, onboarding for users without a team, and the mandatory-MFA gate."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from apps.partners.models import ApiKey, Environment, RequestLog
from apps.partners.portal.forms import PartnerSettingsForm, SignupForm
from apps.partners.portal.mixins import SESSION_ENVIRONMENT, SESSION_PARTNER, PortalMixin, resolve
from apps.partners.services import audit, partner_settings_update


class HomeView(PortalMixin, TemplateView):
    """The getting-started checklist, with copyable commands."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partner, user = self.portal.partner, self.request.user
        sandbox = next(e for e in self.portal.environments if e.kind == Environment.Kind.SANDBOX)
        context["steps"] = [
            {
                "key": "verify_email",
                "title": "Verify your e-mail address",
                "done": EmailAddress.objects.filter(user=user, verified=True).exists(),
            },
            {
                "key": "create_key",
                "title": "Create a sandbox secret key",
                "done": ApiKey.objects.filter(environment=sandbox).exists(),
            },
            {
                "key": "first_call",
                "title": "Make your first API call",
                "done": RequestLog.objects.filter(
                    partner_id_public=partner.public_id, environment="sandbox", status__lt=400
                ).exists(),
            },
        ]
        context["base_url"] = self.request.build_absolute_uri("/").rstrip("/")
        return context


class SwitchEnvironmentView(PortalMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        kind = request.POST.get("environment", "")
        if any(e.kind == kind for e in self.portal.environments):
            request.session[SESSION_ENVIRONMENT] = kind
        else:
            messages.error(request, "That environment is not open for this team.")
        return redirect("portal:home")


class SwitchPartnerView(PortalMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        partner_id = request.POST.get("partner", "")
        user = request.user
        if user.is_authenticated and user.memberships.filter(partner__public_id=partner_id).exists():
            request.session[SESSION_PARTNER] = partner_id
            request.session[SESSION_ENVIRONMENT] = "sandbox"
        return redirect("portal:home")


class SettingsView(PortalMixin, View):
    required_permission = "manage_settings"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PartnerSettingsForm(
            initial={"name": self.portal.partner.name, "mfa_required": self.portal.partner.mfa_required}
        )
        return render(request, "portal/settings.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PartnerSettingsForm(request.POST)
        if not form.is_valid():
            return render(request, "portal/settings.html", {"form": form}, status=400)
        partner = self.portal.partner
        before = {"name": partner.name, "mfa_required": partner.mfa_required}
        partner_settings_update(partner=partner, **form.cleaned_data)
        after = {"name": partner.name, "mfa_required": partner.mfa_required}
        changed = {k: after[k] for k in after if after[k] != before[k]}
        if changed:
            audit.record(
                action="partner.settings_updated", partner=partner, request=request, target=partner, metadata=changed
            )
        messages.success(request, "Settings saved.")
        return redirect("portal:settings")


class OnboardingView(LoginRequiredMixin, View):
    """A signed-in user who belongs to no team (e.g. removed from one) can start a new one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if resolve(request) is not None:
            return redirect("portal:home")
        return render(request, "portal/onboarding.html", {"form": SignupForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SignupForm(request.POST)
        if not form.is_valid():
            return render(request, "portal/onboarding.html", {"form": form}, status=400)
        form.signup(request, request.user)
        return redirect("portal:home")


class MfaRequiredView(LoginRequiredMixin, TemplateView):
    """Shown instead of the portal while a member of an MFA-required team has not set up TOTP. allauth refuses
    to enrol an authenticator while any of the user's addresses is unverified, so the page says so first."""

    template_name = "portal/mfa_required.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        current = resolve(request)
        if current is None or not current.partner.mfa_required or is_mfa_enabled(request.user):
            return redirect("portal:home")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email_verified"] = not EmailAddress.objects.filter(user=self.request.user, verified=False).exists()
        return context
