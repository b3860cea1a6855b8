"""Request logs: every ``/v1/`` request made with a partner credential, as the portal's request log shows it.

The request path pays only for a small dict: ``RequestLogMiddleware`` times the request, keeps the first bytes
of both bodies and hands the dict on. Redaction, truncation and the insert happen in ``write_entries``, which
``settings.REQUEST_LOG_WRITER`` (read on every request) runs:

- ``"thread"``: in a daemon thread per process that bulk-inserts batches (every ``REQUEST_LOG_FLUSH_SECONDS``
  or ``REQUEST_LOG_BATCH_SIZE`` rows) on its own database connection. Its queue is bounded: when it is full an
  entry is dropped and counted, so a slow log database never makes API requests wait.
- ``"sync"``: in the request itself, after the response is built (tests, debugging).
- ``"off"``: nothing is recorded.

Nothing secret is stored (``apps.partners.redaction``): secret keys keep their prefix and last four (as the
portal shows keys), client and webhook secrets, bearer/basic credentials and JWTs are masked, values of fields
named like passwords, secrets, tokens, authorization or API keys are masked, card numbers (13-19 digits passing
Luhn) and IBANs keep their last four, account numbers and sort codes are masked. JSON bodies are redacted field
by field; anything else by pattern. Rows are built by ``store.new`` (no ``Model.__init__``): one per request.
"""

import ipaddress
import json
import time
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from typing import Any

import structlog
from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException

from apps.core import clock, store
from apps.core.background import BatchWriter, PerProcess
from apps.core.faults import INJECTED_HEADER
from apps.core.principal import Principal
from apps.partners.models import RequestLog
from apps.partners.redaction import redact_body, redact_query, redact_text

logger = structlog.get_logger(__name__)

# The raw bytes kept per body on the request path: enough to parse and redact a body whole before it is cut
# to REQUEST_LOG_BODY_BYTES, small enough that a full queue stays a few tens of MB.
CAPTURE_BYTES = 16 * 1024
# A capped capture may end in the middle of a secret that no pattern recognises any more: drop its tail.
_CAPTURE_EDGE = 64
# Rows per INSERT: 17 columns each stays far under SQLite's 32,766 parameters.
_ROWS_PER_INSERT = 500


# --- Rows -------------------------------------------------------------------------------------------------------
def storable(text: str) -> str:
    """``text`` as every database stores it: PostgreSQL refuses NUL in text (shown as ``\\u0000`` instead) and
    a lone surrogate cannot be encoded (replaced by ``?``)."""
    if text.isascii():
        return text.replace("\x00", "\\u0000") if "\x00" in text else text
    return text.replace("\x00", "\\u0000").encode("utf-8", "replace").decode("utf-8")


def _fit(text: str, *, size: int, cut: bool) -> str:
    """``text`` cut to REQUEST_LOG_BODY_BYTES (UTF-8), marked when anything of the original is missing."""
    limit = settings.REQUEST_LOG_BODY_BYTES
    encoded = text.encode()
    if len(encoded) <= limit and not cut:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore") + f"\n… [truncated: {size} bytes in all]"


def _stored_body(raw: bytes, size: int) -> str:
    cut = size > len(raw)
    if cut:
        raw = raw[:-_CAPTURE_EDGE]
    return _fit(storable(redact_body(raw)), size=size, cut=cut) if raw or cut else ""


def _error_code(status: int, raw: bytes) -> str:
    if status < 400 or not raw:
        return ""
    try:
        body = json.loads(raw)
    except ValueError:
        return ""
    code = body.get("code") if isinstance(body, dict) else None
    return code[:64] if isinstance(code, str) else ""


def _ip_address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def build_row(entry: dict[str, Any]) -> RequestLog:
    """The row for one entry made by the middleware: redacted, truncated, fitted to the columns, storable."""
    return store.new(
        RequestLog,
        created_at=entry["created_at"],
        partner_id_public=storable(entry["partner"])[:40],
        environment=storable(entry["environment"])[:10],
        credential_id=storable(entry["credential"])[:64],
        method=storable(entry["method"])[:10],
        path=storable(redact_text(entry["path"]))[:512],
        query=storable(redact_query(entry["query"]))[:1024],
        status=entry["status"],
        latency_ms=max(0, entry["latency_ms"]),
        request_id=storable(redact_text(entry["request_id"]))[:128],
        idempotency_key=storable(redact_text(entry["idempotency_key"]))[:255],
        error_code=storable(_error_code(entry["status"], entry["response_body"])),
        request_body=_stored_body(entry["request_body"], entry["request_size"]),
        response_body=_stored_body(entry["response_body"], entry["response_size"]),
        ip_address=_ip_address(entry["ip"]),
        sandbox_fault=storable(entry.get("sandbox_fault", ""))[:100],
    )


def _database() -> str:
    return router.db_for_write(RequestLog) or "default"


def write_entries(entries: list[dict[str, Any]]) -> int:
    """Insert the rows for ``entries``, up to _ROWS_PER_INSERT per statement; returns how many were written. When
    an insert fails its rows are tried one by one, so only a row the database refuses is lost (logged, and a
    request log is not worth retrying for further); nothing reaches the caller."""
    rows = []
    for entry in entries:
        try:
            rows.append(build_row(entry))
        except Exception:
            logger.exception("request_log_entry_invalid", request_id=entry.get("request_id"))
    if not rows:
        return 0
    written = 0
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        if _insert(chunk):
            written += len(chunk)
        elif len(chunk) > 1:
            # One row the database refuses must not cost the others: write them one by one.
            written += sum(_insert([row]) for row in chunk)
    return written


