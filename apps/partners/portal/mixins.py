"""The base of every portal page: a logged-in member, the partner and environment they are working in, the
role check, and the partner's mandatory-MFA rule."""

from dataclasses import dataclass
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect

from apps.core.errors import NotFound
from apps.core.principal import Principal
from apps.partners.models import Environment, Membership, Partner
from apps.partners.roles import can

SESSION_PARTNER = "portal_partner"
SESSION_ENVIRONMENT = "portal_environment"


@dataclass(frozen=True)
class PortalContext:
    membership: Membership
    partner: Partner
    environment: Environment
    environments: list[Environment]

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_live(self) -> bool:
        return self.environment.kind == Environment.Kind.LIVE

    @property
    def principal(self) -> Principal:
        """The member as a reader of the current environment, for selectors that take a principal: it holds no
        scopes, so it can read what the portal shows and authorise nothing."""
        return Principal(
            partner=self.partner,
            environment=self.environment,
            credential_type="portal",
            credential_id=f"portal:{self.membership.public_id}",
        )


def resolve(request: HttpRequest) -> PortalContext | None:
    """The member's current partner (chosen in the session, else their first) and environment."""
    user = request.user
    if not user.is_authenticated:
        return None  # every caller requires a login first; an anonymous request belongs to no team
    memberships = Membership.objects.select_related("partner").filter(user=user).order_by("pk")
    chosen = request.session.get(SESSION_PARTNER)
    membership = next((m for m in memberships if m.partner.public_id == chosen), None) or memberships.first()
    if membership is None:
        return None
    environments = sorted(membership.partner.environments.all(), key=lambda e: e.kind != "sandbox")
    kind = request.session.get(SESSION_ENVIRONMENT, "sandbox")
    environment = next((e for e in environments if e.kind == kind), environments[0])
    return PortalContext(
        membership=membership, partner=membership.partner, environment=environment, environments=environments
    )


class PortalMixin(LoginRequiredMixin):
    """Set ``required_permission`` (see apps.partners.roles) on each view; ``self.portal`` is the context."""

    required_permission = "view"
    portal: PortalContext

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        current = resolve(request)
        if current is None:
            return redirect("portal:onboarding")
        if current.partner.mfa_required and not is_mfa_enabled(request.user) and not getattr(self, "mfa_exempt", False):
            return redirect("portal:mfa-required")
        if not can(current.membership, self.required_permission):
            raise PermissionDenied(f"Your role ({current.role}) cannot do this.")
        self.portal = current
        request.portal = current  # type: ignore[attr-defined]
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFound as exc:
            # Selectors raise NotFound for missing and for other tenants' objects alike: both are a 404 page.
            raise Http404(exc.detail) from exc
