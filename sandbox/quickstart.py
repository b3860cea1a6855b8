"""The demo partner that ``make run`` and scripts use: a known portal login, a fresh sandbox secret key and a
fresh OAuth client (``Demo app``, ``Demo app 2``, ...) on every run (secrets are stored hashed, so they cannot be
shown again; older quickstart keys and clients keep working until revoked or deleted). The first run seeds the
demo sandbox (``sandbox.seed``) so there is data from the first minute; later runs leave it as it is and list
its personas."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from apps.core.accounts import email_address_record
from apps.core.scopes import USER_DELEGATED
from apps.oauth_clients.models import Application
from apps.oauth_clients.services import application_create
from apps.partners.models import Environment, Membership, Partner
from apps.partners.services import api_key_create, partner_create, sandbox_seed_finish
from apps.wallets.models import WalletHolder
from sandbox.seed import persona_list, seed_sandbox

DEMO_EMAIL = "demo@causeway.test"
DEMO_PASSWORD = "causeway-demo-2026"
DEMO_PARTNER_NAME = "Causeway Demo"
DEMO_APP_NAME = "Demo app"
DEMO_REDIRECT_URI = "http://localhost:3000/callback"
# Random holders seeded (besides the personas) the first time; seed_sandbox adds more on demand.
DEMO_HOLDERS = 20
# Two bank staff logins for the staff pages (/staff/cases/) and the Django admin: two, because freezing and
# unfreezing take two people (docs/staff-guide.md). Fresh passwords every run, like the key.
DEMO_STAFF = ("staff-ana@causeway.test", "staff-ben@causeway.test")


@dataclass
class Quickstart:
    partner: Partner
    secret_key: str
    client_id: str
    client_secret: str
    personas: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "base_url": settings.BASE_URL,
            "portal": {"email": DEMO_EMAIL, "password": DEMO_PASSWORD},
            "partner": {"id": self.partner.public_id},
            "secret_key": self.secret_key,
            "oauth_client": {
                "authorize_url": f"{settings.BASE_URL}/o/authorize/",
                "token_url": f"{settings.BASE_URL}/o/token/",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "redirect_uri": DEMO_REDIRECT_URI,
                "scopes": sorted(USER_DELEGATED),
            },
            "personas": self.personas,
            "staff": {"login_url": f"{settings.BASE_URL}/admin/login/?next=/staff/cases/", "accounts": self.staff},
        }


def _demo_user_and_partner() -> tuple[Any, Partner]:
    User = get_user_model()
    user = User.objects.filter(username=DEMO_EMAIL).first()
    if user is None:
        user = User(username=DEMO_EMAIL, email=DEMO_EMAIL, first_name="Demo", last_name="Developer")
    user.set_password(DEMO_PASSWORD)
    user.save()
    # The quickstart owns this address (a .test domain no mail reaches), so it vouches for it: the demo login can
    # set up two-factor authentication like a verified member.
    email_address_record(user=user, verified=True)
    membership = (
        Membership.objects.select_related("partner")
        .filter(user=user, role=Membership.Role.OWNER, partner__name=DEMO_PARTNER_NAME)
        .first()
    )
    partner = membership.partner if membership else partner_create(name=DEMO_PARTNER_NAME, owner=user)
    return user, partner


def _demo_staff() -> list[dict[str, str]]:
    """The bank's two demo staff accounts (staff and superusers: the Django admin's review actions too), each with a
    fresh password. Only where the quickstart is enabled (development), never in production."""
    User = get_user_model()
    accounts = []
    for username in DEMO_STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            first = username.split("@")[0].removeprefix("staff-").title()
            user = User(username=username, email=username, first_name=first, last_name="(bank staff)")
        user.is_staff = user.is_superuser = True
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        accounts.append({"username": username, "password": password})
    return accounts


@transaction.atomic
def demo_partner() -> Partner:
    """The demo partner, created (with its portal login) when missing. Issues no secrets."""
    return _demo_user_and_partner()[1]


def is_demo_partner(partner: Partner) -> bool:
    return Membership.objects.filter(
        partner=partner, role=Membership.Role.OWNER, user__username=DEMO_EMAIL, partner__name=DEMO_PARTNER_NAME
    ).exists()


def demo_sandbox_is_empty(partner: Partner) -> bool:
    return not WalletHolder.objects.filter(partner=partner, environment="sandbox").exists()


def _demo_app_name(sandbox: Environment) -> str:
    """``Demo app`` for the first run's client, then ``Demo app 2``, ``Demo app 3``... (names are unique per
    environment, ignoring case)."""
    taken = {
        name.lower()
        for name in Application.objects.filter(environment=sandbox, name__istartswith=DEMO_APP_NAME).values_list(
            "name", flat=True
        )
    }
    name, number = DEMO_APP_NAME, 1
    while name.lower() in taken:
        number += 1
        name = f"{DEMO_APP_NAME} {number}"
    return name


@transaction.atomic
def quickstart(*, notify: Callable[[str], Any] | None = None) -> Quickstart:
    """Create or refresh the demo partner; the first time, seed its sandbox (``notify`` hears about it)."""
    user, partner = _demo_user_and_partner()
    if demo_sandbox_is_empty(partner):
        if notify is not None:
            notify(f"Seeding the demo sandbox ({DEMO_HOLDERS} holders and the personas, 12 months of history)...")
        report = seed_sandbox(partner=partner, holders=DEMO_HOLDERS, demo=True)
        sandbox_seed_finish(
            environment=partner.environments.get(kind="sandbox"), ok=True, anchor=report.anchor, holders=DEMO_HOLDERS
        )
        if notify is not None:
            notify(f"Seeded {report.transactions} transactions in {report.seconds:.1f} s.")
    sandbox = partner.environments.get(kind="sandbox")
    issued_key = api_key_create(environment=sandbox, name="Quickstart", created_by=user)
    # A new client every run, like the key: its secret is stored hashed and cannot be shown again, and rotating
    # one shared client would break whoever ran the quickstart a minute ago. Older clients keep working.
    issued_client = application_create(
        environment=sandbox,
        name=_demo_app_name(sandbox),
        redirect_uris=[DEMO_REDIRECT_URI],
        allowed_scopes=sorted(USER_DELEGATED),
        actor=user,
    )
    if issued_client.client_secret is None:  # the demo client is confidential: it is always issued a secret
        raise RuntimeError("the quickstart's OAuth client was issued without a secret")
    return Quickstart(
        partner=partner,
        secret_key=issued_key.secret,
        client_id=issued_client.application.client_id,
        client_secret=issued_client.client_secret,
        personas=persona_list(partner=partner, demo=True),
        staff=_demo_staff(),
    )
