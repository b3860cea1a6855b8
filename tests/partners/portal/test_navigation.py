"""Every portal page has its place: a menu item shown active, breadcrumbs and a docs link (portal/navigation.py),
so a new page cannot be added without them."""

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from apps.partners.portal.navigation import PAGES, SECTIONS, place_of

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[3] / "docs"

# Pages that answer only a POST (they redirect to a page that has a place).
POST_ONLY = {
    "switch-environment",
    "switch-partner",
    "sandbox-reset",
    "live-request",
    "team-invitation-revoke",
    "team-member-role",
    "team-member-remove",
    "team-leave",
    "webhooks-test",
    "webhooks-replay",
    "webhooks-resend",
    "offers-pause",
}


def portal_url_names() -> set[str]:
    def walk(patterns) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                names |= walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)
        return names

    (portal,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "portal"]
    return walk(portal.url_patterns)


class TestEveryPageHasAPlace:
    def test_every_portal_page_that_renders_is_in_the_table(self):
        assert portal_url_names() - POST_ONLY - set(PAGES) == set()

    def test_the_table_names_only_real_pages_and_every_section_has_a_docs_page(self):
        assert set(PAGES) - portal_url_names() == set()
        assert all(section.docs.endswith("/") and section.url.startswith("/portal/") for section in SECTIONS)

    def test_every_docs_link_is_a_page_of_the_docs_site(self):
        for section in SECTIONS:
            stem = DOCS / section.docs.rstrip("/")
            assert stem.with_suffix(".md").is_file() or (stem / "README.md").is_file(), section.docs

    def test_outside_the_portal_there_is_no_place(self):
        assert place_of("account_login") is None and place_of(None) is None


class TestMenuAndBreadcrumbs:
    def test_a_section_page_marks_its_menu_item_and_ends_the_breadcrumbs(self, owner):
        body = owner.client.get("/portal/logs/").content.decode()

        assert '<a href="/portal/logs/" class="active" aria-current="page">Request logs</a>' in body
        assert '<li aria-current="page">Request logs</li>' in body
        assert 'href="/docs/portal/request-logs/" data-testid="docs-link"' in body

    def test_a_page_below_a_section_links_back_to_it_and_keeps_its_item_active(self, owner):
        body = owner.client.get("/portal/keys/new/").content.decode()

        assert '<a href="/portal/keys/" class="active" aria-current="page">API keys</a>' in body
        assert '<li><a href="/portal/keys/">API keys</a></li>' in body
        assert '<li aria-current="page">Create a key</li>' in body
        assert body.count('aria-current="page"') == 2  # the menu item and the last crumb

    def test_items_a_role_cannot_use_are_not_in_its_menu(self, member):
        body = member("viewer").client.get("/portal/").content.decode()

        assert ">Audit log</a>" not in body and ">Settings</a>" not in body and ">Events</a>" in body
