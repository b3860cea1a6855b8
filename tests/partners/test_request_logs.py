"""Request logs: what the middleware records, what redaction hides, the background writer and the purge.

This module is also a test URLconf (``ECHO``): the real API plus ``POST /v1/test/echo``, which parses its JSON
body after the middleware has read it and answers with it and a few secrets of its own.
"""

import threading
import time
from datetime import timedelta

import pytest
import structlog
from django.conf import settings as django_settings
from django.db import connections, router
from django.urls import path
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import background
from apps.partners import keys, request_logs
from apps.partners.models import RequestLog
from apps.partners.redaction import MASK, luhn_valid, redact_body, redact_query, redact_text
from apps.partners.request_logs import RequestLogWriter
from apps.partners.services import api_key_create
from apps.partners.services.request_logs import request_log_purge
from apps.partners.tasks import purge_request_logs
from config.urls import handler404, handler500
from config.urls import urlpatterns as api_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

pytestmark = pytest.mark.django_db

ECHO = "/v1/test/echo"
WHO_AM_I = "/v1/partner"
SECRET_KEY = keys.generate("sandbox")
CLIENT_SECRET = "cw_cs_" + "Q" * 20 + "r7Tz" * 7
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwaF8xMjMifQ.c2lnbmF0dXJlLXZhbHVl"
CARD = "4242424242424242"
IBAN = "GB82WEST12345698765432"


class EchoApi(APIView):
    required_scopes: tuple[str, ...] = ()

    def post(self, request: Request) -> Response:
        return Response(
            {"received": request.data, "webhook_secret": WEBHOOK_SECRET, "client_secret": CLIENT_SECRET}, status=201
        )


urlpatterns = [path("v1/test/echo", EchoApi.as_view()), *api_urlpatterns]


@pytest.fixture
def sync_logs(settings):
    settings.REQUEST_LOG_WRITER = "sync"


