"""The one outbound HTTP client: every request to a URL that someone outside the platform chose goes through here.

The URL is checked before any connection is made (an SSRF guard):

- https only; plain http is allowed only to loopback, and only where ``OUTBOUND_HTTP_ALLOW_LOOPBACK`` is on
  (dev and tests). URLs carrying credentials (``user:pass@``) are refused.
- The hostname is resolved once and every address it resolves to must be public. One forbidden address refuses
  the whole URL, so a name cannot smuggle an internal address in beside a public one.
- The request then connects to a checked address, never to the name again: re-resolving would let a DNS answer
  change between the check and the connection (DNS rebinding). The original ``Host`` header is sent and the
  original hostname is used for TLS SNI and certificate verification.

Redirects are returned, never followed (a ``Location`` is just another unchecked URL), proxies from the environment
are ignored, and the response body is read as a stream and cut off at ``OUTBOUND_HTTP_MAX_RESPONSE_BYTES``.

Failures raise a subclass of :class:`OutboundError` whose ``code`` is stable and safe to store and show. Logs and
error messages name the host only: paths, query strings and headers may carry secrets.
"""

import ipaddress
import socket
import ssl
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import httpx
import structlog
from django.conf import settings

logger = structlog.get_logger(__name__)

USER_AGENT = f"Causeway/1.0 (+{settings.BASE_URL.rstrip('/')}/docs/webhooks/)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Local-use NAT64 (RFC 8215): where the IPv4 address sits depends on the operator's prefix length, so it cannot be
# judged; and it is never where a public receiver lives.
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
# IPv4-compatible addresses (::a.b.c.d) are deprecated (RFC 4291); nothing legitimate resolves to them.
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_TEREDO = ipaddress.IPv6Network("2001::/32")
_IPV6_LOOPBACK = ipaddress.IPv6Address("::1")


class OutboundError(Exception):
    """An outbound request failed or was refused. ``code`` is stable; ``host`` is the URL's host, if it had one."""

    code: str = "outbound_error"

    def __init__(self, detail: str, *, code: str | None = None, host: str = "") -> None:
        if code is not None:
            self.code = code
        self.detail = detail
        self.host = host
        super().__init__(detail)


class UnsafeUrl(OutboundError):
    """Refused before connecting. Codes: ``url_invalid``, ``url_not_https``, ``url_has_credentials``,
    ``unresolvable``, ``address_forbidden``."""

    code = "url_forbidden"


class OutboundTimeout(OutboundError):
    code = "timeout"


class OutboundConnectionError(OutboundError):
    """The connection could not be made or broke (refused, reset, TLS failure, malformed response)."""

    code = "connection_failed"


@dataclass(frozen=True)
class OutboundResponse:
    """What came back. ``headers`` has lower-cased names; ``body_excerpt`` holds at most the configured cap, and
    ``truncated`` says whether the receiver sent more."""

    status_code: int
    headers: Mapping[str, str]
    body_excerpt: bytes
    truncated: bool
    elapsed_ms: int


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    host: str
    host_header: str
    addresses: tuple[IPAddress, ...]


class Session:
    """Connection reuse for a process that sends many requests to the same few hosts (a webhook worker).

    One ``httpx.Client`` per (scheme, hostname, port, timeout), so each client's pool only ever holds connections
    made for one hostname: a pooled TLS connection verified for one name is never reused for another name that
    shares its address. Every request is still checked and resolved first, and goes to an address checked for
    that request; a pooled connection is reused only when that address is the one it was opened to. At most
    ``max_hosts`` clients are kept (least recently used closed first). Not for sharing between threads.
    """

    def __init__(self, *, max_hosts: int = 64) -> None:
        self.max_hosts = max_hosts
        self._clients: OrderedDict[tuple[str, str, int, float], httpx.Client] = OrderedDict()

    def client_for(self, target: "_Target", timeout: float) -> httpx.Client:
        key = (target.url.scheme, target.host, target.url.port or 0, timeout)
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = _new_client(timeout)
            while len(self._clients) > self.max_hosts:
                _, oldest = self._clients.popitem(last=False)
                oldest.close()
        else:
            self._clients.move_to_end(key)
        return client

    def close(self) -> None:
        while self._clients:
            _, client = self._clients.popitem()
            client.close()


