"""Shared fixtures and the rules for tests that need real services.

Tests marked ``postgres`` or ``redis`` skip (with the reason) where that service is not configured, but when
``CI`` is set such a skip is a failure: CI must run them. The one exception is CI's embedded-default pass
(``CAUSEWAY_TEST_PASS=embedded``), which runs the suite without servers on purpose; its skipped tests run in
the PostgreSQL + Redis pass, where a missing service fails. ``slow`` tests run only in the PostgreSQL pass.
"""

import os
import socket
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from apps.partners.models import Membership, Partner
from apps.partners.services import api_key_create
from tests.core.factories import UserFactory
from tests.helpers import skip_or_fail
from tests.partners.factories import LiveEnvironmentFactory, MembershipFactory, PartnerFactory
from tests.transfers.factories import api_key_principal
from tests.webhooks.receiver import Receiver


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _redis_url() -> str | None:
    for url in (os.environ.get("CACHE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")):
        if url.startswith("redis://"):
            return url
    return None


def _redis_reachable(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The cache (and later the request logs) live in the "aux" database on SQLite: let every database test
    # reach every database unless it says otherwise.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and "databases" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(*marker.args, **marker.kwargs, databases="__all__"), append=False)


@pytest.fixture(autouse=True)
def _service_requirements(request: pytest.FixtureRequest) -> None:
    node = request.node
    if node.get_closest_marker("postgres") and not _on_postgres():
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if node.get_closest_marker("slow") and not _on_postgres():
        pytest.skip("slow tests run only in the PostgreSQL pass")
    if node.get_closest_marker("redis"):
        url = _redis_url()
        if url is None or not _redis_reachable(url):
            skip_or_fail("needs Redis: set CACHE_URL or CELERY_BROKER_URL to redis://...")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:  # type: ignore[misc]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for alias in settings.DATABASES:
            call_command("createcachetable", database=alias, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _flush_may_empty_the_ledger():
    """Transactional tests end with ``flush``, which on SQLite deletes rows one table at a time, and the ledger's
    triggers refuse deleting entries. Only this test teardown gets the purge switch without a transaction
    (PostgreSQL truncates, which row triggers do not see)."""
    from django.core.management.commands import flush

    from apps.wallets import ledger

    original = flush.Command.handle

    def handle(self, *args, **options):
        ledger._purge.allowed = True
        try:
            return original(self, *args, **options)
        finally:
            ledger._purge.allowed = False

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    yield
    if not settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def partner(db):
    return PartnerFactory()


@pytest.fixture
def sandbox(partner):
    return partner.environments.get(kind="sandbox")


@pytest.fixture
def sandbox_key(sandbox):
    return api_key_create(environment=sandbox, name="Test key")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for():
    """``client_for(secret)``: an API client that sends ``Authorization: Bearer <secret>``."""

    def make(secret: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make


@pytest.fixture
def sandbox_client(sandbox_key, client_for):
    return client_for(sandbox_key.secret)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    """A bank staff user (not a member of any partner)."""
    return UserFactory(username="reviewer@bank.test", email="reviewer@bank.test", is_staff=True)


@dataclass
class Member:
    """A partner member logged in to the portal: ``client`` is a Django test client with the session."""

    client: Client
    user: Any
    partner: Partner
    membership: Membership

    @property
    def sandbox(self) -> Any:
        return self.partner.environments.get(kind="sandbox")

    def use_live(self) -> Any:
        """Open the partner's live environment and switch the portal to it."""
        live = LiveEnvironmentFactory(partner=self.partner)
        assert self.client.post("/portal/switch/environment", {"environment": "live"}).status_code == 302
        return live


@pytest.fixture
def member(db):
    """``member("owner")`` -> Member; pass ``partner=`` to join an existing partner, ``verified=False`` to
    leave the e-mail unverified."""

    def make(role: str = "owner", *, partner: Partner | None = None, verified: bool = True) -> Member:
        partner = partner or PartnerFactory()
        user = UserFactory()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
        membership = MembershipFactory(partner=partner, user=user, role=role)
        client = Client()
        client.force_login(user)
        return Member(client=client, user=user, partner=partner, membership=membership)

    return make


@pytest.fixture
def owner(member):
    return member("owner")


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (``tests.webhooks.receiver``), stopped after the test."""
    with Receiver() as server:
        yield server


@pytest.fixture
def principal(sandbox):
    """What an unrestricted secret key of the partner's sandbox resolves to."""
    return api_key_principal(environment=sandbox)


@pytest.fixture
def sandbox_sanctions_list(db):  # type: ignore[no-untyped-def]
    """The sandbox's sanctions test list loaded (the sandbox seeding loads it; tests that make holders by hand
    ask for it), with this process's matchers forgotten before and after."""
    from apps.risk.selectors import matcher_cache_clear
    from apps.risk.services import sandbox_list_ensure

    matcher_cache_clear()
    yield sandbox_list_ensure()
    matcher_cache_clear()
