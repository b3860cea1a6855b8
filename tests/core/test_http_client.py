"""The outbound HTTP client and its SSRF guard.

Nothing here reaches a non-loopback address: resolution is replaced where a test names a public or private address,
requests to those are answered by respx, and real traffic goes only to a receiver the test starts on 127.0.0.1.
"""

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import respx
import structlog

from apps.core import http
from apps.core.http import OutboundConnectionError, OutboundTimeout, UnsafeUrl

PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"


@pytest.fixture
def resolve_to(monkeypatch: pytest.MonkeyPatch):
    """``resolve_to(*addresses)``: every hostname resolves to these; returns the list of lookups made."""

    def install(*addresses: str) -> list[tuple[str, int]]:
        lookups: list[tuple[str, int]] = []

        def fake(host: str, port: int) -> list[str]:
            lookups.append((host, port))
            return list(addresses)

        monkeypatch.setattr(http, "_resolve", fake)
        return lookups

    return install


@pytest.fixture
def no_loopback(settings) -> None:
    settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def pattern(size: int) -> bytes:
    return (bytes(range(251)) * (size // 251 + 1))[:size]


class _Handler(BaseHTTPRequestHandler):
    server: "_Receiver"

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append(Received(self.command, self.path, dict(self.headers.items()), body))
        if self.path == "/redirect":
            self._respond(302, b"", location=f"http://localhost:{self.server.server_port}/elsewhere")
        elif self.path.startswith("/bytes/"):
            self._respond(200, pattern(int(self.path.removeprefix("/bytes/"))))
        elif self.path == "/slow":
            self.server.released.wait(10)
            self._respond(200, b"late")
        elif self.path == "/trickle":
            self._trickle(100)
        else:
            self._respond(200, b"ok")

    def _respond(self, status: int, body: bytes, *, location: str = "") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
            self.server.writes.append("complete")
        except OSError:
            self.server.writes.append("cut off")
        finally:
            self.server.answered.set()

    def _trickle(self, size: int) -> None:
        # One byte every 0.1 s: each read is quick, the whole answer is not.
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        for _ in range(size):
            if self.server.released.wait(0.1):
                return
            self.wfile.write(b".")

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[Received] = []
        self.writes: list[str] = []
        self.answered = threading.Event()
        self.released = threading.Event()

    def url(self, path: str, *, host: str = "localhost", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.server_port}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        # The client hangs up on purpose (body cap, timeout); the broken pipe that follows is expected.
        pass


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()


REFUSED = [
    ("10.0.0.1", "private 10/8"),
    ("172.16.0.1", "private 172.16/12"),
    ("172.31.255.254", "private 172.16/12, top"),
    ("192.168.1.1", "private 192.168/16"),
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback, top of 127/8"),
    ("169.254.169.254", "cloud metadata"),
    ("169.254.1.1", "link-local"),
    ("100.64.0.1", "CGNAT"),
    ("100.127.255.254", "CGNAT, top"),
    ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast SSDP"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("192.0.0.1", "IETF protocol assignments"),
    ("192.0.2.1", "documentation TEST-NET-1"),
    ("198.51.100.1", "documentation TEST-NET-2"),
    ("203.0.113.1", "documentation TEST-NET-3"),
    ("198.18.0.1", "benchmarking"),
    ("::1", "IPv6 loopback"),
    ("::", "IPv6 unspecified"),
    ("fc00::1", "unique local"),
    ("fd12:3456::1", "unique local fd"),
    ("fe80::1", "IPv6 link-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "IPv6 multicast"),
    ("ff0e::1", "IPv6 global-scope multicast"),
    ("2001:db8::1", "IPv6 documentation"),
    ("100::1", "discard-only"),
    ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
    ("::ffff:10.0.0.1", "IPv4-mapped private"),
    ("::ffff:169.254.169.254", "IPv4-mapped metadata"),
    ("::127.0.0.1", "IPv4-compatible loopback"),
    ("::8.8.8.8", "IPv4-compatible, deprecated even when public"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of metadata"),
    ("64:ff9b::7f00:1", "NAT64 of loopback"),
    ("64:ff9b:1::5db8:d822", "local-use NAT64"),
    ("2002:7f00:1::", "6to4 of loopback"),
    ("2002:a9fe:a9fe::1", "6to4 of metadata"),
    ("2001::1", "Teredo"),
]

ALLOWED = [
    (PUBLIC_V4, "public IPv4"),
    ("8.8.8.8", "public IPv4"),
    ("100.63.255.255", "just below CGNAT"),
    ("100.128.0.1", "just above CGNAT"),
    ("172.32.0.1", "just above 172.16/12"),
    (PUBLIC_V6, "public IPv6"),
    ("2a00:1450:4001:80b::200e", "public IPv6"),
    ("::ffff:93.184.216.34", "IPv4-mapped public"),
    ("64:ff9b::5db8:d822", "NAT64 of public"),
    ("2002:5db8:d822::1", "6to4 of public"),
]


class TestUrlShape:
    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("ftp://example.com/hook", "url_not_https"),
            ("file:///etc/passwd", "url_not_https"),
            ("gopher://example.com/", "url_not_https"),
            ("example.com/hook", "url_not_https"),
            ("https://user:hunter2@example.com/hook", "url_has_credentials"),
            ("https://user@example.com/hook", "url_has_credentials"),
            ("https:///hook", "url_invalid"),
            ("https://example.com:99999/hook", "url_invalid"),
            ("https://0177.0.0.1/hook", "url_invalid"),
            ("https://[::1/hook", "url_invalid"),
        ],
    )
    def test_a_malformed_or_non_https_url_is_refused_before_any_lookup(self, url, code, resolve_to):
        lookups = resolve_to(PUBLIC_V4)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url(url)

        assert refused.value.code == code
        assert lookups == []

    def test_the_refusal_of_a_url_with_credentials_does_not_repeat_them(self, resolve_to):
        resolve_to(PUBLIC_V4)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://user:hunter2@example.com/hook")

        assert "hunter2" not in str(refused.value)

    @pytest.mark.parametrize("allow_loopback", [True, False])
    def test_plain_http_to_a_public_address_is_refused_whatever_the_loopback_setting(
        self, allow_loopback, settings, resolve_to
    ):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = allow_loopback
        resolve_to(PUBLIC_V4)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("http://example.com/hook")

        assert refused.value.code == "url_not_https"

    def test_plain_http_to_a_name_with_a_public_and_a_loopback_address_is_refused(self, resolve_to):
        resolve_to("127.0.0.1", PUBLIC_V4)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("http://example.com/hook")

        assert refused.value.code == "url_not_https"


@pytest.mark.usefixtures("no_loopback")
class TestSsrfGuard:
    @pytest.mark.parametrize(("address", "reason"), REFUSED, ids=[f"{a} {r}" for a, r in REFUSED])
    def test_a_name_resolving_to_a_forbidden_address_is_refused(self, address, reason, resolve_to):
        resolve_to(address)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://hook.example.com/events")

        assert refused.value.code == "address_forbidden"

    @pytest.mark.parametrize(("address", "reason"), ALLOWED, ids=[f"{a} {r}" for a, r in ALLOWED])
    def test_a_name_resolving_to_a_public_address_is_allowed(self, address, reason, resolve_to):
        resolve_to(address)

        assert http.check_url("https://hook.example.com/events") == (str(ipaddress.ip_address(address)),)

    @pytest.mark.parametrize(
        "addresses",
        [
            (PUBLIC_V4, "10.0.0.1"),
            ("10.0.0.1", PUBLIC_V4),
            (PUBLIC_V6, "::ffff:169.254.169.254"),
            (PUBLIC_V4, PUBLIC_V6, "fd00::1"),
        ],
    )
    def test_a_name_with_one_forbidden_address_among_public_ones_is_refused_entirely(self, addresses, resolve_to):
        resolve_to(*addresses)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://hook.example.com/events")

        assert refused.value.code == "address_forbidden"

    def test_a_refused_url_sends_nothing(self, resolve_to):
        resolve_to(PUBLIC_V4, "10.0.0.1")

        with respx.mock(assert_all_called=False) as mock:
            mock.route().respond(200)
            with pytest.raises(UnsafeUrl):
                http.post_json("https://hook.example.com/events", body=b"{}")

        assert mock.calls.call_count == 0

    def test_the_refusal_does_not_reveal_the_address(self, resolve_to):
        resolve_to("10.20.30.40")

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://internal.example.com/")

        assert "10.20.30.40" not in str(refused.value)

    @pytest.mark.parametrize(
        "url",
        [
            "https://2130706433/",
            "https://0x7f.1/",
            "https://127.1/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:7f00:1]/",
            "https://0x0a000001/",
            "https://169.254.169.254/latest/meta-data/",
            "https://[fe80::1]/",
            "https://0.0.0.0:8000/",
        ],
    )
    def test_a_literal_address_in_any_spelling_is_judged_by_what_it_resolves_to(self, url):
        # Real resolution: getaddrinfo parses numeric hosts itself and asks no DNS server.
        with pytest.raises(UnsafeUrl) as refused:
            http.check_url(url)

        assert refused.value.code == "address_forbidden"

    def test_a_name_that_does_not_resolve_is_refused(self, monkeypatch):
        def fail(host: str, port: int) -> list[str]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        monkeypatch.setattr(http, "_resolve", fail)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://nowhere.example.com/")

        assert refused.value.code == "unresolvable"

    def test_a_name_with_no_addresses_is_refused(self, resolve_to):
        resolve_to()

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://nowhere.example.com/")

        assert refused.value.code == "unresolvable"

    def test_the_lookup_uses_the_port_of_the_url(self, resolve_to):
        lookups = resolve_to(PUBLIC_V4)

        http.check_url("https://hook.example.com/")
        http.check_url("https://hook.example.com:8443/")

        assert lookups == [("hook.example.com", 443), ("hook.example.com", 8443)]


class TestLoopbackSetting:
    @pytest.mark.parametrize("address", ["127.0.0.1", "127.255.255.254", "::1"])
    def test_loopback_is_allowed_over_http_and_https_when_the_setting_is_on(self, address, settings, resolve_to):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = True
        resolve_to(address)

        assert http.check_url("http://localhost:8000/hook") == (address,)
        assert http.check_url("https://localhost:8000/hook") == (address,)

    @pytest.mark.parametrize(
        "address", ["10.0.0.1", "192.168.0.10", "169.254.169.254", "0.0.0.0", "::ffff:127.0.0.1", "fd00::1"]
    )
    def test_the_setting_opens_loopback_and_nothing_else(self, address, settings, resolve_to):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = True
        resolve_to(address)

        with pytest.raises(UnsafeUrl) as refused:
            http.check_url("https://localhost:8000/hook")

        assert refused.value.code == "address_forbidden"

    def test_loopback_over_https_is_refused_when_the_setting_is_off(self, settings, receiver):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False

        with pytest.raises(UnsafeUrl) as refused:
            http.post_json(receiver.url("/hook", scheme="https"), body=b"{}")

        assert refused.value.code == "address_forbidden"
        assert receiver.received == []

    def test_plain_http_to_loopback_is_refused_when_the_setting_is_off(self, settings, receiver):
        settings.OUTBOUND_HTTP_ALLOW_LOOPBACK = False

        with pytest.raises(UnsafeUrl) as refused:
            http.post_json(receiver.url("/hook"), body=b"{}")

        assert refused.value.code == "url_not_https"
        assert receiver.received == []


class TestOutboundRequest:
    def test_https_goes_to_the_checked_address_with_the_original_host_header_and_sni(self, resolve_to):
        lookups = resolve_to(PUBLIC_V4)

        with respx.mock as mock:
            route = mock.post(f"https://{PUBLIC_V4}/hook?attempt=1").respond(204)
            response = http.post_json(
                "https://example.com/hook?attempt=1", body=b'{"id":"evt_1"}', headers={"X-Signature": "v1=abc"}
            )

        sent = route.calls.last.request
        assert sent.url == f"https://{PUBLIC_V4}/hook?attempt=1"
        assert sent.headers.get_list("host") == ["example.com"]
        assert sent.extensions["sni_hostname"] == "example.com"
        assert sent.content == b'{"id":"evt_1"}'
        assert sent.headers["content-type"] == "application/json"
        assert sent.headers["x-signature"] == "v1=abc"
        assert sent.headers["user-agent"] == http.USER_AGENT
        assert response.status_code == 204
        assert lookups == [("example.com", 443)]

    def test_an_ipv6_address_is_bracketed_and_a_non_default_port_kept_in_the_host_header(self, resolve_to):
        resolve_to(PUBLIC_V6)

        with respx.mock as mock:
            route = mock.get(f"https://[{PUBLIC_V6}]:8443/status").respond(200, content=b"fine")
            response = http.request("GET", "https://example.com:8443/status")

        sent = route.calls.last.request
        assert sent.headers["host"] == "example.com:8443"
        assert sent.extensions["sni_hostname"] == "example.com"
        assert response.body_excerpt == b"fine"
        assert response.truncated is False

    def test_the_caller_may_set_the_user_agent_but_not_the_host(self, resolve_to):
        resolve_to(PUBLIC_V4)

        with respx.mock as mock:
            route = mock.post(f"https://{PUBLIC_V4}/hook").respond(200)
            http.post_json(
                "https://example.com/hook",
                body=b"{}",
                headers={"user-agent": "Partner/2", "Host": "metadata.internal", "content-type": "application/x"},
            )

        sent = route.calls.last.request
        assert sent.headers.get_list("user-agent") == ["Partner/2"]
        assert sent.headers.get_list("host") == ["example.com"]
        assert sent.headers.get_list("content-type") == ["application/x"]

    def test_a_second_address_is_tried_only_when_the_first_cannot_connect(self, resolve_to):
        resolve_to(PUBLIC_V6, PUBLIC_V4)

        with respx.mock as mock:
            first = mock.post(f"https://[{PUBLIC_V6}]/hook").mock(side_effect=httpx.ConnectError("unreachable"))
            second = mock.post(f"https://{PUBLIC_V4}/hook").respond(200)
            response = http.post_json("https://example.com/hook", body=b"{}")

        assert response.status_code == 200
        assert first.call_count == 1
        assert second.call_count == 1

    def test_a_failure_after_connecting_is_not_retried_on_another_address(self, resolve_to):
        resolve_to(PUBLIC_V6, PUBLIC_V4)

        with respx.mock(assert_all_called=False) as mock:
            mock.post(f"https://[{PUBLIC_V6}]/hook").mock(side_effect=httpx.ReadError("reset"))
            second = mock.post(f"https://{PUBLIC_V4}/hook").respond(200)
            with pytest.raises(OutboundConnectionError) as failed:
                http.post_json("https://example.com/hook", body=b"{}")

        assert failed.value.code == "connection_failed"
        assert second.call_count == 0

    def test_an_https_timeout_is_raised_as_outbound_timeout(self, resolve_to):
        resolve_to(PUBLIC_V4)

        with respx.mock as mock:
            mock.post(f"https://{PUBLIC_V4}/hook").mock(side_effect=httpx.ConnectTimeout("slow"))
            with pytest.raises(OutboundTimeout) as failed:
                http.post_json("https://example.com/hook", body=b"{}")

        assert failed.value.code == "timeout"
        assert failed.value.host == "example.com"

    def test_logs_name_the_host_status_and_time_but_no_path_query_or_header(self, resolve_to, monkeypatch):
        resolve_to(PUBLIC_V4)

        with structlog.testing.capture_logs() as logs, respx.mock as mock:
            # A logger made inside capture_logs, so the module's cached one cannot bypass the capture.
            monkeypatch.setattr(http, "logger", structlog.get_logger("apps.core.http"))
            mock.post(f"https://{PUBLIC_V4}/secret-path").respond(200, content=b"secret-body")
            http.post_json(
                "https://example.com/secret-path?token=secret-query",
                body=b'{"secret": "body"}',
                headers={"Authorization": "Bearer secret-header"},
            )

        assert logs == [
            {
                "event": "outbound_http_response",
                "log_level": "info",
                "host": "example.com",
                "status": 200,
                "elapsed_ms": logs[0]["elapsed_ms"],
            }
        ]
        assert isinstance(logs[0]["elapsed_ms"], int)
        assert "secret" not in repr(logs)


class TestAgainstLocalReceiver:
    def test_a_post_arrives_with_its_body_and_the_original_host_header(self, receiver):
        response = http.post_json(receiver.url("/hook"), body=b'{"id":"evt_1"}', headers={"X-Signature": "v1=abc"})

        assert response.status_code == 200
        assert response.body_excerpt == b"ok"
        assert response.truncated is False
        assert response.elapsed_ms >= 0
        [received] = receiver.received
        assert received.method == "POST"
        assert received.path == "/hook"
        assert received.body == b'{"id":"evt_1"}'
        assert received.headers["Host"] == f"localhost:{receiver.server_port}"
        assert received.headers["Content-Type"] == "application/json"
        assert received.headers["X-Signature"] == "v1=abc"
        assert received.headers["User-Agent"] == http.USER_AGENT

    def test_a_redirect_is_returned_and_not_followed(self, receiver):
        response = http.request("GET", receiver.url("/redirect"))

        assert response.status_code == 302
        assert response.headers["location"] == f"http://localhost:{receiver.server_port}/elsewhere"
        assert [received.path for received in receiver.received] == ["/redirect"]

    def test_a_body_larger_than_the_cap_is_cut_at_the_cap(self, receiver, settings):
        settings.OUTBOUND_HTTP_MAX_RESPONSE_BYTES = 1024
        sent_size = 4 * 1024 * 1024

        response = http.request("GET", receiver.url(f"/bytes/{sent_size}"))

        assert response.status_code == 200
        assert response.truncated is True
        assert response.body_excerpt == pattern(1024)
        assert response.headers["content-length"] == str(sent_size)

    def test_reading_stops_at_the_cap_instead_of_taking_the_whole_body(self, receiver, settings):
        settings.OUTBOUND_HTTP_MAX_RESPONSE_BYTES = 1024

        http.request("GET", receiver.url(f"/bytes/{64 * 1024 * 1024}"))

        # 64 MiB is far more than loopback socket buffers hold: the write completes only if the client reads it all.
        assert receiver.answered.wait(10)
        assert receiver.writes == ["cut off"]

    def test_a_body_exactly_at_the_cap_is_not_marked_truncated(self, receiver, settings):
        settings.OUTBOUND_HTTP_MAX_RESPONSE_BYTES = 1024

        response = http.request("GET", receiver.url("/bytes/1024"))

        assert len(response.body_excerpt) == 1024
        assert response.truncated is False

    def test_the_default_cap_is_64_kib(self, receiver):
        response = http.request("GET", receiver.url("/bytes/200000"))

        assert len(response.body_excerpt) == 64 * 1024
        assert response.truncated is True

    def test_a_receiver_slower_than_the_timeout_raises_outbound_timeout(self, receiver, settings):
        settings.OUTBOUND_HTTP_TIMEOUT_SECONDS = 0.5
        started = time.monotonic()

        with pytest.raises(OutboundTimeout) as failed:
            http.request("GET", receiver.url("/slow"))

        # The receiver holds the answer for 10 s; giving up long before shows the timeout did it.
        assert time.monotonic() - started < 5
        assert failed.value.code == "timeout"
        assert [received.path for received in receiver.received] == ["/slow"]

    def test_a_receiver_that_trickles_its_body_is_cut_off_at_the_timeout(self, receiver, settings):
        settings.OUTBOUND_HTTP_TIMEOUT_SECONDS = 0.5
        started = time.monotonic()

        with pytest.raises(OutboundTimeout):
            http.request("GET", receiver.url("/trickle"))

        # Every byte comes well within the timeout; the whole body would take 10 s.
        assert time.monotonic() - started < 5

    def test_a_closed_port_raises_outbound_connection_error(self, closed_port):
        with pytest.raises(OutboundConnectionError) as failed:
            http.post_json(f"http://localhost:{closed_port}/hook", body=b"{}")

        assert failed.value.code == "connection_failed"
        assert failed.value.host == "localhost"

    def test_proxy_settings_in_the_environment_are_ignored(self, receiver, closed_port, monkeypatch):
        dead_proxy = f"http://127.0.0.1:{closed_port}"
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"):
            monkeypatch.setenv(name, dead_proxy)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)

        response = http.post_json(receiver.url("/hook"), body=b"{}")

        assert response.status_code == 200
        assert len(receiver.received) == 1

    def test_an_address_that_refuses_the_connection_falls_through_to_the_next_checked_one(
        self, receiver, closed_port, monkeypatch
    ):
        # The receiver listens on 127.0.0.1 only, so ::1 (IPv6 loopback, or no IPv6 at all) cannot connect.
        monkeypatch.setattr(http, "_resolve", lambda host, port: ["::1", "127.0.0.1"])

        response = http.post_json(receiver.url("/hook"), body=b"{}")

        assert response.status_code == 200
        assert len(receiver.received) == 1
