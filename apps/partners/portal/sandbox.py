"""The partner's sandbox on the portal: its seeding status and what it holds on the getting-started page, and the
reset button.

What the sandbox holds (holders, wallets, personas) is read by the ``sandbox`` package, which registers itself
here at start-up (``register_summary``): nothing in ``apps`` imports the sandbox."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View

from apps.partners.models import Environment
from apps.partners.portal.mixins import PortalMixin
from apps.partners.services import SandboxBusy, audit, sandbox_reset_request

Summary = Callable[[Environment], dict[str, Any]]
_summaries: list[Summary] = []


def register_summary(summary: Summary) -> None:
    """Let the sandbox package describe a ready sandbox for the getting-started page."""
    if summary not in _summaries:
        _summaries.append(summary)


def sandbox_summary(environment: Environment) -> dict[str, Any] | None:
    """What a ready sandbox holds (counts, a persona to try, a few holders), or None before it is ready."""
    if environment.seed_status != Environment.SeedStatus.READY or not _summaries:
        return None
    return _summaries[0](environment)


class SandboxResetView(PortalMixin, View):
    """Restore the sandbox to its seeded state (in the worker); the getting-started page shows the progress."""

    required_permission = "manage_sandbox"

    def post(self, request: HttpRequest) -> HttpResponse:
        sandbox = next(e for e in self.portal.environments if e.kind == Environment.Kind.SANDBOX)
        try:
            sandbox_reset_request(environment=sandbox)
        except SandboxBusy:
            messages.error(request, "The sandbox is being seeded or reset already.")
            return redirect("portal:home")
        audit.record(action="sandbox.reset_requested", partner=self.portal.partner, request=request, target=sandbox)
        messages.success(request, "Resetting the sandbox: its data comes back as it was seeded in a moment.")
        return redirect("portal:home")
