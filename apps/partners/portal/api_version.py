"""The portal's API version page: the version the team's requests are served in, what changed since, and the
upgrade to the latest (docs/versioning.md)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import TemplateView

from apps.core import versioning
from apps.partners.portal.mixins import PortalMixin
from apps.partners.roles import can
from apps.partners.services import partner_api_version_upgrade


def _inline_code(text: str) -> SafeString:
    """A change's description, escaped, with its `code` spans as <code>."""
    # Security scan (bandit B308/B703): every part is escaped before it is marked safe; only <code> is added.
    parts = escape(text).split("`")
    html = "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


class ApiVersionView(PortalMixin, TemplateView):
    """Every member sees the pinned version and the changes an upgrade brings; owners and admins upgrade."""

    template_name = "portal/api_version.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pinned = self.portal.partner.api_version
        context.update(
            pinned=pinned,
            latest=versioning.LATEST,
            versions=list(reversed(versioning.VERSIONS)),
            all_changes=versioning.CHANGES,
            changes=[
                {"version": c.version, "title": c.title, "description": _inline_code(c.description)}
                for c in reversed(versioning.changes_since(pinned))
            ],
            deprecated_on=versioning.deprecated_on(pinned),
            sunset_on=versioning.sunset_on(pinned),
            can_upgrade=can(self.portal.membership, "manage_settings"),
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if not can(self.portal.membership, "manage_settings"):
            raise PermissionDenied(f"Your role ({self.portal.role}) cannot do this.")
        partner = self.portal.partner
        if request.POST.get("version") != versioning.LATEST:
            # The page offered another version than today's latest: show the current list again, do nothing.
            messages.error(request, "The latest version changed since the page was shown: review it again.")
        elif partner_api_version_upgrade(partner=partner, request=request):
            messages.success(request, f"Your team's requests are now served in version {versioning.LATEST}.")
        else:
            messages.info(request, "Your team is already on the latest version.")
        return redirect("portal:api-version")
