"""Writes of secret API keys: create, revoke, roll, and the throttled last-used stamp."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from apps.core import clock
from apps.core.errors import error_type
from apps.core.scopes import PARTNER_LEVEL, SANDBOX_ONLY, partner_level_for
from apps.partners import keys
from apps.partners.models import ApiKey, Environment, Partner

User = get_user_model()
_TOUCH_INTERVAL = timedelta(minutes=1)


EnvironmentNotOpen = error_type(
    "EnvironmentNotOpen",
    "environment_not_open",
    409,
    "Environment not open",
    "The live environment opens once the partner's live access is approved.",
)
InvalidScopes = error_type("InvalidScopes", "parameter_invalid", 400, "Invalid scopes")
ApiKeyLimitReached = error_type(
    "ApiKeyLimitReached",
    "api_key_limit_reached",
    422,
    "Too many secret keys",
    doc="The environment already has API_KEY_MAX_ACTIVE (50) active keys: revoke one first (docs/rate-limits.md).",
)


def api_key_cache_key(digest: str) -> str:
    return f"apikey:v1:{digest}"


@dataclass(frozen=True)
class IssuedKey:
    """A newly created key. ``secret`` exists only here, once: it is never stored or shown again."""

    api_key: ApiKey
    secret: str


def api_key_create(
    *,
    environment: Environment,
    name: str = "",
    scopes: list[str] | None = None,
    expires_at: datetime | None = None,
    created_by: "User | None" = None,  # type: ignore[valid-type]
) -> IssuedKey:
    """Issue a secret key for ``environment``. ``scopes`` restricts it to a subset of the partner-level
    scopes its environment can use (empty: all of them; a live key never carries a sandbox-only scope such as
    ``sandbox:write``). Raises ``InvalidScopes`` for anything else, ``ApiKeyLimitReached`` when the environment
    already has ``API_KEY_MAX_ACTIVE`` active keys, and ``EnvironmentNotOpen`` (never reached
    through the model, kept for callers that pass an unsaved environment)."""
    if environment.pk is None:
        raise EnvironmentNotOpen()
    requested = sorted(set(scopes or []))
    unknown = [s for s in requested if s not in PARTNER_LEVEL]
    if unknown:
        raise InvalidScopes(
            f"Secret keys can only carry partner-level scopes ({', '.join(sorted(PARTNER_LEVEL))}).",
            errors=[
                {"field": "scopes", "code": "parameter_invalid", "message": f"Unknown scope {s!r}."} for s in unknown
            ],
        )
    allowed = partner_level_for(environment.kind)
    sandbox_only = [s for s in requested if s not in allowed and s in SANDBOX_ONLY]
    if sandbox_only:
        raise InvalidScopes(
            f"A {environment.kind} key can only carry {', '.join(sorted(allowed))}.",
            errors=[
                {"field": "scopes", "code": "parameter_invalid", "message": f"{s!r} is for sandbox keys only."}
                for s in sandbox_only
            ],
        )
    active = ApiKey.objects.filter(environment=environment, revoked_at__isnull=True, explorer=False).exclude(
        expires_at__lte=clock.now()
    )
    if active.count() >= settings.API_KEY_MAX_ACTIVE:
        raise ApiKeyLimitReached(
            f"An environment can have at most {settings.API_KEY_MAX_ACTIVE} active secret keys; revoke one first."
        )
    return _issue(environment=environment, name=name, scopes=requested, expires_at=expires_at, created_by=created_by)


def _issue(
    *,
    environment: Environment,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
    created_by: "User | None",  # type: ignore[valid-type]
    explorer: bool = False,
) -> IssuedKey:
    secret = keys.generate(environment.kind)
    api_key = ApiKey.objects.create(
        partner_id=environment.partner_id,
        environment=environment,
        name=name,
        digest=keys.digest(secret),
        redacted=keys.redact(secret),
        scopes=scopes,
        expires_at=expires_at,
        created_by=created_by,
        explorer=explorer,
    )
    return IssuedKey(api_key=api_key, secret=secret)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key; the next request made with it is refused (the cached copy is dropped on commit)."""
    if api_key.revoked_at is None:
        api_key.revoked_at = clock.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
    transaction.on_commit(lambda: cache.delete(api_key_cache_key(api_key.digest)))
    return api_key


API_KEY_MAX_ROLL_GRACE = timedelta(days=7)


ApiKeyNotRollable = error_type(
    "ApiKeyNotRollable", "api_key_not_rollable", 409, "Key cannot be rolled", "Only an active key can be rolled."
)
RollGraceInvalid = error_type(
    "RollGraceInvalid",
    "parameter_invalid",
    400,
    "Invalid grace period",
    "The old key's grace period must be between zero and 7 days.",
)