def request(
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    session: Session | None = None,
) -> OutboundResponse:
    """Send one request to ``url`` after checking it, and return the response as received (3xx included).

    A ``User-Agent`` is added unless ``headers`` has one; a ``Host`` in ``headers`` is replaced by the URL's.
    With a ``session`` the connection may be reused (see :class:`Session`). Raises ``UnsafeUrl`` (nothing was
    sent), ``OutboundTimeout`` or ``OutboundConnectionError``.
    """
    try:
        target = _guard(url)
    except UnsafeUrl as exc:
        logger.warning("outbound_http_refused", host=exc.host, code=exc.code)
        raise

    outgoing = httpx.Headers({"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    outgoing.update(headers or {})
    outgoing["Host"] = target.host_header

    timeout = settings.OUTBOUND_HTTP_TIMEOUT_SECONDS
    started = time.monotonic()
    try:
        with _client(timeout, target, session) as client:
            response = _send(client, method, target, content, outgoing)
            try:
                body, truncated = _read_capped(
                    response,
                    cap=settings.OUTBOUND_HTTP_MAX_RESPONSE_BYTES,
                    deadline=started + timeout,
                    host=target.host,
                )
            finally:
                # Closing before the end of the body drops the connection instead of draining the rest.
                response.close()
    except httpx.TimeoutException as exc:
        error: OutboundError = OutboundTimeout(f"{target.host} did not answer within {timeout} s.", host=target.host)
        _log_failure(error, started)
        raise error from exc
    except httpx.TransportError as exc:
        error = OutboundConnectionError(f"Could not talk to {target.host} ({type(exc).__name__}).", host=target.host)
        _log_failure(error, started)
        raise error from exc
    except OutboundTimeout as exc:
        _log_failure(exc, started)
        raise

    elapsed_ms = _elapsed_ms(started)
    logger.info("outbound_http_response", host=target.host, status=response.status_code, elapsed_ms=elapsed_ms)
    return OutboundResponse(
        status_code=response.status_code,
        headers=dict(response.headers.items()),
        body_excerpt=body,
        truncated=truncated,
        elapsed_ms=elapsed_ms,
    )


def post_json(
    url: str, *, body: bytes, headers: Mapping[str, str] | None = None, session: Session | None = None
) -> OutboundResponse:
    """POST ``body`` as ``application/json``. The body is bytes, not an object: a signature covers exactly these
    bytes. Same checks and exceptions as :func:`request`."""
    outgoing = httpx.Headers({"Content-Type": "application/json"})
    outgoing.update(headers or {})
    return request("POST", url, content=body, headers=outgoing, session=session)


def check_url(url: str) -> tuple[str, ...]:
    """Raise ``UnsafeUrl`` unless ``url`` may be requested now; return the addresses a request would connect to.

    An answer is only good for this moment (DNS changes): :func:`request` checks again every time.
    """
    return tuple(str(address) for address in _guard(url).addresses)


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to: the one DNS lookup a request makes."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _guard(raw_url: str) -> _Target:
    try:
        url = httpx.URL(raw_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UnsafeUrl("The URL is not valid.", code="url_invalid") from exc
    host = url.raw_host.decode("ascii")
    if url.scheme not in ("https", "http"):
        raise UnsafeUrl("Only https URLs are allowed.", code="url_not_https", host=host)
    if url.userinfo:
        raise UnsafeUrl("The URL may not carry credentials (user:password@).", code="url_has_credentials", host=host)
    port = url.port or (443 if url.scheme == "https" else 80)
    if not host or not 0 < port < 65536:
        raise UnsafeUrl("The URL is not valid.", code="url_invalid", host=host)
    allow_loopback = settings.OUTBOUND_HTTP_ALLOW_LOOPBACK
    if url.scheme == "http" and not allow_loopback:
        raise UnsafeUrl("Only https URLs are allowed.", code="url_not_https", host=host)

    # Whatever spelling the host had (a name, 2130706433, 0x7f.1, [::ffff:7f00:1]), the resolver's answer is what
    # a connection would reach, so that answer is what gets judged.
    try:
        addresses = [ipaddress.ip_address(text) for text in _resolve(host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeUrl(f"{host} could not be resolved.", code="unresolvable", host=host) from exc
    if not addresses:
        raise UnsafeUrl(f"{host} could not be resolved.", code="unresolvable", host=host)
    for address in addresses:
        if not (_is_public(address) or (allow_loopback and _is_loopback(address))):
            # The address itself stays out of the message: it would map internal names for whoever reads it.
            raise UnsafeUrl(
                f"{host} resolves to an address that may not be reached.", code="address_forbidden", host=host
            )
    if url.scheme == "http" and not all(_is_loopback(address) for address in addresses):
        raise UnsafeUrl("Only https URLs are allowed.", code="url_not_https", host=host)

    return _Target(
        url=url, host=host, host_header=url.netloc.decode("ascii"), addresses=tuple(dict.fromkeys(addresses))
    )


def _is_loopback(address: IPAddress) -> bool:
    return (address.version == 4 and address.is_loopback) or address == _IPV6_LOOPBACK


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # These forms deliver to the IPv4 address they carry, so that address is the one to judge.
        if address.ipv4_mapped is not None:
            return _is_public(address.ipv4_mapped)
        if address in _NAT64:
            return _is_public(ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF))
        if address.sixtofour is not None and not _is_public(address.sixtofour):
            return False
        if address in _NAT64_LOCAL or address in _IPV4_COMPATIBLE or address in _TEREDO or address.is_site_local:
            return False
    # is_global alone lets multicast through (224.0.0.0/4 and ff0e::/16 count as global), hence the explicit list.
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


@cache
def _ssl_context() -> ssl.SSLContext:
    # Building a context loads the CA bundle; one shared context saves that on every request.
    return httpx.create_ssl_context(trust_env=False)


def _new_client(timeout: float) -> httpx.Client:
    return httpx.Client(trust_env=False, follow_redirects=False, timeout=httpx.Timeout(timeout), verify=_ssl_context())


@contextmanager
def _client(timeout: float, target: _Target, session: Session | None) -> Iterator[httpx.Client]:
    # Without a session, a client (and so a connection pool) per request: pooled connections are keyed by address,
    # so a shared pool could carry a request for one hostname over a TLS connection verified for another that
    # shares the address. A Session keeps one pool per hostname instead.
    if session is not None:
        yield session.client_for(target, timeout)
        return
    with _new_client(timeout) as client:
        yield client


def _send(
    client: httpx.Client, method: str, target: _Target, content: bytes | None, headers: httpx.Headers
) -> httpx.Response:
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}

    def build(address: IPAddress) -> httpx.Request:
        url = target.url.copy_with(host=str(address))
        return client.build_request(method, url, content=content, headers=headers, extensions=extensions)

    *others, last = target.addresses
    for address in others:
        try:
            return client.send(build(address), stream=True)
        except httpx.ConnectError:
            # Nothing was sent over a connection that never opened, so trying the next checked address is safe
            # (a name with an IPv6 address on a host without IPv6 routing lands here).
            continue
    return client.send(build(last), stream=True)


def _read_capped(response: httpx.Response, *, cap: int, deadline: float, host: str) -> tuple[bytes, bool]:
    # Raw bytes with Accept-Encoding: identity asked for: decoding could turn a capped read into a large one.
    # The timeout bounds each wait; the deadline stops a receiver that trickles bytes just fast enough to beat it.
    received = bytearray()
    for chunk in response.iter_raw():
        received += chunk
        if len(received) > cap:
            return bytes(received[:cap]), True
        if time.monotonic() > deadline:
            raise OutboundTimeout(f"{host} did not finish answering in time.", host=host)
    return bytes(received), False


def _log_failure(error: OutboundError, started: float) -> None:
    logger.warning("outbound_http_failed", host=error.host, code=error.code, elapsed_ms=_elapsed_ms(started))


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
