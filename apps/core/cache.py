"""Django's Redis and database caches, each with ``incr_window``: the rate limits' counter in one step.

Redis: one client per connection pool instead of one per operation.

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every ``get`` and ``set``; the constructor copies
the response-callback tables each time, which cost more than the round trip on the cached API-key path. A
``redis.Redis`` over a connection pool is safe to share between threads, so each pool gets one, made on first
use. Everything else (pools, serialisation, key handling) is Django's.
"""

import base64
import pickle
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.db import connections, router, transaction
from django.utils import timezone


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

    _table: str  # Django's own attribute; django-stubs does not declare it

    def incr_window(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return it. Django's ``incr`` reads and writes in two steps (and its
        ``set`` counts the whole table first: eight statements); here one transaction reads the live value and
        writes it back, which on SQLite (``BEGIN IMMEDIATE``: docs/architecture.md) holds the write lock from
        the start and elsewhere locks the row, so no two processes read the same count. The value is encoded as
        Django encodes it, so ``get`` reads it."""
        key = self.make_and_validate_key(key)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        quote, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
        table, name, value, expires = (quote(column) for column in (self._table, "cache_key", "value", "expires"))
        now = timezone.now().replace(microsecond=0)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value} FROM {table} WHERE {name} = %s AND {expires} > %s{lock}",  # noqa: S608
                [key, adapt(now)],
            )
            row = cursor.fetchone()
            # Only this method writes these keys: the pickle is one of ours (as with every value Django caches).
            stored = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) if row else 0  # noqa: S301
            count = int(stored) + 1
            params = [
                base64.b64encode(pickle.dumps(count, self.pickle_protocol)).decode("latin1"),
                adapt(now + timedelta(seconds=timeout)),
                key,
            ]
            cursor.execute(f"UPDATE {table} SET {value} = %s, {expires} = %s WHERE {name} = %s", params)  # noqa: S608
            if cursor.rowcount == 0:
                cursor.execute(f"INSERT INTO {table} ({value}, {expires}, {name}) VALUES (%s, %s, %s)", params)  # noqa: S608
        return count
