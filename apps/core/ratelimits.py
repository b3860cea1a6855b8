"""Rate limits: fixed-window counters in Django's cache, shared by every process (Redis in production, the
database cache on the embedded default), checked before authentication.

Each request that falls in a class is counted in one bucket (docs/rate-limits.md):

- ``/v1/`` with a credential this process has already seen authenticate: per credential, by environment and
  endpoint class (``live_read``, ``live_write``, ``sandbox_read``, ``sandbox_write``);
- ``/v1/`` with no credential, or one not (yet) seen to authenticate here: per client IP (``unauthenticated``),
  so a flood of made-up keys is throttled before any of them costs a lookup;
- ``POST /o/token/``: per client IP (``oauth_token``); ``POST`` to a sign-in page: per client IP (``signin``).

One cache round trip per request (``incr_window``, apps/core/cache.py), which also reads what later layers of the
request registered with ``add_read_ahead`` (the API key's cached record: apps/partners/authentication.py), so that
they need no round trip of their own (``request.cache_read``, read with ``apps.core.cache.cached``).
Which credential a header belongs to is learnt, per process, from the responses of requests that authenticated
with it; the header is kept only as a digest, and a 401 forgets it. Every counted response carries
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``; over the limit the answer is 429
``rate_limited`` with ``Retry-After``, and the view never runs. If the cache cannot be reached the request is let
through, unlimited, and a warning is logged.
"""

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from apps.core.cache import reads_riding
from apps.core.errors import error_type
from apps.core.exceptions import application_error_response
from apps.core.principal import Principal

logger = structlog.get_logger(__name__)

RateLimited = error_type(
    "RateLimited",
    "rate_limited",
    429,
    "Too many requests",
    "Too many requests in this window: retry after `Retry-After` seconds.",
    doc="Limits are per credential and endpoint class, or per IP without a credential (docs/rate-limits.md).",
)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Credential digest -> (credential id, environment kind), learnt from authenticated responses in this process.
_known: dict[bytes, tuple[str, str]] = {}
_KNOWN_MAX = 10_000
# Functions naming a cache key a later layer will read for a request (``add_read_ahead``).
_read_ahead: list[Callable[[HttpRequest], str | None]] = []


def add_read_ahead(function: Callable[[HttpRequest], str | None]) -> None:
    """Read the cache key ``function(request)`` names (None: nothing) in the rate limiter's round trip of each
    counted request; the value is then in ``request.cache_read`` (``apps.core.cache.cached``). Registered at
    start-up by layers above core; the value is what ``cache.get`` would return a moment later."""
    if function not in _read_ahead:
        _read_ahead.append(function)


def incr_window(key: str, timeout: int) -> int:
    """Count one more request under ``key`` (kept ``timeout`` seconds) and return the count, this one included."""
    counter: Callable[[str, int], int] | None = getattr(cache, "incr_window", None)
    if counter is not None:
        return counter(key, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)


def client_ip(request: HttpRequest) -> str:
    """The caller's address: ``REMOTE_ADDR``, or behind ``RATE_LIMIT_TRUSTED_PROXIES`` proxies the address the
    outermost of them saw (counted from the right of ``X-Forwarded-For``, which a client cannot forge)."""
    proxies = settings.RATE_LIMIT_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]


def _digest(header: str) -> bytes:
    return hashlib.blake2b(header.encode("utf-8", "replace"), digest_size=16).digest()


def _credential_class(environment: str, method: str) -> str:
    return f"{environment}_{'read' if method in _SAFE_METHODS else 'write'}"


def _bucket(request: HttpRequest) -> tuple[str, str, bytes | None]:
    """``(class, subject, credential digest)`` for a counted request; class "" for one that is not counted."""
    path, method = request.path, request.method or ""
    if path.startswith("/v1/"):
        header = request.META.get("HTTP_AUTHORIZATION")
        digest = _digest(header) if header else None
        known = _known.get(digest) if digest else None
        if known is not None:
            credential, environment = known
            return _credential_class(environment, method), credential, digest
        return "unauthenticated", client_ip(request), digest
    if method == "POST":
        if path == "/o/token/":
            return "oauth_token", client_ip(request), None
        if path in settings.RATE_LIMIT_SIGNIN_PATHS:
            return "signin", client_ip(request), None
    return "", "", None


def _learn(request: HttpRequest, digest: bytes, response: HttpResponse) -> tuple[str, str] | None:
    """Remember the credential a request authenticated with; returns its ``(class, id)`` if it was not known."""
    principal = getattr(request, "auth", None)
    if isinstance(principal, Principal):
        known = (principal.credential_id, principal.environment.kind)
        if _known.get(digest) == known:
            return None
        if len(_known) >= _KNOWN_MAX:
            _known.clear()
        _known[digest] = known
        return _credential_class(known[1], request.method or ""), known[0]
    if response.status_code == 401:
        _known.pop(digest, None)
    return None


def _count(name: str, subject: str) -> tuple[int, int, int] | None:
    """``(limit, used, reset)`` after counting one request in the bucket; None if the cache cannot be reached."""
    limit: int = settings.RATE_LIMITS[name]
    window: int = settings.RATE_LIMIT_WINDOW_SECONDS
    now = time.time()
    start = int(now // window) * window
    try:
        used = incr_window(f"rl:{name}:{subject}:{start}", window + 1)
    except Exception:
        logger.warning("rate_limit_unavailable", bucket=name, exc_info=True)
        return None
    return limit, used, max(1, math.ceil(start + window - now))


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name, subject, digest = _bucket(request)
        if not name:
            return self.get_response(request)
        keys = [key for key in (function(request) for function in _read_ahead) if key]
        if keys:
            with reads_riding(keys) as read:
                counted = _count(name, subject)
            request.cache_read = read  # type: ignore[attr-defined]
        else:
            counted = _count(name, subject)
        if counted is not None and counted[1] > counted[0]:
            limit, _, reset = counted
            response: Any = application_error_response(
                request,
                RateLimited(
                    f"More than {limit} requests in {settings.RATE_LIMIT_WINDOW_SECONDS} s ({name}). "
                    f"Retry after {reset} s.",
                    headers={"Retry-After": str(reset)},
                ),
            )
        else:
            response = self.get_response(request)
            learnt = _learn(request, digest, response) if digest is not None else None
            if learnt is not None:
                # The credential's first request here was counted per IP (it was not known to be valid); count
                # it for the credential too, so its headers are the credential's from the first response on.
                counted = _count(*learnt)
        if counted is not None:
            limit, used, reset = counted
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(max(0, limit - used))
            response["RateLimit-Reset"] = str(reset)
        return response
