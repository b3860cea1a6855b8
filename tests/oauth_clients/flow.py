"""Driving the authorization server as a browser and a client would, with Django's test client: a holder
signs in on ``/o/login/``, approves on ``/o/authorize/``, and the app exchanges the code at ``/o/token/``."""

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client

from apps.wallets.models import WalletHolder
from tests.core.factories import UserFactory
from tests.oauth_clients.factories import ApplicationFactory
from tests.wallets.factories import make_holder, make_wallet

PASSWORD = "holder-pass-1"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)[:64]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def challenge_of(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class Setup:
    app: Any
    holder: WalletHolder
    username: str
    wallets: list[Any] = field(default_factory=list)


def setup(
    *, scopes: tuple[str, ...] = ("accounts:read", "balances:read", "transactions:read"), **app_kwargs: Any
) -> Setup:
    """An app of a fresh sandbox and one of its holders (with a login and a USD and an EUR wallet)."""
    app = ApplicationFactory(allowed_scopes=list(scopes), **app_kwargs)
    user = UserFactory(password=PASSWORD)
    holder = make_holder(partner=app.partner)
    WalletHolder.objects.filter(pk=holder.pk).update(user=user)
    holder.refresh_from_db()
    wallets = [make_wallet(holder=holder, currency="USD", balance=1000), make_wallet(holder=holder, currency="EUR")]
    return Setup(app=app, holder=holder, username=user.username, wallets=wallets)


def authorize_query(s: Setup, *, challenge: str, scope: str = "accounts:read balances:read", **extra: str) -> str:
    params = {
        "response_type": "code",
        "client_id": s.app.client_id,
        "redirect_uri": s.app.redirect_uris.split()[0],
        "scope": scope,
        "state": "st4te",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return "/o/authorize/?" + urlencode({k: v for k, v in params.items() if v is not None})


def sign_in(client: Client, s: Setup) -> None:
    response = client.post("/o/login/", {"username": s.username, "password": PASSWORD, "next": "/o/authorize/"})
    assert response.status_code == 302, response.content


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def approve(client: Client, url: str, *, wallets: list[Any], decision: str = "approve", code: str = "") -> Any:
    data: dict[str, Any] = {"decision": decision, "wallets": [w.public_id for w in wallets]}
    if code:
        data["code"] = code
    return client.post(url, data)


def code_for(client: Client, s: Setup, *, wallets: list[Any] | None = None, **query: Any) -> tuple[str, str]:
    """Sign in, approve and return (code, verifier)."""
    verifier, challenge = pkce()
    sign_in(client, s)
    url = authorize_query(s, challenge=challenge, **query)
    assert client.get(url).status_code == 200
    response = approve(client, url, wallets=wallets if wallets is not None else s.wallets[:1])
    assert response.status_code == 302, response.content
    return query_of(response["Location"])["code"], verifier


def exchange(client: Client, s: Setup, code: str, verifier: str, *, app: Any = None) -> Any:
    app = app or s.app
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": s.app.redirect_uris.split()[0],
        "code_verifier": verifier,
        "client_id": app.client_id,
        "client_secret": app.secret,
    }
    return client.post("/o/token/", {k: v for k, v in data.items() if v is not None})


def refresh(client: Client, s: Setup, refresh_token: str) -> Any:
    return client.post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": s.app.client_id,
            "client_secret": s.app.secret,
        },
    )


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
