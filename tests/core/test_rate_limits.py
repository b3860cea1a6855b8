"""Rate limits: per credential and endpoint class, per IP without a credential, on the token endpoint and the
sign-in pages; shared through the cache; RateLimit-* on every counted response, 429 problem+json with
Retry-After over the limit, before any view or credential check runs."""

import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import caches

from apps.core import ratelimits
from apps.core.cache import RedisCache
from apps.partners.services import api_key_create
from config.settings import base
from tests.helpers import TRANSFERS_URL, assert_problem, no_queries_but_the_rate_limit_counter
from tests.partners.factories import LiveEnvironmentFactory

pytestmark = pytest.mark.django_db

# 20 s into a one-minute window: every request of a test falls in the same window.
NOW = datetime(2026, 12, 7, 12, 0, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def limits(settings):
    """``limits(name=n, ...)``: lower the named limits for this test (the suite's are out of reach)."""

    def set_limits(**values: int) -> None:
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **values}

    return set_limits


def headers(response) -> tuple[str, str, str]:
    return response["RateLimit-Limit"], response["RateLimit-Remaining"], response["RateLimit-Reset"]


class TestPerCredential:
    def test_every_response_carries_the_credentials_headers_from_the_first_on(self, sandbox_client, limits):
        limits(sandbox_read=3)

        seen = [headers(sandbox_client.get(TRANSFERS_URL)) for _ in range(3)]

        assert seen == [("3", "2", "40"), ("3", "1", "40"), ("3", "0", "40")]

    def test_over_the_limit_is_429_with_retry_after_and_the_view_never_runs(self, sandbox_client, limits):
        limits(sandbox_read=2)
        sandbox_client.get(TRANSFERS_URL)
        sandbox_client.get(TRANSFERS_URL)

        with no_queries_but_the_rate_limit_counter():
            response = sandbox_client.get(TRANSFERS_URL)

        body = assert_problem(response, 429, "rate_limited")
        assert response["Retry-After"] == "40"
        assert headers(response) == ("2", "0", "40")
        assert "sandbox_read" in body["detail"]

    def test_writes_and_reads_are_counted_apart(self, sandbox_client, limits):
        limits(sandbox_write=1)
        sandbox_client.get(TRANSFERS_URL)
        first = sandbox_client.post(TRANSFERS_URL, {}, format="json", HTTP_IDEMPOTENCY_KEY="a")

        second = sandbox_client.post(TRANSFERS_URL, {}, format="json", HTTP_IDEMPOTENCY_KEY="b")

        assert first.status_code == 400
        assert_problem(second, 429, "rate_limited")
        assert sandbox_client.get(TRANSFERS_URL).status_code == 200

    def test_each_credential_has_its_own_bucket(self, sandbox, sandbox_client, client_for, limits):
        limits(sandbox_read=1)
        sandbox_client.get(TRANSFERS_URL)
        other = client_for(api_key_create(environment=sandbox, name="Other").secret)

        assert other.get(TRANSFERS_URL).status_code == 200
        assert_problem(sandbox_client.get(TRANSFERS_URL), 429, "rate_limited")

    def test_live_keys_count_against_the_live_limits(self, partner, client_for, limits):
        limits(live_read=1, sandbox_read=100)
        live = client_for(api_key_create(environment=LiveEnvironmentFactory(partner=partner)).secret)

        assert headers(live.get(TRANSFERS_URL))[0] == "1"
        assert_problem(live.get(TRANSFERS_URL), 429, "rate_limited")

    def test_the_next_window_starts_afresh(self, sandbox_client, limits):
        limits(sandbox_read=1)
        sandbox_client.get(TRANSFERS_URL)

        with time_machine.travel(datetime(2026, 12, 7, 12, 1, 1, tzinfo=UTC), tick=False):
            response = sandbox_client.get(TRANSFERS_URL)

        assert response.status_code == 200
        assert headers(response) == ("1", "0", "59")

    def test_sandbox_limits_are_lower_than_live_by_default(self):
        for kind in ("read", "write"):
            assert base.RATE_LIMITS[f"sandbox_{kind}"] < base.RATE_LIMITS[f"live_{kind}"]