def only_row(partner):
    rows = list(RequestLog.objects.filter(partner_id_public=partner.public_id))
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.usefixtures("sync_logs")
class TestRecording:
    def test_a_request_with_a_valid_key_writes_one_row_with_its_fields(self, sandbox_client, sandbox_key, partner):
        before = timezone.now()

        response = sandbox_client.get(f"{WHO_AM_I}?expand=none", REMOTE_ADDR="203.0.113.9")

        assert response.status_code == 200
        row = only_row(partner)
        assert row.environment == "sandbox"
        assert row.credential_id == sandbox_key.api_key.public_id
        assert (row.method, row.path, row.query) == ("GET", WHO_AM_I, "expand=none")
        assert row.status == 200
        assert row.latency_ms >= 0
        assert row.request_id == response["Request-Id"]
        assert row.idempotency_key == ""
        assert row.error_code == ""
        assert row.request_body == ""
        assert partner.public_id in row.response_body
        assert row.ip_address == "203.0.113.9"
        assert before <= row.created_at <= timezone.now()

    @pytest.mark.urls(__name__)
    def test_a_post_keeps_its_idempotency_key_and_bodies_and_the_view_still_reads_the_body(
        self, sandbox_client, partner
    ):
        response = sandbox_client.post(ECHO, {"name": "first"}, format="json", headers={"Idempotency-Key": "k-123"})

        assert response.status_code == 201
        assert response.json()["received"] == {"name": "first"}
        row = only_row(partner)
        assert (row.method, row.status, row.idempotency_key) == ("POST", 201, "k-123")
        assert row.request_body == '{"name": "first"}'
        assert '"received": {"name": "first"}' in row.response_body

    def test_a_404_problem_records_its_error_code(self, sandbox_client, partner):
        response = sandbox_client.get("/v1/events/evt_000000000000000000000000")

        assert response.status_code == 404
        row = only_row(partner)
        assert row.status == 404
        assert row.error_code == response.json()["code"] == "resource_missing"
        assert row.request_id == response["Request-Id"]

    def test_a_403_problem_records_its_error_code(self, sandbox, client_for, partner):
        restricted = api_key_create(environment=sandbox, scopes=["webhooks:write"])

        response = client_for(restricted.secret).get("/v1/events")

        assert response.status_code == 403
        row = only_row(partner)
        assert row.credential_id == restricted.api_key.public_id
        assert row.error_code == response.json()["code"] == "insufficient_scope"

    def test_a_supplied_request_id_is_the_one_recorded(self, sandbox_client, partner):
        response = sandbox_client.get(WHO_AM_I, HTTP_X_REQUEST_ID="lb-request-0001")

        assert response["Request-Id"] == "lb-request-0001"
        assert only_row(partner).request_id == "lb-request-0001"

    def test_an_invalid_key_writes_nothing(self, client_for, sandbox_key):
        wrong = keys.generate("sandbox")

        response = client_for(wrong).get(WHO_AM_I)

        assert response.status_code == 401
        assert not RequestLog.objects.exists()

    def test_a_request_without_a_credential_writes_nothing(self, api_client):
        response = api_client.get(WHO_AM_I)

        assert response.status_code == 401
        assert not RequestLog.objects.exists()

    def test_requests_outside_v1_are_not_recorded(self, sandbox_key, client_for):
        response = client_for(sandbox_key.secret).get("/health/")

        assert response.status_code == 200
        assert not RequestLog.objects.exists()

    def test_nothing_is_recorded_when_logging_is_off(self, settings, sandbox_client):
        settings.REQUEST_LOG_WRITER = "off"

        assert sandbox_client.get(WHO_AM_I).status_code == 200
        assert not RequestLog.objects.exists()

    @pytest.mark.urls(__name__)
    def test_the_stored_request_never_contains_the_secrets_it_carried(self, sandbox_client, partner):
        body = {
            "password": "hunter2-hunter2",
            "nested": {"items": [{"access_token": "tok-abcdefgh", "card": "4242 4242 4242 4242"}]},
            "note": f"keys {SECRET_KEY} and {CLIENT_SECRET}, bearer Bearer {JWT}",
            "iban": "GB82 WEST 1234 5698 7654 32",
            "account_number": "31926819",
        }
        query = f"client_secret={CLIENT_SECRET}&card={CARD}&limit=5"

        response = sandbox_client.post(f"{ECHO}?{query}", body, format="json")

        assert response.status_code == 201
        row = only_row(partner)
        stored = row.request_body + row.response_body + row.query
        for secret in [
            SECRET_KEY,
            CLIENT_SECRET,
            WEBHOOK_SECRET,
            JWT,
            "hunter2",
            "tok-abcdefgh",
            "4242 4242 4242 4242",
            CARD,
            "WEST 1234",
            "31926819",
        ]:
            assert secret not in stored, secret
        assert row.query == f"client_secret={MASK}&card={MASK}4242&limit=5"
        assert f'"password": "{MASK}"' in row.request_body
        assert f"cw_sk_sandbox_{MASK}{SECRET_KEY[-4:]}" in row.request_body
        assert f'"iban": "{MASK}5432"' in row.request_body
        assert f'"webhook_secret": "{MASK}"' in row.response_body

    @pytest.mark.urls(__name__)
    def test_bodies_longer_than_the_limit_are_cut_and_marked(self, sandbox_client, partner, settings):
        settings.REQUEST_LOG_BODY_BYTES = 1024
        body = {"description": "x" * 30_000, "password": "hunter2-hunter2"}

        response = sandbox_client.post(ECHO, body, format="json")

        assert response.status_code == 201
        row = only_row(partner)
        sent = len(response.wsgi_request.body)
        head, _, marker = row.request_body.rpartition("\n")
        assert len(head.encode()) <= 1024
        assert marker == f"… [truncated: {sent} bytes in all]"
        assert row.response_body.endswith(f"… [truncated: {len(response.content)} bytes in all]")
        assert "hunter2" not in row.request_body + row.response_body

    @pytest.mark.urls(__name__)
    def test_a_secret_cut_in_half_by_the_capture_limit_leaves_no_fragment(self, sandbox_client, partner, settings):
        settings.REQUEST_LOG_BODY_BYTES = 64 * 1024
        # Not JSON, so redacted by pattern; the card straddles the capture limit and its first 12 digits are
        # captured, too few to be recognised as a card.
        body = "x" * (request_logs.CAPTURE_BYTES - 12) + CARD + " and more text" * 100

        response = sandbox_client.post(ECHO, body, content_type="text/plain")

        assert response.status_code == 415
        row = only_row(partner)
        assert row.request_body.startswith("x" * 1000)
        assert CARD[:12] not in row.request_body
        assert row.request_body.endswith(f"… [truncated: {len(body)} bytes in all]")

    def test_in_thread_mode_a_request_inside_an_open_transaction_is_written_in_it(
        self, settings, sandbox_client, partner
    ):
        # Each test here runs inside a transaction, as a request never does in production.
        settings.REQUEST_LOG_WRITER = "thread"
        assert connections[router.db_for_write(RequestLog) or "default"].in_atomic_block

        response = sandbox_client.get(WHO_AM_I)

        assert only_row(partner).request_id == response["Request-Id"]


