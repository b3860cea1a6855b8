"""The hand-written half of the Causeway Python SDK: a ready client with retries and idempotency keys,
paging, and the API version the SDK was generated for. Copied into the generated package by ``make sdk``."""

import random
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from ._version import API_VERSION, SDK_VERSION
from .client import AuthenticatedClient

RETRY_STATUSES = frozenset({409, 429, 500, 502, 503, 504})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
_TRANSIENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.RemoteProtocolError,
)


def new_idempotency_key() -> str:
    """A fresh ``Idempotency-Key``: one per logical operation, reused by every retry of it."""
    return str(uuid.uuid4())


class RetryTransport(httpx.BaseTransport):
    """Retries a request that failed on the way (connection refused, timeout) or was answered 409
    ``idempotency_key_in_use``, 429 or 5xx, with exponential backoff and jitter (``Retry-After`` when the API
    sends one). A POST without an ``Idempotency-Key`` gets one here, once: every retry sends the same key, so
    the API runs the operation at most once. Methods that are not safe are retried only with a key."""

    def __init__(
        self,
        *,
        max_retries: int = 2,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._inner = transport or httpx.HTTPTransport()
        self._sleep = sleep

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        retry_after = (
            response.headers.get("Retry-After") if response is not None else None
        )
        if retry_after is not None and retry_after.isdigit():
            return min(float(retry_after), self.max_backoff)
        return min(self.backoff * 2**attempt, self.max_backoff) * (
            0.5 + random.random() / 2
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and "Idempotency-Key" not in request.headers:
            request.headers["Idempotency-Key"] = new_idempotency_key()
        retryable = (
            request.method in _SAFE_METHODS or "Idempotency-Key" in request.headers
        )
        attempt = 0
        while True:
            try:
                response = self._inner.handle_request(request)
            except _TRANSIENT:
                if not retryable or attempt >= self.max_retries:
                    raise
                response = None
            else:
                if (
                    not retryable
                    or attempt >= self.max_retries
                    or response.status_code not in RETRY_STATUSES
                ):
                    return response
                response.read()
                response.close()
            self._sleep(self._delay(attempt, response))
            attempt += 1

    def close(self) -> None:
        self._inner.close()


def connect(
    *,
    api_key: str,
    base_url: str = "http://127.0.0.1:8000",
    max_retries: int = 2,
    timeout: float = 30.0,
    api_version: str = API_VERSION,
    transport: httpx.BaseTransport | None = None,
) -> AuthenticatedClient:
    """A client for ``base_url`` authenticated with a secret key (``cw_sk_sandbox_...``) or an OAuth access
    token, retrying as ``RetryTransport`` does and sending ``Causeway-Version: api_version`` (by default the
    version this SDK's models describe, whatever your team is pinned to)."""
    return AuthenticatedClient(
        base_url=base_url.rstrip("/"),
        token=api_key,
        headers={
            "Causeway-Version": api_version,
            "User-Agent": f"causeway-python/{SDK_VERSION}",
        },
        timeout=httpx.Timeout(timeout),
        raise_on_unexpected_status=True,
        httpx_args={
            "transport": RetryTransport(max_retries=max_retries, transport=transport)
        },
    )


def paginate(list_page: Callable[..., Any], /, **params: Any) -> Iterator[Any]:
    """Every item of a list operation, page after page: ``paginate(wallet_transaction_list.sync,
    client=client, wallet_id="wal_...", limit=100)``. Raises ``ApiError`` when a page answers a problem."""
    starting_after: Any = params.pop("starting_after", None)
    while True:
        page = list_page(
            **params, **({"starting_after": starting_after} if starting_after else {})
        )
        if not hasattr(page, "data"):
            raise ApiError(page)
        yield from page.data
        if not page.has_more or not page.next_cursor:
            return
        starting_after = page.next_cursor


class ApiError(Exception):
    """A problem (``application/problem+json``) answered where a result was expected."""

    def __init__(self, problem: Any) -> None:
        self.problem = problem
        code = getattr(problem, "code", None)
        super().__init__(
            f"{code}: {getattr(problem, 'detail', problem)}" if code else str(problem)
        )
