"""Django's Redis and database caches, each with ``incr_window``: the rate limits' counter in one step.

Redis: one client per connection pool instead of one per operation.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every ``get`` and ``set``; the constructor copies
the response-callback tables each time, which cost more than the round trip on the cached API-key path. A
``redis.Redis`` over a connection pool is safe to share between threads, so each pool gets one, made on first
use. Everything else (pools, serialisation, key handling) is Django's.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.db import router, transaction


class RedisCacheClient(DjangoRedisCacheClient):
    # Django's own (private) helpers this client builds on; django-stubs does not declare them.
    _client: Callable[..., Any]
    _get_connection_pool_index: Callable[[bool], int]
    _get_connection_pool: Callable[[int], Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients.setdefault(index, self._client(connection_pool=self._get_connection_pool(index)))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_window(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return it, in one round trip: INCR (atomic; a missing key counts
        from zero) and EXPIRE in a pipeline. Rate limits (apps/core/ratelimits.py) name a key per window, so
        refreshing its expiry on every hit only keeps it until its window is over."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, timeout)
            count, _ = pipe.execute()
        return int(count)


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache, with a counter that concurrent processes cannot lose updates of."""

    def incr_window(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return it. Django's ``incr`` reads and writes in two steps; here
        both happen in one transaction, which on SQLite (``BEGIN IMMEDIATE``: docs/architecture.md) holds the
        write lock from the start, so no two processes read the same count."""
        database = router.db_for_write(self.cache_model_class)
        with transaction.atomic(using=database):
            count = (self.get(key) or 0) + 1
            self.set(key, count, timeout)
        return int(count)
