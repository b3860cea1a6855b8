"""One bad request can never cost another request's log entry: text the database refuses (NUL, which
PostgreSQL will not store in text, and lone surrogates) is made storable, and a row that still fails is written
alone so the rest of its batch is kept."""

import json

import pytest
from django.utils import timezone

from apps.core.background import PerProcess
from apps.partners import request_logs
from apps.partners.models import RequestLog
from apps.partners.services import api_key_create
from tests.helpers import TRANSFERS_URL
from tests.partners.factories import PartnerFactory


def _entry(**fields):
    return {
        "created_at": timezone.now(),
        "partner": "pt_test",
        "environment": "sandbox",
        "credential": "key_test",
        "method": "POST",
        "path": TRANSFERS_URL,
        "query": "",
        "status": 400,
        "latency_ms": 2,
        "request_id": "req_good",
        "idempotency_key": "",
        "request_body": b"{}",
        "request_size": 2,
        "response_body": b"",
        "response_size": 0,
        "ip": "127.0.0.1",
    } | fields


@pytest.mark.django_db
class TestStorableRows:
    def test_nul_and_lone_surrogates_become_storable_text(self):
        bad = _entry(
            request_id="req_bad",
            path="/v1/transfers/a\x00b",
            request_body=json.dumps({"meta\u0000data": "\ud800"}).encode(),
        )
        bad["request_size"] = len(bad["request_body"])

        row = request_logs.build_row(bad)

        assert "\x00" not in row.path + row.request_body
        row.request_body.encode("utf-8")  # raises on a lone surrogate
        assert "meta\\u0000data" in row.request_body

    def test_a_row_the_database_refuses_costs_only_itself(self, monkeypatch):
        def build(entry):
            row = real_build(entry)
            if entry["request_id"] == "req_refused":
                row.status = None  # NOT NULL: the database refuses this row whatever it is
            return row

        real_build = request_logs.build_row
        monkeypatch.setattr(request_logs, "build_row", build)
        entries = [_entry(request_id="req_one"), _entry(request_id="req_refused"), _entry(request_id="req_two")]

        assert request_logs.write_entries(entries) == 2

        assert sorted(RequestLog.objects.values_list("request_id", flat=True)) == ["req_one", "req_two"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestThreadedWriterOnPostgres:
    def test_a_nul_bearing_request_and_a_normal_one_are_both_logged(self, settings, client_for, monkeypatch):
        settings.REQUEST_LOG_WRITER = "thread"
        # A writer that waits for the flush, so all three entries are one batch.
        writer = request_logs.RequestLogWriter(queue_size=100, batch_size=100, flush_seconds=30)
        monkeypatch.setattr(request_logs, "_writer", PerProcess(lambda: writer))
        client = client_for(api_key_create(environment=PartnerFactory().environments.get(kind="sandbox")).secret)

        utf16 = client.generic(
            "POST", TRANSFERS_URL, json.dumps({"type": "p2p"}).encode("utf-16"), content_type="application/json"
        )
        nul = client.generic("POST", TRANSFERS_URL, '{"metadata": {"a\\u0000": "b"}}', content_type="application/json")
        normal = client.get(TRANSFERS_URL)

        assert (utf16.status_code, nul.status_code, normal.status_code) == (400, 400, 200)
        assert writer.flush(timeout=10)
        logged = set(RequestLog.objects.values_list("request_id", flat=True))
        assert {utf16["Request-Id"], nul["Request-Id"], normal["Request-Id"]} <= logged
