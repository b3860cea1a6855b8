"""The holder's session on the consent screen and the holder's dashboard (``/account/connections/``), kept apart
from the portal's.

A holder signs in on ``/o/login/`` and gets a signed cookie (``HOLDER_SESSION_COOKIE``, path ``/`` so the
dashboard reads it too, HttpOnly, SameSite=Lax) naming the holder's user and when the second step (a one-time
code) was passed. It is not Django's session login: a developer signed in to the portal stays signed in as
themselves, and a holder's credentials never open the portal.

One-time codes: the sign-in asks for one as a second step when the holder has an authenticator app (allauth
TOTP), or when the holder's ``sign_in_code_required`` is set (``needs_sign_in_code``; the sandbox seed sets it
for the ``user_mfa`` persona). A holder with an authenticator app types its code; otherwise a 6-digit code is
e-mailed, kept hashed for ``HOLDER_CODE_SECONDS`` (5 minutes), and allows ``HOLDER_CODE_ATTEMPTS`` (5) tries.
In sandbox the codes listed in ``OAUTH_SANDBOX_TEST_CODES`` (published: ``123456``) are accepted too, since
sandbox holders' e-mail addresses are fake.
"""

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse

from apps.wallets.models import WalletHolder

COOKIE_SALT = "causeway.oauth.holder-session"
COOKIE_PATH = "/"


@dataclass(frozen=True)
class HolderSession:
    user_id: int
    code_verified_at: float | None  # when the holder last passed a one-time code (epoch seconds)

    def holder(self) -> WalletHolder | None:
        return WalletHolder.objects.select_related("user").filter(user_id=self.user_id).first()

    def code_is_fresh(self) -> bool:
        return self.code_verified_at is not None and time.time() - self.code_verified_at < settings.HOLDER_CODE_SECONDS


def current(request: HttpRequest) -> HolderSession | None:
    """The holder signed in on this browser, if any (a tampered or stale cookie counts as none)."""
    try:
        data = request.get_signed_cookie(
            settings.HOLDER_SESSION_COOKIE, salt=COOKIE_SALT, max_age=settings.HOLDER_SESSION_SECONDS
        )
        value = json.loads(data or "")
    except (KeyError, signing.BadSignature, ValueError, TypeError):
        return None
    return HolderSession(user_id=int(value["u"]), code_verified_at=value.get("c"))


def save(response: HttpResponse, session: HolderSession) -> None:
    value = json.dumps({"u": session.user_id, "c": session.code_verified_at})
    response.set_signed_cookie(
        settings.HOLDER_SESSION_COOKIE,
        value,
        salt=COOKIE_SALT,
        max_age=settings.HOLDER_SESSION_SECONDS,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def clear(response: HttpResponse) -> None:
    response.delete_cookie(settings.HOLDER_SESSION_COOKIE, path=COOKIE_PATH)


def _failures_key(username: str) -> str:
    return "oauth:holder-login-failures:" + hashlib.sha256(username.lower().encode()).hexdigest()


def authenticate_holder(username: str, password: str) -> WalletHolder | None:
    """The active holder whose user has these credentials; None for anyone else (partner members and staff
    included: their passwords never open a holder session). After ``HOLDER_LOGIN_ATTEMPTS`` failures for one
    username, every attempt fails until ``HOLDER_LOGIN_LOCKOUT_SECONDS`` have passed since the last one."""
    key = _failures_key(username)
    failures = cache.get(key, 0)
    if failures >= settings.HOLDER_LOGIN_ATTEMPTS:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    holder = None
    if user is not None and user.check_password(password):
        holder = WalletHolder.objects.filter(user=user).exclude(status=WalletHolder.Status.CLOSED).first()
    if holder is None:
        cache.set(key, failures + 1, settings.HOLDER_LOGIN_LOCKOUT_SECONDS)
    return holder


# --- one-time codes ------------------------------------------------------------------------------------------
def _code_key(user_id: int) -> str:
    return f"oauth:holder-code:{user_id}"


def _digest(code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{code}".encode()).hexdigest()


def has_authenticator(holder: WalletHolder) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=holder.user_id, type=Authenticator.Type.TOTP).exists()


def needs_sign_in_code(holder: WalletHolder) -> bool:
    """Whether signing in on ``/o/login/`` takes a one-time code after the password: always for a holder with an
    authenticator app, and for one whose ``sign_in_code_required`` holder-level rule is set."""
    return holder.sign_in_code_required or has_authenticator(holder)


def send_code(holder: WalletHolder) -> None:
    """E-mail a fresh 6-digit code to the holder (replacing any earlier one)."""
    code = f"{secrets.randbelow(10**6):06d}"
    cache.set(_code_key(int(holder.user_id or 0)), {"d": _digest(code), "n": 0}, settings.HOLDER_CODE_SECONDS)
    if holder.email:
        send_mail(
            "Your Causeway approval code",
            f"Your code is {code}. It expires in {settings.HOLDER_CODE_SECONDS // 60} minutes.",
            None,
            [holder.email],
        )


def verify_code(holder: WalletHolder, code: str) -> bool:
    """Whether ``code`` is the holder's current one-time code: the authenticator app's, or the e-mailed one
    (at most ``HOLDER_CODE_ATTEMPTS`` tries, then a new code is needed), or in sandbox a published test code."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return False
    if holder.environment == "sandbox" and code in settings.OAUTH_SANDBOX_TEST_CODES:
        return True
    if has_authenticator(holder):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        authenticator = Authenticator.objects.get(user_id=holder.user_id, type=Authenticator.Type.TOTP)
        return bool(TOTP(authenticator).validate_code(code))
    key = _code_key(int(holder.user_id or 0))
    stored: dict[str, Any] | None = cache.get(key)
    if stored is None or stored["n"] >= settings.HOLDER_CODE_ATTEMPTS:
        return False
    if hmac.compare_digest(stored["d"], _digest(code)):
        cache.delete(key)
        return True
    stored["n"] += 1
    cache.set(key, stored, settings.HOLDER_CODE_SECONDS)
    return False
