"""Real-browser tests: Playwright drives the system's Chromium (Debian's ``/usr/bin/chromium``; Playwright's own
browser downloads are never used) against pytest-django's ``live_server``.

Fixtures: ``browser`` (one headless Chromium per session), ``page`` (a fresh context per test: no cookies, no
storage), ``console_errors`` (JavaScript errors, failed loads and any request that tried to leave 127.0.0.1 on
that page, for the test to assert empty), ``portal_ui`` (signs up, logs in and out through the real pages) and
``worker`` (the sandbox's seed and reset tasks in a thread of this process).

Browser tests are ``slow`` (they run in the PostgreSQL pass only) and use
``django_db(transaction=True)``: the live server answers from another thread, so it must see committed rows.
Without Chromium they skip, except under CI outside the embedded pass, where a missing browser is a failure.
"""

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection, transaction
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response, Route, sync_playwright

from apps.partners.services.sandbox import RESET_TASK, SEED_TASK
from sandbox.lifecycle import sandbox_reset_run, sandbox_seed_run
from tests.helpers import skip_or_fail, totp_code

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse database calls
# from it as "async unsafe". Nothing here is actually concurrent with the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on 127.0.0.1 (not "localhost", which may resolve to ::1): the only host the browser
# is allowed to reach.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path(os.environ.get("CAUSEWAY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    # Belt and braces: any name Chromium tries to resolve by itself (updates, safe browsing) goes nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1"}
TIMEOUT_MS = 15_000
LINK = re.compile(r"https?://\S+")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session, with a throwaway profile (Playwright's launch makes one)."""
    if not CHROMIUM.exists():
        skip_or_fail(f"needs Chromium at {CHROMIUM}: apt-get install chromium")
    playwright = sync_playwright().start()
    try:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield instance
    instance.close()
    playwright.stop()


@dataclass
class PageProblems:
    """What went wrong in the page that a user would not see as a failed assertion."""

    console: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.console, *self.offsite, *self.failed]


def watched_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page, PageProblems]:
    """A page in a fresh browser context (no cookies, no storage) whose base URL is ``base_url``, kept to
    127.0.0.1 and watched for script errors, failed asset loads and off-site requests. Close the context after."""
    context = browser.new_context(base_url=base_url, java_script_enabled=True)
    context.set_default_timeout(TIMEOUT_MS)
    problems = PageProblems()

    def only_local(route: Route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            problems.offsite.append(route.request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.console.append(f"{page.url}: {message.text}")

    def uncaught(error: Exception) -> None:
        problems.console.append(f"{page.url}: {error}")

    def asset(response: Response) -> None:
        if response.request.resource_type in {"script", "stylesheet", "image", "font"} and response.status >= 400:
            problems.failed.append(f"{response.status} {response.url}")

    context.route("**/*", only_local)
    page = context.new_page()
    page.on("console", console)
    page.on("pageerror", uncaught)
    page.on("response", asset)
    return context, page, problems


@pytest.fixture
def _browser_page(request: pytest.FixtureRequest, live_server) -> Iterator[tuple[Page, PageProblems]]:
    # Taken lazily so the slow/PostgreSQL skip (a function-scoped autouse fixture) runs before Chromium starts.
    browser: Browser = request.getfixturevalue("browser")
    context, page, problems = watched_page(browser, live_server.url)
    yield page, problems
    context.close()


@pytest.fixture
def other_page(request: pytest.FixtureRequest, live_server) -> Iterator[Callable[[], tuple[Page, PageProblems]]]:
    """``other_page()`` -> (page, problems): another person's browser (a fresh context: no cookies), watched like
    the ``page`` fixture's."""
    browser: Browser = request.getfixturevalue("browser")
    contexts: list[BrowserContext] = []

    def make() -> tuple[Page, PageProblems]:
        context, page, problems = watched_page(browser, live_server.url)
        contexts.append(context)
        return page, problems

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(_browser_page: tuple[Page, PageProblems]) -> Page:
    """A Playwright page in a fresh browser context, its base URL the live server."""
    return _browser_page[0]


@pytest.fixture
def console_errors(_browser_page: tuple[Page, PageProblems]) -> PageProblems:
    """The page's JavaScript errors, failed asset loads and off-site requests; assert ``.all() == []``."""
    return _browser_page[1]


def emailed_link(to: str, containing: str) -> str:
    """The link containing ``containing`` in the last e-mail sent to ``to`` (locmem backend)."""
    for message in reversed(mail.outbox):
        if to in message.to:
            for link in LINK.findall(message.body):
                if containing in link:
                    return link
    raise AssertionError(f"no e-mail to {to} with a {containing} link in {[m.subject for m in mail.outbox]}")


class PortalUI:
    """Drives the account pages the way a person does: labels, buttons, links."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def sign_up(self, *, email: str, password: str, company: str) -> None:
        self.page.goto("/accounts/signup/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Company name").fill(company)
        self.page.get_by_label("Password:", exact=True).fill(password)
        self.page.get_by_label("Password (again)").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign Up").click()

    def log_in(self, *, email: str, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign In").click()

    def log_out(self) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Log out").click()

    def confirm_password(self, password: str) -> None:
        """Answer allauth's "enter your password" step that guards security changes."""
        self.page.get_by_placeholder("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Confirm").click()

    def enter_totp(self, secret: str) -> None:
        self.page.get_by_label("Authenticator code").or_(self.page.get_by_placeholder("Code")).first.fill(
            totp_code(secret)
        )


@pytest.fixture
def portal_ui(page: Page) -> PortalUI:
    return PortalUI(page)


@pytest.fixture
def worker(monkeypatch):
    """The sandbox's seed and reset tasks run in a thread of this process, as the Celery worker would run them,
    once the request that asked for them commits (``apps.partners.services.sandbox.enqueue`` replaced)."""
    runs = {SEED_TASK: sandbox_seed_run, RESET_TASK: sandbox_reset_run}
    threads: list[threading.Thread] = []

    def work(name: str, environment_id: str) -> None:
        try:
            runs[name](environment_id=environment_id)
        finally:
            connection.close()

    def enqueue(name: str, *, environment_id: str) -> None:
        def start() -> None:
            thread = threading.Thread(target=work, args=(name, environment_id), daemon=True)
            thread.start()
            threads.append(thread)

        transaction.on_commit(start)

    monkeypatch.setattr("apps.partners.services.sandbox.enqueue", enqueue)
    yield
    for thread in threads:
        thread.join(timeout=120)
