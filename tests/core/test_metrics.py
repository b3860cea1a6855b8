"""``GET /metrics``: who may read it, and the request counters and latencies it serves, labelled by route template."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from tests.helpers import METRICS_TEST_TOKEN, metric, scrape_metrics

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REQUESTS = "causeway_http_requests_total"
LATENCY_COUNT = "causeway_http_request_duration_seconds_count"


def get_metrics(*, remote_addr: str = "127.0.0.1", **headers: str):
    return Client(REMOTE_ADDR=remote_addr).get("/metrics", **headers)


class TestMetricsAccess:
    @override_settings(METRICS_TOKEN=METRICS_TEST_TOKEN)
    @pytest.mark.parametrize(
        "authorization",
        [None, "Bearer wrong-token", f"Basic {METRICS_TEST_TOKEN}", f"Bearer {METRICS_TEST_TOKEN}x", "Bearer "],
    )
    def test_without_the_token_it_is_401(self, authorization):
        headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}

        response = get_metrics(**headers)

        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert b"causeway_" not in response.content

    @override_settings(METRICS_TOKEN=METRICS_TEST_TOKEN)
    def test_a_partner_secret_key_is_not_the_token(self, sandbox_key):
        response = get_metrics(HTTP_AUTHORIZATION=f"Bearer {sandbox_key.secret}")

        assert response.status_code == 401

    @override_settings(METRICS_TOKEN=METRICS_TEST_TOKEN)
    def test_with_the_token_it_serves_the_exposition_format(self):
        response = get_metrics(remote_addr="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {METRICS_TEST_TOKEN}")

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")
        assert b"# TYPE causeway_http_requests_total counter" in response.content
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    @override_settings(METRICS_TOKEN="")
    def test_without_a_configured_token_it_does_not_exist(self):
        assert get_metrics().status_code == 404
        assert get_metrics(HTTP_AUTHORIZATION="Bearer anything").status_code == 404

    @override_settings(METRICS_TOKEN="", DEBUG=True)
    def test_in_development_a_loopback_client_without_credentials_may_read_it(self, sandbox_key):
        assert get_metrics().status_code == 200
        assert get_metrics(remote_addr="::1").status_code == 200
        assert get_metrics(remote_addr="192.0.2.10").status_code == 404
        assert get_metrics(HTTP_AUTHORIZATION=f"Bearer {sandbox_key.secret}").status_code == 404

    @override_settings(METRICS_TOKEN=METRICS_TEST_TOKEN)
    def test_only_get_is_allowed(self):
        response = Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TEST_TOKEN}")

        assert response.status_code == 405


class TestRequestMetrics:
    def test_a_request_moves_its_routes_counter_and_latency(self, sandbox_client):
        before = scrape_metrics()

        assert sandbox_client.get("/v1/partner").status_code == 200
        assert sandbox_client.get("/v1/partner").status_code == 200
        after = scrape_metrics()

        labels = {"method": "GET", "route": "v1/partner"}
        assert metric(after, REQUESTS, **labels, status="200") - metric(before, REQUESTS, **labels, status="200") == 2
        assert metric(after, LATENCY_COUNT, **labels) - metric(before, LATENCY_COUNT, **labels) == 2
        assert metric(after, "causeway_http_request_duration_seconds_sum", **labels) > metric(
            before, "causeway_http_request_duration_seconds_sum", **labels
        )

    def test_the_route_label_is_the_template_never_the_raw_path(self, sandbox_client):
        before = scrape_metrics()

        for wallet_id in ("wal_doesnotexist000000000001", "wal_doesnotexist000000000002"):
            assert sandbox_client.get(f"/v1/wallets/{wallet_id}").status_code == 404
        after = scrape_metrics()

        labels = {"method": "GET", "route": "v1/wallets/<str:wallet_id>", "status": "404"}
        assert metric(after, REQUESTS, **labels) - metric(before, REQUESTS, **labels) == 2
        assert not [key for key in after if "wal_doesnotexist" in str(key)]

    def test_unknown_paths_share_one_label(self, api_client):
        before = scrape_metrics()

        api_client.get("/v1/nothing-here-1")
        api_client.get("/no/such/page/2")
        after = scrape_metrics()

        labels = {"method": "GET", "route": "[unmatched]", "status": "404"}
        assert metric(after, REQUESTS, **labels) - metric(before, REQUESTS, **labels) == 2
        assert not [key for key in after if "nothing-here" in str(key) or "such/page" in str(key)]

    def test_requests_refused_before_routing_keep_their_route(self, sandbox_client):
        before = scrape_metrics()

        response = sandbox_client.generic("TRACE", "/v1/partner")
        after = scrape_metrics()

        assert response.status_code == 405
        labels = {"method": "other", "route": "v1/partner", "status": "405"}
        assert metric(after, REQUESTS, **labels) - metric(before, REQUESTS, **labels) == 1


class TestGunicornHooks:
    def test_workers_forked_after_a_worker_died_still_count_in_the_shared_files(self, tmp_path):
        """The arbiter runs ``on_starting`` then, when a worker dies, ``child_exit``; a worker it forks after that
        inherits the arbiter's prometheus_client, which must be in multiprocess mode."""
        script = (
            "import runpy, types\n"
            "hooks = runpy.run_path('gunicorn.conf.py')\n"
            "hooks['on_starting'](None)\n"
            "hooks['child_exit'](None, types.SimpleNamespace(pid=999999))\n"
            "from prometheus_client import values\n"
            "print(values.ValueClass.__name__)\n"
        )
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"PROMETHEUS_MULTIPROC_DIR", "CAUSEWAY_VAR_DIR"}
        }
        env["CAUSEWAY_VAR_DIR"] = str(tmp_path)
        (tmp_path / "metrics").mkdir()
        (tmp_path / "metrics" / "counter_12345.db").write_bytes(b"stale")

        result = subprocess.run(
            [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
        )

        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() != "MutexValue"
        assert list((tmp_path / "metrics").iterdir()) == []
