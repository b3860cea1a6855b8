"""The API reference in a real browser: Swagger UI and Redoc render the schema without one request leaving
127.0.0.1 (Redoc's footer logo lives on a CDN: the page's policy refuses it), and "Try it out" targets the
server the page came from."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_redoc_renders_offline(page: Page, console_errors, live_server):
    page.goto("/v1/redoc/")

    expect(page.get_by_role("heading", name="Who am I").first).to_be_visible(timeout=30_000)
    assert console_errors.offsite == []
    assert console_errors.failed == []


def test_swagger_ui_renders_offline_and_tries_requests_on_this_server(page: Page, console_errors, live_server):
    page.goto("/v1/docs/")

    expect(page.locator(".servers select")).to_have_value(live_server.url, timeout=30_000)
    expect(page.get_by_text("/v1/partner", exact=True).first).to_be_visible()
    assert console_errors.offsite == []
    assert console_errors.failed == []
