"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every ``get`` and ``set``; the constructor copies
the response-callback tables each time, which cost more than the round trip on the cached API-key path. A
``redis.Redis`` over a connection pool is safe to share between threads, so each pool gets one, made on first
use. Everything else (pools, serialisation, key handling) is Django's.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


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