@transaction.atomic
def api_key_roll(
    *,
    api_key: ApiKey,
    grace: timedelta,
    created_by: "User | None",  # type: ignore[valid-type]
    expires_at: datetime | None = None,
) -> IssuedKey:
    """Replace ``api_key`` with a new key of the same environment, name and scopes (``expires_at`` is the
    new key's own expiry), and keep the old key working for ``grace``: zero revokes it at once, otherwise
    its expiry becomes now + grace (never later than it already was). The old key records ``rolled_to``.

    Raises ``RollGraceInvalid`` for a grace outside 0..7 days and ``ApiKeyNotRollable`` for a key that is
    revoked, expired or already rolled. Authentication caches keys by digest, and the cached copy still
    holds the old expiry, so the cache entry is dropped on commit: the new expiry applies on the next request.
    The caller's ``api_key`` instance is updated to match the row.
    """
    if grace < timedelta(0) or grace > API_KEY_MAX_ROLL_GRACE:
        raise RollGraceInvalid()
    old = ApiKey.objects.select_for_update(of=("self",)).select_related("environment").get(pk=api_key.pk)
    # Authentication enforces expiry against real time, so the grace period is measured in real time too.
    now = clock.now()
    if old.revoked_at is not None:
        raise ApiKeyNotRollable("This key has been revoked; create a new key instead.")
    if old.expires_at is not None and old.expires_at <= now:
        raise ApiKeyNotRollable("This key has expired; create a new key instead.")
    if old.rolled_to_id is not None:
        raise ApiKeyNotRollable("This key has already been rolled; roll its replacement or revoke it instead.")

    # A live key restricted before live keys refused sandbox-only scopes keeps only what it can use.
    scopes = [s for s in old.scopes if s in partner_level_for(old.environment.kind)]
    if old.scopes and not scopes:
        raise ApiKeyNotRollable("This key holds no scope its environment can use; create a new key instead.")
    # A roll replaces a key (the old one stops working after its grace), so the cap on active keys does not apply.
    issued = _issue(
        environment=old.environment, name=old.name, scopes=sorted(scopes), expires_at=expires_at, created_by=created_by
    )
    if grace == timedelta(0):
        old.revoked_at = now
    else:
        old.expires_at = min(old.expires_at, now + grace) if old.expires_at else now + grace
    old.rolled_to = issued.api_key
    old.save(update_fields=["revoked_at", "expires_at", "rolled_to", "updated_at"])
    transaction.on_commit(lambda: cache.delete(api_key_cache_key(old.digest)))
    api_key.revoked_at, api_key.expires_at, api_key.rolled_to = old.revoked_at, old.expires_at, old.rolled_to
    return issued


def api_key_touch(*, api_key_id: int, when: datetime) -> None:
    """Record use of a key, at most once a minute per key so busy keys do not write on every request."""
    ApiKey.objects.filter(pk=api_key_id).exclude(last_used_at__gt=when - _TOUCH_INTERVAL).update(last_used_at=when)


# The key behind the portal's API explorer: a short-lived sandbox key minted for one portal session, so "Try it
# out" works at once without a member pasting (or a page ever holding) one of the team's own keys.
#
# The key is an ordinary ``ApiKey`` of the partner's sandbox, whatever environment the portal is showing, so it can
# never act on live: live objects are 404 to it like to any sandbox key. Only its digest is stored; its secret is
# handed once to the page that asked for it. It expires after ``PORTAL_EXPLORER_KEY_MINUTES`` on the sandbox's clock
# (as every key's expiry is judged), the session keeps only its public id, each new explorer page revokes the
# session's previous key, and signing out revokes the current one (``apps.partners.portal.signals``).
EXPLORER_KEY_NAME = "API explorer"


@transaction.atomic
def explorer_key_issue(*, partner: Partner, user: Any, previous_key_id: str | None = None) -> IssuedKey:
    """Revoke ``previous_key_id`` (the session's last explorer key, if any) and mint a new explorer key of
    ``partner``'s sandbox with every sandbox partner-level scope, expiring after ``PORTAL_EXPLORER_KEY_MINUTES``.
    Not counted against ``API_KEY_MAX_ACTIVE``: it replaces its predecessor, so a session holds at most one."""
    if previous_key_id:
        explorer_key_revoke(user=user, key_id=previous_key_id)
    sandbox = Environment.objects.get(partner=partner, kind=Environment.Kind.SANDBOX)
    expires_at = clock.now(environment=sandbox) + timedelta(minutes=settings.PORTAL_EXPLORER_KEY_MINUTES)
    return _issue(
        environment=sandbox, name=EXPLORER_KEY_NAME, scopes=[], expires_at=expires_at, created_by=user, explorer=True
    )


def explorer_key_revoke(*, user: Any, key_id: str) -> None:
    """Revoke the explorer key ``key_id`` that ``user``'s session minted (nothing for an unknown id, another
    member's key or another kind of key)."""
    key = ApiKey.objects.filter(created_by=user, public_id=key_id, explorer=True, revoked_at__isnull=True).first()
    if key is not None:
        api_key_revoke(api_key=key)