class TestRedaction:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (f"key {SECRET_KEY}", f"key cw_sk_sandbox_{MASK}{SECRET_KEY[-4:]}"),
            ("key cw_sk_live_abc", f"key cw_sk_live_{MASK}"),
            (f"id={CLIENT_SECRET}", f"id=cw_cs_{MASK}"),
            (f"signing with {WEBHOOK_SECRET}", f"signing with whsec_{MASK}"),
            ("Authorization: Bearer abcdefgh12345678", f"Authorization: {MASK} {MASK}"),
            ("sent bearer abcdefgh12345678 here", f"sent bearer {MASK} here"),
            (f"token {JWT}", f"token {MASK}"),
            ('{"client_secret": "s3cr3t", "type": "p2p"}', f'{{"client_secret": "{MASK}", "type": "p2p"}}'),
            ("password=hunter2&user=ann", f"password={MASK}&user=ann"),
            ('{"refreshToken": "abc", "partial": "x', f'{{"refreshToken": "{MASK}", "partial": "x'),
            ('"note": "retry with api_key=abc123"', f'"note": "retry with api_key={MASK}"'),
            (f"card {CARD}.", f"card {MASK}4242."),
            ("card 4242 4242 4242 4242 ok", f"card {MASK}4242 ok"),
            ("card 5555-5555-5555-4444", f"card {MASK}4444"),
            ("amex 378282246310005", f"amex {MASK}0005"),
            ("not a card 4242424242424241", "not a card 4242424242424241"),
            ("too short 424242424242", "too short 424242424242"),
            (f"to {IBAN}", f"to {MASK}5432"),
            ("to GB82 WEST 1234 5698 7654 32.", f"to {MASK}5432."),
            ("ref wal_3fK9Tq2ZpL8mN1cR7sV4yBd0 stays", "ref wal_3fK9Tq2ZpL8mN1cR7sV4yBd0 stays"),
            (
                '"account_number": "31926819", "sort_code": "60-16-13"',
                f'"account_number": "{MASK}6819", "sort_code": "{MASK}"',
            ),
        ],
    )
    def test_text(self, text, expected):
        assert redact_text(text) == expected

    def test_json_is_redacted_field_by_field_at_any_depth(self):
        body = (
            b'{"user": {"Password": "p", "accessToken": "t", "api-key": 7, "pin": "1234"},'
            b' "accounts": [{"iban": "DE89 3704 0044 0532 0130 00", "sortCode": "601613", "routing_number": "0"}],'
            b' "card_number": 4242424242424242, "amount": 1099, "authorization": {"scheme": "x"},'
            b' "empty_secret": "", "missing_token": null, "text": "pay ' + CARD.encode() + b'"}'
        )

        assert redact_body(body) == (
            f'{{"user": {{"Password": "{MASK}", "accessToken": "{MASK}", "api-key": "{MASK}", "pin": "{MASK}"}},'
            f' "accounts": [{{"iban": "{MASK}3000", "sortCode": "{MASK}", "routing_number": "{MASK}"}}],'
            f' "card_number": "{MASK}4242", "amount": 1099, "authorization": "{MASK}",'
            f' "empty_secret": "", "missing_token": null, "text": "pay {MASK}4242"}}'
        )

    def test_a_body_that_is_not_json_is_redacted_by_pattern(self):
        assert redact_body(b"grant_type=client_credentials&client_secret=abc") == (
            f"grant_type=client_credentials&client_secret={MASK}"
        )

    def test_query_strings_mask_secret_named_parameters_and_secrets_in_any_value(self):
        query = f"access_token=abc%20def&q={SECRET_KEY}&card=4242+4242+4242+4242&expand[]=x&flag"

        assert redact_query(query) == (
            f"access_token={MASK}&q=cw_sk_sandbox_{MASK}{SECRET_KEY[-4:]}&card={MASK}4242&expand[]=x&flag"
        )

    @pytest.mark.parametrize(
        ("digits", "valid"),
        [("4242424242424242", True), ("4242424242424241", False), ("79927398713", True), ("79927398710", False)],
    )
    def test_luhn(self, digits, valid):
        assert luhn_valid(digits) is valid


