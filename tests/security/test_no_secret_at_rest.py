"""No secret in cleartext where it comes to rest: a full scenario (a partner signs up, issues keys, an app gets an
OAuth token through the consent screen, a webhook endpoint with its secret receives deliveries, transfers and a
card payment move money, a bank account and a TOTP authenticator are added), then every log record written
during it and a dump of every database (``dumpdata``; on PostgreSQL also ``pg_dump``) are searched for each
secret the scenario saw and for anything shaped like a Causeway credential (tests/security/secret_formats.py).
"""

import io
import json
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from apps.partners.models import Partner
from tests.helpers import post_transfer
from tests.oauth_clients import flow
from tests.security.secret_formats import find
from tests.wallets.factories import GOOD_ACCOUNT_NUMBER, make_holder, make_wallet

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-brand-new-pass-4321"
CARD_NUMBER = "4242424242424242"


class _Everything(logging.Handler):
    """Keeps every record as the project's own log formatter renders it (the JSON line written to stderr), at
    every level, from every logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.text = io.StringIO()
        stderr = next(h for h in logging.getLogger().handlers if h.formatter is not None)
        self.setFormatter(stderr.formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.text.write(self.format(record) + "\n")


@pytest.fixture
def captured_logs() -> Iterator[_Everything]:
    """What the logs would hold with ``LOG_LEVEL=DEBUG``, the most an operator can turn on: the root logger at
    DEBUG, every logger with a level of its own in LOGGING left at it."""
    handler = _Everything()
    root = logging.getLogger()
    isolated = [logging.getLogger(name) for name, config in settings.LOGGING["loggers"].items() if "handlers" in config]
    level = root.level
    root.setLevel(logging.DEBUG)
    for logger in (root, *isolated):
        logger.addHandler(handler)
    yield handler
    root.setLevel(level)
    for logger in (root, *isolated):
        logger.removeHandler(handler)


def _scenario(receiver: Any) -> dict[str, str]:
    """Run the scenario; returns every secret it saw, by name."""
    seen: dict[str, str] = {"password": PASSWORD}
    portal = Client()
    signup = {"email": "founder@leak.test", "password1": PASSWORD, "password2": PASSWORD, "company_name": "Leak"}
    assert portal.post("/accounts/signup/", signup).status_code == 302
    partner = Partner.objects.get(name="Leak")
    sandbox = partner.environments.get(kind="sandbox")
    user = partner.memberships.get().user

    from apps.partners.services import api_key_create

    key = api_key_create(environment=sandbox, name="Server").secret
    seen["secret key"] = key
    seen["restricted key"] = api_key_create(environment=sandbox, name="Events", scopes=["events:read"]).secret
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    # The API explorer's key, minted for the portal session, carried by its page once and used from it.
    explorer_page = portal.get("/portal/explorer/ui/").content.decode()
    seen["API explorer key"] = json.loads(
        re.search(r'id="explorer-key" type="application/json">("[^"]+")', explorer_page)[1]
    )
    assert APIClient().get("/v1/partner", HTTP_AUTHORIZATION=f"Bearer {seen['API explorer key']}").status_code == 200

    totp_secret = generate_totp_secret()
    TOTP.activate(user, totp_secret)
    seen["TOTP secret"] = totp_secret

    endpoint = api.post("/v1/webhook_endpoints", {"url": receiver.url, "enabled_events": ["*"]}, format="json")
    assert endpoint.status_code == 201, endpoint.content
    seen["webhook secret"] = endpoint.json()["secret"]
    rotated = api.post(f"/v1/webhook_endpoints/{endpoint.json()['id']}/rotate_secret", {}, format="json")
    seen["rotated webhook secret"] = rotated.json()["secret"]

    s = flow.setup(scopes=("accounts:read", "balances:read", "transactions:read"), environment=sandbox)
    seen["client secret"] = s.app.secret
    browser = Client()
    code, verifier = flow.code_for(browser, s)
    tokens = flow.exchange(browser, s, code, verifier).json()
    seen["access token"], seen["refresh token"] = tokens["access_token"], tokens["refresh_token"]
    refreshed = flow.refresh(browser, s, tokens["refresh_token"]).json()
    seen["refreshed access token"] = refreshed["access_token"]
    assert api.get("/v1/wallets", **flow.bearer(refreshed["access_token"])).status_code == 200

    holder = make_holder(partner=partner, name="Ada Lovelace")
    wallet, payee = make_wallet(holder=holder, balance=50_000), make_wallet(holder=make_holder(partner=partner))
    account = {"type": "bank_account", "bank_account": {"account_holder_name": "Ada Lovelace", "sort_code": "12-34-56"}}
    account["bank_account"]["account_number"] = GOOD_ACCOUNT_NUMBER
    assert api.post(f"/v1/wallet_holders/{holder.public_id}/funding_sources", account, format="json").status_code == 201
    seen["account number"] = GOOD_ACCOUNT_NUMBER
    card = {"type": "card", "card": {"number": CARD_NUMBER}}
    assert api.post(f"/v1/wallet_holders/{holder.public_id}/funding_sources", card, format="json").status_code == 400
    seen["card number"] = CARD_NUMBER

    body = {"type": "p2p", "source": wallet.public_id, "destination": payee.public_id, "amount": 1_000}
    assert post_transfer(api, {**body, "currency": "USD"}).status_code == 201
    purchase = {"wallet": wallet.public_id, "amount": 1_850, "currency": "USD"}
    purchase["merchant"] = {"name": "Blue Door Diner", "category": "dining"}
    assert api.post("/v1/sandbox/card_transactions", purchase, format="json").status_code == 201

    from apps.webhooks.services import delivery

    assert delivery.deliver_batch(delivery_ids=[]).delivered > 0
    # The refused forms a careless client sends: a key in the query string, a token as a form field.
    api.get(f"/v1/partner?key={key}")
    browser.post("/o/introspect/", {"token": refreshed["access_token"]})
    return seen


def _database_dumps() -> str:
    text = []
    for alias in settings.DATABASES:
        out = io.StringIO()
        call_command("dumpdata", database=alias, stdout=out, verbosity=0)
        text.append(out.getvalue())
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql") and shutil.which("pg_dump"):
        command = ["pg_dump", "--data-only", "-h", database["HOST"] or "127.0.0.1", "-p", str(database["PORT"] or 5432)]
        command += ["-U", database["USER"] or "postgres", database["NAME"]]
        environment = {"PATH": os.environ.get("PATH", ""), "PGPASSWORD": database["PASSWORD"] or ""}
        dump = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True, env=environment)
        text.append(dump.stdout)
    return "\n".join(text)


# Stored in cleartext by allauth's default MFA adapter (Authenticator.data): encrypting it needs the field
# encryption (apps/wallets/crypto.py) moved below the portal's layer and the enrolled secrets migrated. Known and
# listed in docs/security.md; the test fails once it is fixed, so the exception cannot outlive the gap.
TOTP_AT_REST = "TOTP secret in database"


def test_no_secret_of_a_full_scenario_is_in_the_logs_or_a_database_dump(captured_logs, receiver):
    seen = _scenario(receiver)
    places = {"logs": captured_logs.text.getvalue(), "database": _database_dumps()}

    assert len(places["logs"]) > 1_000 and len(places["database"]) > 10_000  # both really hold the scenario
    found = [f"{name} in {place}" for place, text in places.items() for name, secret in seen.items() if secret in text]
    found += [f"a {shape} in {place}" for place, text in places.items() for shape, _ in find(text)]
    assert [hit for hit in found if hit != TOTP_AT_REST] == [], "\n".join(found)
    assert TOTP_AT_REST in found, "TOTP secrets are no longer stored in cleartext: drop the known exception"
