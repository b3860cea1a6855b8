"""The Redis cache backend that shares one client per connection pool (apps/core/cache.py)."""

import threading

import pytest
from django.core.cache import cache as django_cache

from apps.core import cache as cache_module
from apps.core.cache import RedisCache, cached, reads_riding
from tests.conftest import _redis_url


@pytest.fixture
def redis_cache():
    cache = RedisCache(_redis_url() or "", {"KEY_PREFIX": "cache-test"})
    yield cache
    cache.clear()


@pytest.mark.redis
class TestSharedClientRedisCache:
    def test_it_behaves_as_the_django_backend(self, redis_cache):
        redis_cache.set("answer", {"value": 42}, timeout=30)
        assert redis_cache.get("answer") == {"value": 42}
        assert redis_cache.add("answer", "other") is False
        redis_cache.set("counter", 1)
        assert redis_cache.incr("counter") == 2
        redis_cache.delete("answer")
        assert redis_cache.get("answer") is None

    def test_one_client_serves_every_operation_on_a_pool(self, redis_cache):
        client = redis_cache._cache
        assert client.get_client() is client.get_client()
        assert client.get_client(write=True) is client.get_client(write=True)

    def test_threads_share_the_client_safely(self, redis_cache):
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(50):
                    redis_cache.set(f"t{n}-{i}", i)
                    assert redis_cache.get(f"t{n}-{i}") == i
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []


@pytest.mark.redis
class TestReadsRidingOnTheCounter:
    def test_the_counter_reads_the_riding_keys_in_its_round_trip(self, redis_cache):
        redis_cache.set("record", {"value": 42}, timeout=30)
        redis_cache.set("number", 7, timeout=30)
        redis_cache.incr_window("warm-up", 5)  # loads the script on the server
        client = redis_cache._cache.get_client(write=True)
        commands: list[str] = []
        original = client.execute_command

        def counting(*args, **kwargs):
            commands.append(str(args[0]))
            return original(*args, **kwargs)

        client.execute_command = counting
        try:
            with reads_riding(["record", "number", "absent"]) as read:
                assert redis_cache.incr_window("counter", 5) == 1
            assert redis_cache.incr_window("counter", 5) == 2
        finally:
            del client.execute_command

        assert read == {"record": {"value": 42}, "number": 7, "absent": None}
        assert commands == ["EVALSHA", "EVALSHA"]

    def test_a_new_counter_expires_after_its_timeout_and_a_counted_one_keeps_its_expiry(self, redis_cache):
        client = redis_cache._cache.get_client(write=True)
        redis_cache.incr_window("counter", 5)
        key = redis_cache.make_key("counter")
        client.expire(key, 100)
        redis_cache.incr_window("counter", 5)

        assert 5 < client.ttl(key) <= 100

    def test_outside_a_block_nothing_rides(self, redis_cache):
        with reads_riding(["record"]):
            pass

        assert redis_cache.incr_window("counter", 5) == 1


@pytest.mark.django_db
class TestCached:
    def test_a_value_read_with_the_count_is_used_without_asking_the_cache(self, monkeypatch):
        monkeypatch.setattr(cache_module, "cache", None)  # any cache.get would fail
        assert cached({"key": "read"}, "key") == "read"
        assert cached({"key": None}, "key") is None

    def test_a_key_not_read_with_the_count_is_asked_of_the_cache(self):
        django_cache.set("cached-test-key", "stored", 30)

        assert cached({}, "cached-test-key") == "stored"
        assert cached(None, "cached-test-key") == "stored"
