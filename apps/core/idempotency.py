"""Idempotent POSTs (docs/conventions.md, "Idempotency").

A request with ``Idempotency-Key`` first claims a row in ``IdempotencyKey`` (an INSERT that commits on its own,
so a parallel request with the same key sees it at once). The effect then runs, and the row is completed with the
response **in the same database transaction as the effect**: either both commit or neither does, so a crash
can never leave money moved without its record, and a retry can never move it twice.

- same key, same request, completed: the stored response is replayed with ``Idempotent-Replayed: true``;
- same key, another request: 422 ``idempotency_key_reused``;
- same key while the first request still runs: 409 ``idempotency_key_in_use``;
- the first request crashed: its lease (``IDEMPOTENCY_LEASE_SECONDS``) runs out and the next retry takes over.
  Completion checks the lease token, so of two requests that both believed they held it only one commits.
- the request fails with an error (4xx or 5xx): nothing was written, the claim is released and the key can be
  used again.

Views answer through ``apps.core.idempotent_post``, which runs ``run_idempotent``. Money-moving services that open
their own ``durable`` transaction take the ``IdempotencyHandle`` and complete it inside it: ``handle.complete(result)``
as their last step, or ``handle.completion(result)`` written with their other rows (``apps.wallets.store.post``)
and then ``handle.written()``.
"""

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from rest_framework.response import Response

from apps.core import clock, store
from apps.core.errors import error_type
from apps.core.models import IdempotencyKey
from apps.core.principal import Principal

logger = structlog.get_logger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")


IdempotencyKeyRequired = error_type(
    "IdempotencyKeyRequired",
    "idempotency_key_required",
    400,
    "Idempotency-Key required",
    "This request moves money or creates something: send an Idempotency-Key header (e.g. a UUID).",
)
IdempotencyKeyInvalid = error_type(
    "IdempotencyKeyInvalid",
    "idempotency_key_invalid",
    400,
    "Invalid Idempotency-Key",
    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.",
)
IdempotencyKeyReused = error_type(
    "IdempotencyKeyReused",
    "idempotency_key_reused",
    422,
    "Idempotency-Key reused",
    "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
)
IdempotencyKeyInUse = error_type(
    "IdempotencyKeyInUse",
    "idempotency_key_in_use",
    409,
    "Idempotency-Key in use",
    "A request with this Idempotency-Key is still being processed. Retry shortly.",
    default_headers={"Retry-After": "1"},
)


def fingerprint(*, method: str, path: str, data: Any) -> str:
    try:
        body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    except TypeError:
        body = repr(data)
    # Keyed, so the stored fingerprint cannot be brute-forced back into a request body (account numbers...).
    message = f"{method}\n{path}\n{body}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class IdempotencyHandle:
    """The claim a request holds on its key. ``complete`` must run inside the effect's transaction."""

    record_id: int | None
    lease_token: str
    status: int
    render: Callable[[Any], dict[str, Any]]
    response_body: dict[str, Any] | None = field(default=None)
    completed: bool = False

    def complete(self, result: Any) -> None:
        """Complete the record with ``result``'s response, now (inside the effect's transaction)."""
        completion = self.completion(result)
        if completion is not None:
            if not connection.in_atomic_block:
                raise RuntimeError("IdempotencyHandle.complete() must run inside the effect's transaction")
            store.write(completion)
        self.completed = True

    def completion(self, result: Any) -> store.Update | None:
        """The update that completes the record with ``result``'s response, for a service that writes it with
        its other rows (``apps.wallets.store.post``) and then says so with ``written()``; the update fails with
        ``IdempotencyKeyInUse`` if the record is no longer this request's. None without a record (no
        ``Idempotency-Key``)."""
        body = self.render(result)
        self.response_body = body
        if self.record_id is None:
            return None
        record = store.new(
            IdempotencyKey,
            id=self.record_id,
            status=IdempotencyKey.Status.COMPLETED,
            response_status=self.status,
            response_body=body,
            response_content_type="application/json",
            resource_id=getattr(result, "public_id", "") or "",
            completed_at=clock.now(),
            locked_until=None,
        )
        return store.Update(
            [record],
            _COMPLETED_FIELDS,
            guard={"status": IdempotencyKey.Status.IN_PROGRESS, "lease_token": self.lease_token},
            on_miss=_not_ours,
        )

    def written(self) -> None:
        """The service wrote ``completion``'s update with its effect."""
        self.completed = True


_COMPLETED_FIELDS = (
    "status",
    "response_status",
    "response_body",
    "response_content_type",
    "resource_id",
    "completed_at",
    "locked_until",
)


