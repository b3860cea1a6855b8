"""Django's Redis and database caches, each with ``incr_window``: the rate limits' counter in one step.

Redis: one client per connection pool instead of one per operation, and reads that ride on the counter's round
trip (``reads_riding``).

Django's ``RedisCacheClient`` builds a new ``redis.Redis`` for every ``get`` and ``set``; the constructor copies
the response-callback tables each time, which cost more than the round trip on the cached API-key path. A
``redis.Redis`` over a connection pool is safe to share between threads, so each pool gets one, made on first
use. Everything else (pools, serialisation, key handling) is Django's.
"""

import base64
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.db import connections, router, transaction
from django.utils import timezone

# Keys whose values ride on the next ``incr_window`` round trip, and what was read for them (``reads_riding``).
_riders: ContextVar[dict[str, Any] | None] = ContextVar("cache_riders", default=None)
_NOT_READ = object()


@contextmanager
def reads_riding(keys: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Within the block, the next ``incr_window`` also reads ``keys`` (cache keys, as ``cache.get`` takes them) in
    its own round trip, where the cache can (Redis; the database cache reads nothing). The yielded dict then maps
    each key read to its value (None when it is not cached); a key it could not read is absent. For the rate
    limiter, whose one round trip per request can carry what a later layer of the same request will read
    (``cached``), as ``cache.get`` would read it then."""
    riders = dict.fromkeys(keys, _NOT_READ)
    token = _riders.set(riders)
    try:
        yield riders
    finally:
        _riders.reset(token)
        for key in [key for key, value in riders.items() if value is _NOT_READ]:
            del riders[key]


def cached(read: dict[str, Any] | None, key: str) -> Any:
    """``key``'s value from ``read`` (what ``reads_riding`` read for this request), or from the cache if it was not
    read then. None when it is not cached."""
    if read is not None and key in read:
        return read[key]
    return cache.get(key)


# INCR, with the window's expiry set when the counter is created, then a GET of every other key, all in one
# round trip (a missing key comes back as nil).
_COUNT_AND_READ = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local result = {count}
for i = 2, #KEYS do result[i] = redis.call('GET', KEYS[i]) end
return result
"""


class RedisCacheClient(DjangoRedisCacheClient):
    # Django's own (private) helpers this client builds on; django-stubs does not declare them.
    _client: Callable[..., Any]
    _get_connection_pool_index: Callable[[bool], int]
    _get_connection_pool: Callable[[int], Any]
    _serializer: Any

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
        self._scripts: dict[int, Any] = {}  # the counter's script per shared client (RedisCacheClient)

    def incr_window(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` and return it, in one round trip: one script (atomic) that INCRs it
        (a missing key counts from zero) and sets its expiry when it is new, and GETs the keys of an enclosing
        ``reads_riding`` block. Rate limits (apps/core/ratelimits.py) name a key per window, so a key that
        expires ``timeout`` seconds after its first hit outlives its window. (A script is one command: an
        INCR and EXPIRE pipeline cost the rate limiter more Python time than the round trip itself.)"""
        riders = _riders.get()
        keys = [self.make_and_validate_key(key)]
        if riders:
            keys += [self.make_and_validate_key(rider) for rider in riders]
        cache_client: Any = self._cache  # a RedisCacheClient (above)
        client = cache_client.get_client(keys[0], write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts.setdefault(id(client), client.register_script(_COUNT_AND_READ))
        count, *values = script(keys=keys, args=[timeout], client=client)
        if riders:
            loads = cache_client._serializer.loads
            for rider, value in zip(riders, values, strict=True):
                riders[rider] = None if value is None else loads(value)
        return int(count)


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache, with a counter that concurrent processes cannot lose updates of."""

    _table: str  # Django's own attribute; django-stubs does not declare it

    # bandit: the statements below hold only quoted identifiers of the cache table (nosec B608) and every value is
    # a bound parameter; the pickle they read back is one this method wrote (nosec B301), as with every cached value.
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
                f"SELECT {value} FROM {table} WHERE {name} = %s AND {expires} > %s{lock}",  # noqa: S608  # nosec B608
                [key, adapt(now)],
            )
            row = cursor.fetchone()
            # Only this method writes these keys: the pickle is one of ours (as with every value Django caches).
            stored = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) if row else 0  # noqa: S301  # nosec B301
            count = int(stored) + 1
            params = [
                base64.b64encode(pickle.dumps(count, self.pickle_protocol)).decode("latin1"),
                adapt(now + timedelta(seconds=timeout)),
                key,
            ]
            cursor.execute(f"UPDATE {table} SET {value} = %s, {expires} = %s WHERE {name} = %s", params)  # noqa: S608  # nosec B608
            if cursor.rowcount == 0:
                cursor.execute(f"INSERT INTO {table} ({value}, {expires}, {name}) VALUES (%s, %s, %s)", params)  # noqa: S608  # nosec B608
        return count
