"""Template context for portal pages: the current membership, partner and environment (set by PortalMixin), the
menu with its active item, and the page's place for the breadcrumbs and its docs link (portal/navigation.py)."""

from typing import Any

from django.http import HttpRequest

from apps.partners.portal.navigation import SECTIONS, place_of
from apps.partners.roles import PERMISSIONS, can


def portal(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "portal", None)
    if current is None:
        return {}
    match = request.resolver_match
    place = place_of(match.url_name if match is not None and match.namespace == "portal" else None)
    active = place.section.key if place is not None else None
    return {
        "portal": current,
        "perms_portal": {name: can(current.membership, name) for name in PERMISSIONS},
        "portal_menu": [
            {"label": s.label, "url": s.url, "active": s.key == active, "key": s.key}
            for s in SECTIONS
            if can(current.membership, s.permission)
        ],
        "portal_place": place,
    }