def _not_ours() -> Exception:
    # Our lease ran out and another request took the key over: raising rolls our effect back.
    return IdempotencyKeyInUse("This request's claim on its Idempotency-Key expired; retry with the key.")


def _replay(record: IdempotencyKey) -> Response:
    return Response(
        record.response_body,
        status=record.response_status,
        headers={REPLAYED_HEADER: "true"},
        content_type=record.response_content_type or "application/json",
    )


def _claim(*, principal: Principal, key: str, method: str, path: str, digest: str) -> IdempotencyKey | Response:
    """Claim the key, or return the response to replay, or raise 409/422."""
    lease = timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS)
    ttl = timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    scope = principal.idempotency_scope
    for _ in range(5):
        now = clock.now()
        token = secrets.token_hex(16)
        claim = store.new(
            IdempotencyKey,
            scope=scope,
            key=key,
            fingerprint=digest,
            method=method,
            path=path[:512],
            lease_token=token,
            locked_until=now + lease,
            created_at=now,
        )
        try:
            # Outside a transaction the INSERT commits on its own (one round trip, no BEGIN/COMMIT); inside
            # one (a caller's atomic block) a savepoint keeps a duplicate key from breaking it.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                store.write(store.Insert([claim]))
            return claim
        except IntegrityError:
            pass
        record = IdempotencyKey.objects.filter(scope=scope, key=key).first()
        if record is None:
            continue  # released or purged between our insert and read: try again
        if record.created_at < now - ttl:
            IdempotencyKey.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if record.fingerprint != digest:
            raise IdempotencyKeyReused()
        if record.status == IdempotencyKey.Status.COMPLETED:
            return _replay(record)
        if record.locked_until is not None and record.locked_until > now:
            raise IdempotencyKeyInUse()
        # The request holding the key stopped without finishing (crashed or killed): take its lease over.
        taken = IdempotencyKey.objects.filter(
            pk=record.pk, status=IdempotencyKey.Status.IN_PROGRESS, lease_token=record.lease_token
        ).update(lease_token=token, locked_until=now + lease)
        if taken:
            record.lease_token, record.locked_until = token, now + lease
            logger.warning("idempotency_lease_taken_over", scope=scope, key_id=record.pk)
            return record
    raise IdempotencyKeyInUse()


def _release(handle: IdempotencyHandle) -> None:
    if handle.record_id is None:
        return
    try:
        IdempotencyKey.objects.filter(
            pk=handle.record_id, status=IdempotencyKey.Status.IN_PROGRESS, lease_token=handle.lease_token
        ).delete()
    except Exception:  # the lease expiry frees the key anyway
        logger.warning("idempotency_release_failed", key_id=handle.record_id, exc_info=True)


def run_idempotent(
    request: Any,
    *,
    principal: Principal,
    status: int,
    render: Callable[[Any], dict[str, Any]],
    action: Callable[[IdempotencyHandle], Any],
    required: bool = False,
    action_completes: bool = False,
) -> Response:
    """Run ``action`` at most once per ``Idempotency-Key`` and return its (or the replayed) response.

    ``action(handle)`` calls the service and returns the created object; ``render(obj)`` turns it into the
    response body. By default the action runs inside a transaction that also completes the record. A service
    with its own durable transaction is run with ``action_completes=True`` and must call
    ``handle.complete(obj)`` inside that transaction.
    """
    key = request.headers.get(HEADER)
    if key is None:
        if required:
            raise IdempotencyKeyRequired()
        handle = IdempotencyHandle(record_id=None, lease_token="", status=status, render=render)
    else:
        # fullmatch: with match() and ``$``, a key with a trailing newline would pass.
        if not _VALID_KEY.fullmatch(key):
            raise IdempotencyKeyInvalid()
        digest = fingerprint(method=request.method, path=request.path, data=request.data)
        claimed = _claim(principal=principal, key=key, method=request.method, path=request.path, digest=digest)
        if isinstance(claimed, Response):
            return claimed
        handle = IdempotencyHandle(record_id=claimed.pk, lease_token=claimed.lease_token, status=status, render=render)
    try:
        if action_completes:
            result = action(handle)
            if not handle.completed:
                raise RuntimeError("the service did not complete its idempotency record")
        else:
            with transaction.atomic():
                result = action(handle)
                handle.complete(result)
    except BaseException:
        _release(handle)
        raise
    return Response(handle.response_body, status=status)


def purge_expired(*, older_than: timedelta | None = None) -> int:
    """Delete records past their retention (24 h by default). Returns how many were deleted."""
    cutoff = clock.now() - (older_than or timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS))
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
