"""The docs site in a real browser, built by mkdocs as ``make docs`` builds it and served by the live server:
the quickstart's language tabs work, an error code's ``type`` URL lands on its entry, and no request leaves
127.0.0.1 (no web fonts, no CDN)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return site


@pytest.fixture
def docs_site(built_site, settings):
    settings.DOCS_SITE_DIR = built_site


def test_the_quickstart_switches_languages_offline(page: Page, console_errors, live_server, docs_site):
    page.goto("/docs/quickstart/")

    expect(page.get_by_role("heading", name="Quickstart: from sign-up to a verified webhook")).to_be_visible()
    page.get_by_text("Node", exact=True).first.click()
    expect(page.get_by_text("await fetch(`${base}/v1/partner`, { headers });")).to_be_visible()
    assert console_errors.offsite == []
    assert console_errors.failed == []


def test_a_problem_type_url_lands_on_its_error_code(page: Page, console_errors, live_server, docs_site, api_client):
    problem = api_client.get("/v1/partner").json()
    path = problem["type"].removeprefix(settings.BASE_URL)

    page.goto(path)

    assert path.startswith("/docs/errors/#")
    expect(page.locator(f"[id='{problem['code']}']")).to_be_attached()
    assert console_errors.offsite == []
