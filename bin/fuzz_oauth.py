"""``make fuzz``'s OAuth access token: a wallet holder's consent given through the real consent screen, as a
browser and the app's server would (bin/fuzz.py)."""

import base64
import hashlib
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx


def _form_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise SystemExit("fuzz: no CSRF token on the consent screen")
    return match.group(1)


def holder_token(base_url: str, quickstart: dict[str, Any], persona: dict[str, Any]) -> str:
    """An access token of ``persona`` for the demo app, with every user-delegated scope over all its wallets,
    through the consent screen as a browser and the app's server would get it."""
    client = quickstart["oauth_client"]
    verifier = secrets.token_urlsafe(48)[:64]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    authorize = "/o/authorize/?" + urlencode(
        {
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": client["redirect_uri"],
            "scope": " ".join(client["scopes"]),
            "state": "fuzz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=30) as browser:
        page = browser.get("/o/login/", params={"next": authorize})
        page.raise_for_status()
        signed_in = browser.post(
            "/o/login/",
            data={
                "csrfmiddlewaretoken": _form_token(page.text),
                "next": authorize,
                "username": persona["username"],
                "password": persona["password"],
            },
            headers={"Referer": f"{base_url}/o/login/"},
        )
        if signed_in.status_code != 302:
            raise SystemExit(f"fuzz: the holder sign-in failed ({signed_in.status_code})")
        screen = browser.get(authorize)
        screen.raise_for_status()
        approved = browser.post(
            authorize,
            data={
                "csrfmiddlewaretoken": _form_token(screen.text),
                "decision": "approve",
                "wallets": [wallet["id"] for wallet in persona["wallets"]],
            },
            headers={"Referer": f"{base_url}{authorize}"},
        )
        if approved.status_code != 302:
            raise SystemExit(f"fuzz: the consent was not approved ({approved.status_code})")
        code = parse_qs(urlsplit(approved.headers["Location"]).query)["code"][0]
    token = httpx.post(
        f"{base_url}/o/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": client["redirect_uri"],
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),
        timeout=30,
    )
    token.raise_for_status()
    return str(token.json()["access_token"])
