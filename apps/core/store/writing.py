"""``write``: a write's statements sent by one of the routes (``route``), and the instances left as a save leaves
them."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from psycopg import RawCursor

from apps.core.store.changes import Increment, Insert, Update, field_of
from apps.core.store.statements import Statement, draw_keys, statement_for

STATEMENT, SEQUENTIAL = "statement", "sequential"


def route(using: str = DEFAULT_DB_ALIAS) -> str:
    """How ``write`` sends its statements on database ``using``."""
    if connections[using].vendor != "postgresql":
        return SEQUENTIAL
    return getattr(settings, "STORE_ROUTE", STATEMENT)


def write(*changes: Insert | Update | Increment, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write ``changes`` in order on database ``using`` (see the module docstring)."""
    changes = tuple(change for change in changes if change.objs)
    if not changes:
        return
    connection = connections[using]
    # A write of one insert lets the database number its rows (they come back with the insert); anything more
    # draws the keys first, so that its rows can name each other.
    keyed = len(changes) == 1 and isinstance(changes[0], Insert) and all(obj.pk is None for obj in changes[0].objs)
    if not keyed:
        draw_keys([change for change in changes if isinstance(change, Insert)], connection)
    statements = [statement_for(change, connection, keyed) for change in changes]
    as_one = route(using) == STATEMENT and sum(len(statement.rows) for statement in statements) > 1
    send = _send_as_one if as_one else _send_one_by_one
    results = send(statements, connection)
    for change, returned in zip(changes, results, strict=True):
        if isinstance(change, Increment):
            continue
        if isinstance(change, Insert):
            for obj in change.objs:
                obj._state.adding = False
                obj._state.db = using
            if keyed:  # rows came back in the order they were sent: key first
                for obj, row in zip(change.objs, returned, strict=True):
                    obj.pk = row[0]
            if change.numbered is not None:
                attname = field_of(type(change.objs[0]), change.numbered.column).attname
                numbers = {key: number for key, number in returned}
                for obj in change.objs:
                    setattr(obj, attname, numbers[obj.pk])
        elif change.on_miss is not None and len(returned) != len(change.objs):
            raise change.on_miss()


# --- Sending ----------------------------------------------------------------------------------------------------
def _send_one_by_one(statements: list[Statement], connection: Any) -> list[list[Any]]:
    results: list[list[Any]] = []
    with connection.cursor() as cursor:
        for statement in statements:
            returned: list[Any] = []
            for params in statement.rows:
                if connection.vendor == "postgresql" and _over_parse_cache(statement.sql, params):
                    # A many-row insert (a request-log batch): numbered once per shape, as the one statement of
                    # a write is, instead of parsed by psycopg on every execution.
                    with _raw_cursor(connection) as raw:
                        raw.execute(_numbered_once(statement.sql), params)
                        if statement.returns:
                            returned += raw.fetchall()
                    continue
                cursor.execute(statement.sql, params)
                if statement.returns:
                    returned += cursor.fetchall()
            results.append(returned)
    return results


# What psycopg parses once and remembers (psycopg._queries): statements up to 4 kB with up to 50 parameters.
_PARSE_CACHE_BYTES, _PARSE_CACHE_PARAMS = 4096, 50


def _over_parse_cache(sql: str, params: list[Any]) -> bool:
    return len(params) > _PARSE_CACHE_PARAMS or len(sql) > _PARSE_CACHE_BYTES


@lru_cache(maxsize=256)
def _numbered_once(sql: str) -> str:
    return _numbered(sql)


def _send_as_one(statements: list[Statement], connection: Any) -> list[list[Any]]:
    """PostgreSQL: the statements as the parts of one ``WITH`` statement: one round trip, one prepared statement per
    shape of write. Each part runs as it would alone (the rows already carry their keys, so no part needs another's
    result) and sees the database as it was before the statement (so a row may be changed by one part only)."""
    shape = tuple((statement.sql, len(statement.rows), statement.returning) for statement in statements)
    params = [param for statement in statements for row in statement.rows for param in row]
    results: list[list[Any]] = [[] for _ in statements]
    with _raw_cursor(connection) as cursor:
        cursor.execute(_as_one_sql(shape), params)
        for number, key, value in cursor.fetchall():
            results[number].append((key, value) if len(statements[number].returning) > 1 else (key,))
    return results


# Security scan (bandit B608, "nosec B608" below): the SQL text built here holds only identifiers taken from model
# metadata, quoted, and placeholders; every value is a bound parameter, so no input reaches the statement text.
@lru_cache(maxsize=256)
def _as_one_sql(shape: tuple[tuple[str, int, tuple[str, ...]], ...]) -> str:
    """The one statement for a write of this shape (each part's statement, executions and returned columns), with
    numbered placeholders. The parts' returned rows come back as (part, key, value)."""
    parts: list[str] = []
    selects: list[str] = []
    for number, (sql, executions, returning) in enumerate(shape):
        for index in range(executions):
            name = f"p{number}_{index}"
            parts.append(f"{name} AS ({sql})")
            if returning:
                columns = [*returning, "NULL", "NULL"][:2]
                selects.append(f"SELECT {number}, {columns[0]}::bigint, {columns[1]}::bigint FROM {name}")  # noqa: S608  # nosec B608
    if not selects:
        selects.append("SELECT NULL::integer, NULL::bigint, NULL::bigint WHERE false")
    return _numbered("WITH " + ", ".join(parts) + " " + " UNION ALL ".join(selects))


def _numbered(statement: str) -> str:
    """``statement`` with PostgreSQL's numbered placeholders ($1, $2...) for its ``%s``. A write's statement is
    longer and has more parameters than psycopg parses once and remembers (4 kB, 50 parameters): sent with ``%s``
    it was parsed again on every transfer (a third of the store's time); numbered once per shape (``_as_one_sql``),
    it goes through a raw cursor as it is. Identifiers and placeholders only: any other ``%`` is refused."""
    pieces = statement.split("%s")
    if any("%" in piece for piece in pieces):
        raise ValueError("a store statement has only %s placeholders")
    return "".join(f"{piece}${n}" for n, piece in enumerate(pieces[:-1], 1)) + pieces[-1]


def _raw_cursor(connection: Any) -> Any:
    """A cursor that sends ``$n`` statements as they are, wrapped like Django's own cursors (so execute wrappers
    and query logging see it; the debug wrapper logs the statement as written)."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = RawCursor(connection.connection)
    connection.validate_thread_sharing()
    return _DebugCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)


class _DebugCursor(CursorDebugWrapper):
    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)
