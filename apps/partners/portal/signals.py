"""Audit rows for account events that django-allauth and Django signal: sign-in, sign-in failures, password
and MFA changes. Each is recorded once per team the user belongs to, so every team's owners see it."""

from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.partners.models import Membership, Partner
from apps.partners.portal.explorer import SESSION_EXPLORER_KEY
from apps.partners.services import audit, explorer_key_revoke


def _record_for_user(action: str, user: Any, request: Any, metadata: dict[str, Any] | None = None) -> None:
    partners: list[Partner | None] = [m.partner for m in Membership.objects.select_related("partner").filter(user=user)]
    for partner in partners or [None]:
        audit.record(action=action, partner=partner, actor=user, request=request, metadata=metadata)


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record_for_user("user.signed_in", user, request)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Sent before the session is flushed: the API explorer's key dies with the session that minted it.
    key_id = request.session.get(SESSION_EXPLORER_KEY) if request is not None else None
    if key_id and user is not None:
        explorer_key_revoke(user=user, key_id=key_id)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Only the e-mail tried is kept (never the password); rows go to the teams of an existing account. Looked up
    # by e-mail, not username: the username keeps the sign-up address when a member changes theirs.
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    user = get_user_model().objects.filter(email__iexact=email).order_by("pk").first() if email else None
    if user is not None:
        _record_for_user("user.sign_in_failed", user, request)


@receiver(password_changed)
@receiver(password_reset)
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _record_for_user("user.password_changed", user, request)


@receiver(authenticator_added)
def _mfa_added(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _record_for_user("mfa.enabled", user, request, {"type": authenticator.type})


@receiver(authenticator_removed)
def _mfa_removed(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _record_for_user("mfa.disabled", user, request, {"type": authenticator.type})


@receiver(authenticator_reset)
def _mfa_reset(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _record_for_user("mfa.recovery_codes_regenerated", user, request, {"type": authenticator.type})