def _insert(rows: list[RequestLog]) -> bool:
    """One insert, committed on its own; a savepoint where the caller is already in a transaction, so a failed
    insert does not spoil it. A failure is logged and reported as False."""
    database = _database()
    try:
        with transaction.atomic(using=database) if connections[database].in_atomic_block else nullcontext():
            store.write(store.Insert(rows), using=database)
    except Exception:
        logger.exception("request_logs_write_failed", count=len(rows))
        return False
    return True


# --- The background writer ------------------------------------------------------------------------------------
class RequestLogWriter(BatchWriter):
    """The request log's background writer (``apps.core.background.BatchWriter``) writing with ``write_entries``."""

    def __init__(
        self,
        *,
        queue_size: int,
        batch_size: int,
        flush_seconds: float,
        write: Callable[[list[dict[str, Any]]], Any] = write_entries,
    ) -> None:
        super().__init__(
            name="request-log-writer",
            log_prefix="request_logs",
            queue_size=queue_size,
            batch_size=batch_size,
            flush_seconds=flush_seconds,
            write=write,
        )


# This process's writer, made on first use from the REQUEST_LOG_* settings (a forked child starts afresh).
_writer = PerProcess(
    lambda: RequestLogWriter(
        queue_size=settings.REQUEST_LOG_QUEUE_SIZE,
        batch_size=settings.REQUEST_LOG_BATCH_SIZE,
        flush_seconds=settings.REQUEST_LOG_FLUSH_SECONDS,
    )
)


def get_writer() -> BatchWriter:
    """This process's writer."""
    return _writer.get()


def flush(timeout: float = 5.0) -> bool:
    """Write everything this process has queued so far (tests call this before looking for rows)."""
    return _writer.flush(timeout)


def record(entry: dict[str, Any]) -> None:
    mode = settings.REQUEST_LOG_WRITER
    if mode == "sync":
        write_entries([entry])
    elif mode == "thread":
        if connections[_database()].in_atomic_block:
            # The request runs inside an open transaction (a test case wraps each test in one): another
            # connection could neither see that transaction's data nor be rolled back with it, and on SQLite
            # it would wait for the same write lock. Write in the transaction instead.
            write_entries([entry])
        else:
            get_writer().submit(entry)


# --- The middleware ---------------------------------------------------------------------------------------------
def _read_body(request: HttpRequest) -> bytes:
    """The request body, read now so it is still readable after the view has consumed the stream."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # An over-size body is left for the view to refuse as it would without this middleware.
    if length <= 0 or (limit is not None and length > limit):
        return b""
    try:
        return request.body
    except RawPostDataException:
        return b""


def _is_listen_poll(request: HttpRequest, response: HttpResponse) -> bool:
    """`causeway listen` polls the feed every second: its answered polls are not logged (docs/webhooks.md)."""
    agent, ok = request.headers.get("User-Agent", ""), response.status_code == 200
    return ok and request.method == "GET" and request.path == "/v1/events" and agent.startswith("causeway-cli/")


class RequestLogMiddleware:
    """Hands every ``/v1/`` request made with a partner credential to ``record``. Place it right after
    RequestIdMiddleware so the latency covers the rest of the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/v1/") or settings.REQUEST_LOG_WRITER == "off":
            return self.get_response(request)
        started = time.perf_counter()
        created_at = clock.now()
        body = _read_body(request)
        response = self.get_response(request)
        fault = getattr(request, "sandbox_fault", "")
        if fault:
            response[INJECTED_HEADER] = fault
        # DRF sets the authenticated principal on the Django request too (Request.auth's setter).
        principal = getattr(request, "auth", None)
        if isinstance(principal, Principal) and not _is_listen_poll(request, response):
            try:
                record(self._entry(request, response, principal, body, created_at, started))
            except Exception:
                logger.exception("request_log_failed")
        return response

    @staticmethod
    def _entry(
        request: HttpRequest,
        response: HttpResponse,
        principal: Principal,
        body: bytes,
        created_at: datetime,
        started: float,
    ) -> dict[str, Any]:
        content = b"" if response.streaming else response.content
        size = int(request.META.get("CONTENT_LENGTH") or 0) if not body else len(body)
        return {
            "created_at": created_at,
            "partner": principal.partner.public_id,
            "environment": principal.environment.kind,
            "credential": principal.credential_id,
            "method": request.method or "",
            "path": request.path,
            "query": request.META.get("QUERY_STRING", ""),
            "status": response.status_code,
            "latency_ms": round((time.perf_counter() - started) * 1000),
            "request_id": getattr(request, "request_id", ""),
            "idempotency_key": request.META.get("HTTP_IDEMPOTENCY_KEY", ""),
            "request_body": body[:CAPTURE_BYTES],
            "request_size": size,
            "response_body": content[:CAPTURE_BYTES],
            "response_size": len(content),
            "ip": request.META.get("REMOTE_ADDR"),
            "sandbox_fault": getattr(request, "sandbox_fault", ""),
        }