class _RecordingWrite:
    """A write function for a writer under test: records batches, can be made to block or to fail once."""

    def __init__(self, *, block: bool = False, fail_first: bool = False) -> None:
        self.batches: list[list[dict]] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        if not block:
            self.release.set()
        self.fail_first = fail_first

    def __call__(self, batch: list[dict]) -> None:
        self.entered.set()
        assert self.release.wait(10)
        if self.fail_first:
            self.fail_first = False
            raise RuntimeError("the log database is down")
        self.batches.append(batch)


class TestBackgroundWriter:
    def test_flush_writes_what_was_submitted_before_it_without_waiting_for_the_interval(self):
        write = _RecordingWrite()
        writer = RequestLogWriter(queue_size=10, batch_size=100, flush_seconds=30, write=write)
        for number in range(3):
            assert writer.submit({"n": number})

        started = time.monotonic()
        assert writer.flush(timeout=5)

        assert time.monotonic() - started < 5
        assert [entry["n"] for batch in write.batches for entry in batch] == [0, 1, 2]

    def test_entries_are_written_within_the_interval_without_a_flush(self):
        write = _RecordingWrite()
        writer = RequestLogWriter(queue_size=10, batch_size=100, flush_seconds=0.05, write=write)

        writer.submit({"n": 0})

        assert write.entered.wait(5), "the thread started writing on its own"
        assert writer.flush(timeout=5)
        assert write.batches == [[{"n": 0}]]

    def test_a_batch_is_written_once_it_reaches_the_batch_size(self):
        write = _RecordingWrite()
        writer = RequestLogWriter(queue_size=10, batch_size=2, flush_seconds=30, write=write)
        for number in range(4):
            writer.submit({"n": number})

        assert writer.flush(timeout=5)

        assert [[entry["n"] for entry in batch] for batch in write.batches] == [[0, 1], [2, 3]]

    def test_a_full_queue_drops_and_counts_entries_without_blocking(self):
        write = _RecordingWrite(block=True)
        writer = RequestLogWriter(queue_size=2, batch_size=1, flush_seconds=0.01, write=write)
        writer.submit({"n": 0})
        assert write.entered.wait(5), "the writer took the first entry and is now stuck writing it"

        started = time.monotonic()
        accepted = [writer.submit({"n": number}) for number in range(1, 6)]
        elapsed = time.monotonic() - started

        assert accepted == [True, True, False, False, False]
        assert writer.dropped == 3
        assert elapsed < 0.5
        write.release.set()
        assert writer.flush(timeout=5)
        assert [entry["n"] for batch in write.batches for entry in batch] == [0, 1, 2]

    def test_a_dropped_entry_is_logged_under_the_documented_name(self, monkeypatch):
        write = _RecordingWrite(block=True)
        writer = RequestLogWriter(queue_size=1, batch_size=1, flush_seconds=0.01, write=write)
        writer.submit({"n": 0})
        assert write.entered.wait(5), "the writer took the first entry and is now stuck writing it"
        with structlog.testing.capture_logs() as logs:
            # A logger made inside capture_logs, so the module's cached one cannot bypass the capture.
            monkeypatch.setattr(background, "logger", structlog.get_logger("apps.core.background"))
            accepted = [writer.submit({"n": number}) for number in (1, 2)]
        write.release.set()
        assert writer.flush(timeout=5)

        assert accepted == [True, False]
        assert [(line["event"], line["dropped"]) for line in logs] == [("request_logs_dropped", 1)]

    def test_a_failed_batch_is_lost_but_the_writer_carries_on(self):
        write = _RecordingWrite(fail_first=True)
        writer = RequestLogWriter(queue_size=10, batch_size=1, flush_seconds=0.01, write=write)
        writer.submit({"n": 0})
        writer.submit({"n": 1})

        assert writer.flush(timeout=5)

        assert [entry["n"] for batch in write.batches for entry in batch] == [1]

    @pytest.mark.django_db(transaction=True)
    def test_the_threaded_writer_inserts_the_row_on_its_own_connection_after_flush(self, settings, client_for):
        settings.REQUEST_LOG_WRITER = "thread"
        issued = api_key_create(environment=_sandbox())

        response = client_for(issued.secret).get(WHO_AM_I)

        assert response.status_code == 200
        assert request_logs.flush(timeout=10)
        row = RequestLog.objects.get(request_id=response["Request-Id"])
        assert row.credential_id == issued.api_key.public_id
        assert row.status == 200


