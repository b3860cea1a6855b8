"""Portal pages that are not one area's: the getting-started home, switching partner or environment, team
settings, onboarding for users without a team, and the mandatory-MFA gate."""

from typing import Any

from allauth.mfa.totp.views import ActivateTOTPView
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import TemplateView

from apps.partners.models import ApiKey, Environment, RequestLog
from apps.partners.portal.forms import PartnerSettingsForm, SignupForm
from apps.partners.portal.mixins import SESSION_ENVIRONMENT, SESSION_PARTNER, PortalMixin, resolve
from apps.partners.portal.sandbox import sandbox_summary
from apps.partners.selectors.accounts import can_set_up_mfa, has_verified_email
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
                "done": has_verified_email(user=user),
            },
            {
                "key": "create_key",
                "title": "Create a sandbox secret key",
                "done": ApiKey.objects.filter(environment=sandbox, explorer=False).exists(),
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
        context["sandbox"] = sandbox
        context["sandbox_summary"] = sandbox_summary(sandbox)
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
    """Shown instead of the portal while a member of an MFA-required team has not set up TOTP. Enrolment needs a
    verified address and no unverified one (``can_set_up_mfa``), so the page says so first."""

    template_name = "portal/mfa_required.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        current = resolve(request)
        if current is None or not current.partner.mfa_required or is_mfa_enabled(request.user):
            return redirect("portal:home")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["email_verified"] = can_set_up_mfa(user=self.request.user)
        return context


MFA_NEEDS_VERIFIED_EMAIL = "You cannot activate two-factor authentication until you have verified your email address."


def _require_verified_email(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not can_set_up_mfa(user=request.user):
            messages.error(request, MFA_NEEDS_VERIFIED_EMAIL)
            return redirect("mfa_index")
        return view(request, *args, **kwargs)

    return wrapped


@method_decorator(_require_verified_email, name="dispatch")
class ActivateTotpView(ActivateTOTPView):
    """allauth's ``/accounts/2fa/totp/activate/``, which refuses only a user with an *unverified* address record,
    so a user with none (created outside sign-up) could enrol. Here a verified address is required, before the
    password prompt and on every request, GET or POST (``can_set_up_mfa``)."""
