"""Portal request logs: the list (tenancy, filters, keyset pages, htmx fragment) and the detail page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.partners.models import RequestLog
from apps.partners.services import api_key_create
from tests.partners.factories import LiveEnvironmentFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LIST = "/portal/logs/"


def make_log(partner, *, environment="sandbox", created_at=None, **fields) -> RequestLog:
    values = {
        "partner_id_public": partner.public_id,
        "environment": environment,
        "credential_id": "key_0000000000000000000000aa",
        "method": "GET",
        "path": "/v1/partner",
        "status": 200,
        "latency_ms": 12,
        "request_id": "req_default",
        "created_at": created_at or timezone.now(),
        "request_body": "",
        "response_body": '{"object": "partner"}',
    }
    return RequestLog.objects.create(**(values | fields))


def listed(response) -> list[int]:
    assert response.context["page"] is not None, response.context["form"].errors
    return [log.pk for log in response.context["page"].items]


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


class TestRequestLogList:
    def test_only_the_partners_rows_in_the_current_environment_are_listed_newest_first(self, owner):
        older = make_log(owner.partner, created_at=timezone.now() - timedelta(minutes=5))
        newer = make_log(owner.partner)
        make_log(owner.partner, environment="live")
        make_log(PartnerFactory())

        response = owner.client.get(LIST)

        assert response.status_code == 200
        assert listed(response) == [newer.pk, older.pk]
        assert f'data-log-id="{newer.public_id}"' in response.content.decode()

    def test_after_switching_to_live_only_live_rows_are_listed(self, owner):
        LiveEnvironmentFactory(partner=owner.partner)
        make_log(owner.partner)
        live = make_log(owner.partner, environment="live")

        owner.client.post("/portal/switch/environment", {"environment": "live"})
        response = owner.client.get(LIST)

        assert listed(response) == [live.pk]

    def test_paths_and_queries_are_shown_decoded_and_times_never_wrap(self, owner):
        make_log(
            owner.partner,
            path="/v1/wallet_holders/ph_%C3%A9t%C3%A9/insights",
            query="from=2026-01-01T00%3A00%3A00Z&types%5B%5D=transfer.created",
            created_at=datetime(2026, 11, 3, 9, 5, 7, tzinfo=UTC),
        )

        body = owner.client.get(LIST).content.decode()

        assert "GET /v1/wallet_holders/ph_été/insights?from=2026-01-01T00:00:00Z&amp;types[]=transfer.created" in body
        instant = "2026-11-03T09:05:07+00:00"
        assert f'<time datetime="{instant}" title="{instant} UTC">2026-11-03 09:05:07</time>' in body

    def test_a_viewer_sees_the_list(self, member):
        viewer = member("viewer")
        log = make_log(viewer.partner)

        response = viewer.client.get(LIST)

        assert response.status_code == 200
        assert listed(response) == [log.pk]

    def test_an_empty_log_says_so(self, owner):
        response = owner.client.get(LIST)

        assert response.status_code == 200
        assert 'data-testid="no-logs"' in response.content.decode()

    @pytest.mark.parametrize(
        ("status", "expected"),
        [("2xx", [201, 200]), ("4xx", [422, 404]), ("5XX", [500]), ("404", [404]), ("", [500, 422, 404, 201, 200])],
    )
    def test_filtering_by_status_class_or_code(self, owner, status, expected):
        for code in (200, 201, 404, 422, 500):
            make_log(owner.partner, status=code)

        response = owner.client.get(LIST, {"status": status})

        assert [log.status for log in response.context["page"].items] == expected

    def test_filtering_by_path_keeps_paths_containing_the_text(self, owner):
        transfer = make_log(owner.partner, path="/v1/transfers/tr_123")
        transfers = make_log(owner.partner, path="/v1/transfers")
        make_log(owner.partner, path="/v1/wallets")

        response = owner.client.get(LIST, {"path": "transfers"})

        assert listed(response) == [transfers.pk, transfer.pk]

    def test_filtering_by_a_date_range_includes_both_days_whole(self, owner):
        make_log(owner.partner, created_at=at(9, 23))
        first = make_log(owner.partner, created_at=at(10, 0))
        last = make_log(owner.partner, created_at=datetime(2026, 11, 11, 23, 59, 59, tzinfo=UTC))
        make_log(owner.partner, created_at=at(12, 0))

        response = owner.client.get(LIST, {"date_from": "2026-11-10", "date_to": "2026-11-11"})

        assert listed(response) == [last.pk, first.pk]

    def test_filtering_by_request_id_is_exact(self, owner):
        wanted = make_log(owner.partner, request_id="req_wanted")
        make_log(owner.partner, request_id="req_wanted_too")

        response = owner.client.get(LIST, {"request_id": "req_wanted"})

        assert listed(response) == [wanted.pk]

    def test_a_malformed_status_re_renders_with_the_error_and_lists_nothing(self, owner):
        make_log(owner.partner)

        response = owner.client.get(LIST, {"status": "abc"})

        assert response.status_code == 400
        assert "status" in response.context["form"].errors
        assert response.context["page"] is None
        assert "Use a status class such as 2xx" in response.content.decode()

    def test_a_malformed_cursor_is_refused_with_its_error_shown(self, owner):
        response = owner.client.get(LIST, {"starting_after": "abc"})

        assert response.status_code == 400
        assert "Not a page of this list." in response.content.decode()

    def test_a_date_range_ending_before_it_starts_is_refused(self, owner):
        response = owner.client.get(LIST, {"date_from": "2026-11-12", "date_to": "2026-11-10"})

        assert response.status_code == 400
        assert response.context["form"].errors["date_to"] == ["Must be on or after the From date."]

    def test_pages_are_cut_newest_first_and_older_follows_with_the_same_filters(self, owner):
        logs = [make_log(owner.partner, status=404) for _ in range(53)]
        make_log(owner.partner, status=200)

        first = owner.client.get(LIST, {"status": "4xx"})
        older_url = first.context["older_url"]
        second = owner.client.get(older_url)

        assert listed(first) == [log.pk for log in reversed(logs)][:50]
        assert "status=4xx" in older_url
        assert listed(second) == [logs[2].pk, logs[1].pk, logs[0].pk]
        assert second.context["older_url"] == ""
        assert second.context["newest_url"] == f"{LIST}?status=4xx"

    def test_an_htmx_request_gets_only_the_results_fragment(self, owner):
        log = make_log(owner.partner, status=404)

        response = owner.client.get(LIST, {"status": "4xx"}, HTTP_HX_REQUEST="true")

        content = response.content.decode()
        assert response.status_code == 200
        assert content.lstrip().startswith('<div id="log-results"')
        assert "<html" not in content
        assert f'data-log-id="{log.public_id}"' in content
        assert "HX-Request" in response["Vary"]

    def test_an_htmx_request_with_a_bad_filter_shows_the_error_in_the_fragment(self, owner):
        response = owner.client.get(LIST, {"status": "99"}, HTTP_HX_REQUEST="true")

        content = response.content.decode()
        assert response.status_code == 200  # htmx only swaps successful responses in
        assert 'class="errorlist"' in content
        assert "Status: Use a status class" in content

    def test_the_filter_form_works_without_javascript_and_refreshes_with_htmx(self, owner):
        content = owner.client.get(LIST).content.decode()

        assert 'method="get" action="/portal/logs/"' in content
        assert 'hx-get="/portal/logs/"' in content
        assert 'hx-target="#log-results"' in content

    def test_the_list_reads_the_log_database_once_whatever_the_number_of_rows(self, owner):
        for _ in range(30):
            make_log(owner.partner)
        log_db = connections[router.db_for_read(RequestLog) or "default"]

        with CaptureQueriesContext(log_db) as queries:
            response = owner.client.get(LIST)

        assert len(listed(response)) == 30
        assert len([q for q in queries.captured_queries if "partners_requestlog" in q["sql"]]) == 1

    def test_a_logged_out_visitor_is_sent_to_log_in(self, client):
        response = client.get(LIST)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestRequestLogDetail:
    def _log(self, partner, **fields):
        return make_log(
            partner,
            method="POST",
            path="/v1/webhook_endpoints",
            query="expand=all",
            status=422,
            error_code="url_invalid",
            idempotency_key="k-42",
            request_id="req_detail",
            request_body='{"url": "http://bad"}',
            response_body='{"code": "url_invalid"}',
            ip_address="203.0.113.9",
            **fields,
        )

    def test_a_developer_sees_every_field_and_both_bodies(self, member):
        developer = member("developer")
        log = self._log(developer.partner)

        response = developer.client.get(f"{LIST}{log.public_id}/")

        content = response.content.decode()
        assert response.status_code == 200
        for text in ["POST /v1/webhook_endpoints", "expand=all", "422", "url_invalid", "k-42", "req_detail"]:
            assert text in content
        assert "203.0.113.9" in content
        assert "key_0000000000000000000000aa" in content
        assert "&quot;url&quot;: &quot;http://bad&quot;" in content  # indented for reading
        assert 'data-testid="response-body"' in content

    def test_a_viewer_sees_the_fields_but_not_the_bodies(self, member):
        viewer = member("viewer")
        log = self._log(viewer.partner)

        response = viewer.client.get(f"{LIST}{log.public_id}/")

        content = response.content.decode()
        assert response.status_code == 200
        assert "req_detail" in content
        assert "http://bad" not in content
        assert 'data-testid="request-body"' not in content
        assert 'data-testid="bodies-hidden"' in content

    def test_another_partners_log_is_not_found(self, owner):
        other = self._log(PartnerFactory())

        response = owner.client.get(f"{LIST}{other.public_id}/")

        assert response.status_code == 404

    def test_a_log_of_the_other_environment_is_not_found(self, owner):
        LiveEnvironmentFactory(partner=owner.partner)
        live = self._log(owner.partner, environment="live")

        response = owner.client.get(f"{LIST}{live.public_id}/")

        assert response.status_code == 404


class TestRequestLogEndToEnd:
    def test_a_call_with_a_key_appears_in_the_list_and_its_detail(self, owner, client_for, settings):
        settings.REQUEST_LOG_WRITER = "sync"
        issued = api_key_create(environment=owner.sandbox)

        api_response = client_for(issued.secret).get("/v1/partner")
        listing = owner.client.get(LIST, {"request_id": api_response["Request-Id"]})
        [log] = listing.context["page"].items
        detail = owner.client.get(f"{LIST}{log.public_id}/")

        assert log.credential_id == issued.api_key.public_id
        assert detail.status_code == 200
        assert issued.secret not in detail.content.decode()
        assert owner.partner.public_id in detail.content.decode()
