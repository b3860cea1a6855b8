"""Django's PostgreSQL backend with a health check that costs no round trip while the connection is quiet.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection once per request before using it, by running
``SELECT 1``: one round trip on every request (about 2 % of a transfer's CPU, docs/architecture.md, "The write
path on PostgreSQL"). An idle connection has nothing to read from the server unless the server has ended it (a
restart, ``pg_terminate_backend``, an idle timeout), which sends an error and closes the socket, or has something
else to say (a notice, a parameter change). So the check looks first: a socket with nothing to read is taken
as alive, and only one with something waiting gets Django's ``SELECT 1``, which tells the two apart. A server that
vanished without a word (a cut cable) is found by neither before the request's first statement fails.

JSON columns (``jsonb``) are written with orjson instead of the standard library's ``json.dumps``: an event's
document and a transfer's metadata are dumped on every transfer, and the standard encoder was about a twentieth
of a transfer's Python time (docs/performance.md). A value orjson does not write as ``json.dumps`` would (an
integer over 64 bits, text that is not valid Unicode, a type neither knows) goes to ``json.dumps``, so what is
stored, and what is refused, is unchanged.
"""

import json
import select
from typing import Any

import orjson
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations
from psycopg.types.json import Jsonb

# Dates, times and dataclasses are left to json.dumps (which refuses them, as before); keys that are not text are
# written as json.dumps writes them (1 -> "1", True -> "true", None -> "null").
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_dumps(value: Any) -> bytes | str:
    """``value`` as JSON for a ``jsonb`` column: orjson's bytes, or ``json.dumps``'s text when orjson refuses."""
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value)


class DatabaseOperations(PostgreSQLOperations):
    def adapt_json_value(self, value: Any, encoder: Any) -> Any:
        if encoder is not None:
            return super().adapt_json_value(value, encoder)
        return Jsonb(value, dumps=json_dumps)


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    ops_class = DatabaseOperations

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        try:
            waiting, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