class TestPerIp:
    def test_made_up_keys_are_throttled_per_ip_before_any_lookup(self, client_for, limits):
        limits(unauthenticated=2)
        for n in range(2):
            assert client_for(f"cw_sk_sandbox_{n}").get(TRANSFERS_URL).status_code == 401

        with no_queries_but_the_rate_limit_counter():
            response = client_for("cw_sk_sandbox_third").get(TRANSFERS_URL)

        assert_problem(response, 429, "rate_limited")
        assert headers(response)[:2] == ("2", "0")

    def test_another_ip_has_its_own_bucket(self, api_client, limits):
        limits(unauthenticated=1)
        api_client.get("/v1/nothing", REMOTE_ADDR="198.51.100.1")

        assert api_client.get("/v1/nothing", REMOTE_ADDR="198.51.100.2").status_code == 404
        assert_problem(api_client.get("/v1/nothing", REMOTE_ADDR="198.51.100.1"), 429, "rate_limited")

    def test_a_known_key_is_not_held_back_by_its_ips_unauthenticated_bucket(self, sandbox_client, client_for, limits):
        limits(unauthenticated=2)
        sandbox_client.get(TRANSFERS_URL)  # counted per IP once, then known
        client_for("cw_sk_sandbox_madeup").get(TRANSFERS_URL)

        assert sandbox_client.get(TRANSFERS_URL).status_code == 200

    def test_behind_trusted_proxies_the_forwarded_address_counts(self, api_client, settings, limits):
        settings.RATE_LIMIT_TRUSTED_PROXIES = 1
        limits(unauthenticated=1)
        api_client.get("/v1/nothing", HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7")

        assert api_client.get("/v1/nothing", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 404
        assert_problem(api_client.get("/v1/nothing", HTTP_X_FORWARDED_FOR="203.0.113.7"), 429, "rate_limited")

    def test_the_oauth_token_endpoint_is_limited_per_ip(self, api_client, limits):
        limits(oauth_token=2)
        for _ in range(2):
            assert api_client.post("/o/token/", {"grant_type": "client_credentials"}).status_code != 429

        response = api_client.post("/o/token/", {"grant_type": "client_credentials"})

        assert_problem(response, 429, "rate_limited")
        assert response["Retry-After"] == "40"

    @pytest.mark.parametrize("path", ["/accounts/login/", "/o/login/"])
    def test_sign_in_posts_are_limited_per_ip(self, client, limits, path):
        limits(signin=1)
        client.post(path, {"login": "a@example.com", "password": "x"})

        assert_problem(client.post(path, {"login": "a@example.com", "password": "x"}), 429, "rate_limited")
        assert client.get(path).status_code != 429


class TestCounter:
    def test_a_cache_that_cannot_be_reached_lets_requests_through_without_headers(
        self, sandbox_client, limits, monkeypatch
    ):
        limits(sandbox_read=0, unauthenticated=0)

        def unreachable(key, timeout):
            raise ConnectionError("cache down")

        monkeypatch.setattr(ratelimits, "incr_window", unreachable)

        response = sandbox_client.get(TRANSFERS_URL)

        assert response.status_code == 200
        assert "RateLimit-Limit" not in response

    def test_counts_from_one(self):
        assert [ratelimits.incr_window("rl:test:counter", 5) for _ in range(3)] == [1, 2, 3]

    def test_a_counter_past_its_timeout_starts_again_from_one(self):
        if isinstance(caches["default"], RedisCache):
            pytest.skip("Redis expires keys in its own time, which the test cannot move")
        ratelimits.incr_window("rl:test:expiry", 5)
        ratelimits.incr_window("rl:test:expiry", 5)

        with time_machine.travel(datetime(2026, 12, 7, 12, 0, 26, tzinfo=UTC), tick=False):
            assert ratelimits.incr_window("rl:test:expiry", 5) == 1

    def test_the_count_is_stored_as_the_cache_stores_any_value(self):
        for _ in range(3):
            ratelimits.incr_window("rl:test:readable", 5)

        assert caches["default"].get("rl:test:readable") == 3

    def test_on_the_database_cache_a_hit_is_a_read_and_a_write(self):
        from django.db import connections, router
        from django.test.utils import CaptureQueriesContext

        database_cache = caches["default"]
        if isinstance(database_cache, RedisCache):
            pytest.skip("the cache is Redis in this run")
        ratelimits.incr_window("rl:test:statements", 5)
        connection = connections[router.db_for_write(database_cache.cache_model_class)]

        with CaptureQueriesContext(connection) as captured:
            assert ratelimits.incr_window("rl:test:statements", 5) == 2

        statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
        assert [s for s in statements if s in ("SELECT", "UPDATE", "INSERT")] == ["SELECT", "UPDATE"]

    @pytest.mark.redis
    def test_concurrent_increments_on_redis_are_never_lost(self):
        redis = caches["default"]
        if not isinstance(redis, RedisCache):
            pytest.skip("the cache is the database cache in this run (CACHE_URL is not set)")
        redis.delete("rl:test:threads")

        def hit() -> None:
            for _ in range(50):
                redis.incr_window("rl:test:threads", 5)

        threads = [threading.Thread(target=hit) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert redis.get("rl:test:threads") == 400
