"""The Redis cache backend that shares one client per connection pool (apps/core/cache.py)."""

import threading

import pytest

from apps.core.cache import RedisCache
from tests.conftest import _redis_url

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cache():
    cache = RedisCache(_redis_url() or "", {"KEY_PREFIX": "cache-test"})
    yield cache
    cache.clear()


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
