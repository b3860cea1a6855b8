"""The portal's menu, breadcrumbs and docs links, in one table: every portal page belongs to one section (the menu
item shown active), sits under that section's page in the breadcrumbs with a short label of its own, and links to
the docs page that explains it. Pages are named by URL name (``portal:<name>``), so the other apps' pages are
listed here without importing them."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    """A menu item: its label, the URL name of its first page, its docs page (under /docs/) and the permission
    a member needs to see it in the menu (every member may still be sent a link)."""

    key: str
    label: str
    index: str
    docs: str
    docs_label: str
    permission: str = "view"

    @property
    def url(self) -> str:
        return reverse(f"portal:{self.index}")


SECTIONS: tuple[Section, ...] = (
    Section("home", "Get started", "home", "quickstart/", "Quickstart"),
    Section("keys", "API keys", "keys-list", "portal/keys/", "API keys guide"),
    Section("explorer", "API explorer", "explorer", "portal/keys/", "API keys guide", "manage_keys"),
    Section("apps", "Apps", "apps-list", "portal/apps/", "Apps guide"),
    Section("webhooks", "Webhooks", "webhooks-list", "portal/webhooks/", "Webhooks guide"),
    Section("events", "Events", "events-list", "events/", "Event catalogue"),
    Section("offers", "Offers", "offers", "portal/offers/", "Offers guide"),
    Section("sandbox", "Sandbox", "sandbox", "sandbox/", "Sandbox guide"),
    Section("logs", "Request logs", "logs-list", "portal/request-logs/", "Request logs guide"),
    Section("team", "Team", "team", "portal/team/", "Team and roles guide"),
    Section("audit", "Audit log", "audit-log", "portal/audit-log/", "Audit log guide", "view_audit_log"),
    Section("live", "Live access", "live-access", "portal/live-access/", "Live access guide"),
    Section("settings", "Settings", "settings", "portal/team/", "Team and roles guide", "manage_settings"),
    Section("api-version", "API version", "api-version", "versioning/", "API versions guide"),
)
_BY_KEY = {section.key: section for section in SECTIONS}

# URL name -> (section, the page's label in the breadcrumbs; empty for a section's own page).
PAGES: dict[str, tuple[str, str]] = {
    "home": ("home", ""),
    "onboarding": ("home", "Create your team"),
    "mfa-required": ("home", "Two-factor authentication"),
    "keys-list": ("keys", ""),
    "keys-create": ("keys", "Create a key"),
    "keys-revoke": ("keys", "Revoke"),
    "keys-roll": ("keys", "Roll"),
    "explorer": ("explorer", ""),
    "explorer-ui": ("explorer", ""),
    "apps-list": ("apps", ""),
    "apps-create": ("apps", "Create an app"),
    "apps-detail": ("apps", "App"),
    "apps-edit": ("apps", "Edit"),
    "apps-rotate-secret": ("apps", "Rotate secret"),
    "apps-delete": ("apps", "Delete"),
    "apps-test": ("apps", "Test in the sandbox"),
    "apps-test-callback": ("apps", "Test result"),
    "webhooks-list": ("webhooks", ""),
    "webhooks-create": ("webhooks", "Add an endpoint"),
    "webhooks-detail": ("webhooks", "Endpoint"),
    "webhooks-edit": ("webhooks", "Edit"),
    "webhooks-rotate": ("webhooks", "Secret rotated"),
    "webhooks-delete": ("webhooks", "Delete"),
    "webhooks-delivery": ("webhooks", "Delivery"),
    "events-list": ("events", ""),
    "events-detail": ("events", "Event"),
    "offers": ("offers", ""),
    "offers-create": ("offers", "Create an offer"),
    "sandbox": ("sandbox", ""),
    "sandbox-holder": ("sandbox", "Holder"),
    "sandbox-action": ("sandbox", ""),
    "logs-list": ("logs", ""),
    "logs-detail": ("logs", "Request"),
    "team": ("team", ""),
    "team-invite": ("team", ""),
    "team-transfer": ("team", "Transfer ownership"),
    "team-invitation-accept": ("team", "Invitation"),
    "audit-log": ("audit", ""),
    "live-access": ("live", ""),
    "live-request": ("live", ""),
    "settings": ("settings", ""),
    "api-version": ("api-version", ""),
}


@dataclass(frozen=True)
class Place:
    """Where a page is: its section and its own breadcrumb label (empty on the section's page)."""

    section: Section
    label: str


def place_of(url_name: str | None) -> Place | None:
    """The section and breadcrumb label of the portal page named ``url_name``; None outside the portal."""
    entry = PAGES.get(url_name or "")
    if entry is None:
        return None
    return Place(section=_BY_KEY[entry[0]], label=entry[1])
