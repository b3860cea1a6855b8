"""Template context for portal pages: the current membership, partner and environment (set by PortalMixin)."""

from typing import Any

from django.http import HttpRequest

from apps.partners.roles import PERMISSIONS, can


def portal(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "portal", None)
    if current is None:
        return {}
    return {
        "portal": current,
        "perms_portal": {name: can(current.membership, name) for name in PERMISSIONS},
    }