def _sandbox():
    from tests.partners.factories import PartnerFactory

    return PartnerFactory().environments.get(kind="sandbox")


def _log(*, age: timedelta, **fields) -> RequestLog:
    values = {
        "partner_id_public": "pt_test",
        "environment": "sandbox",
        "credential_id": "key_test",
        "method": "GET",
        "path": WHO_AM_I,
        "status": 200,
        "latency_ms": 3,
        "request_id": "req_test",
        "created_at": timezone.now() - age,
    }
    return RequestLog.objects.create(**(values | fields))


class TestPurge:
    def test_the_task_deletes_only_rows_older_than_the_retention(self, settings):
        settings.REQUEST_LOG_RETENTION_DAYS = 30
        _log(age=timedelta(days=31), request_id="old")
        _log(age=timedelta(days=30, minutes=1), request_id="just-old")
        _log(age=timedelta(days=29, hours=23), request_id="recent")
        _log(age=timedelta(0), request_id="now")

        deleted = purge_request_logs()

        assert deleted == 2
        assert sorted(RequestLog.objects.values_list("request_id", flat=True)) == ["now", "recent"]

    def test_the_purge_works_in_batches_until_nothing_old_is_left(self):
        for number in range(7):
            _log(age=timedelta(days=40), request_id=f"old-{number}")
        _log(age=timedelta(days=1), request_id="kept")

        deleted = request_log_purge(before=timezone.now() - timedelta(days=30), batch_size=3)

        assert deleted == 7
        assert list(RequestLog.objects.values_list("request_id", flat=True)) == ["kept"]

    def test_the_task_has_time_limits_and_runs_hourly_from_beat(self):
        assert purge_request_logs.soft_time_limit < purge_request_logs.time_limit
        assert "apps.partners.tasks.purge_request_logs" in {
            entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        }
