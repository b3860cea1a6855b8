"""Statements written with PostgreSQL's own numbered placeholders (``$1``, ``$2``...), for long statements.

psycopg turns ``%s`` placeholders into numbered ones by parsing the statement, and remembers the result only for
statements under 4 kB with at most 50 parameters. The statement that sends a transfer's writes and the insert of
a batch of request-log rows are longer, so psycopg parsed them again on every execution (about 4 % of a
worker's time under load). A raw cursor sends the statement as written: these statements are numbered once,
when they are built and cached, and run through it. The cursor is wrapped like any other Django cursor, so
execute wrappers and query logging see its statements.
"""

from typing import Any

from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from psycopg import RawCursor


class _DebugCursor(CursorDebugWrapper):
    """Logs a statement as written, placeholders and all: Django would rebuild it with its parameters by
    replacing ``%s``, which a numbered statement has none of."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


def numbered(statement: str) -> str:
    """``statement`` with its ``%s`` placeholders numbered ``$1``, ``$2``... in order. Any other ``%`` is refused:
    the statements numbered here are built from identifiers and placeholders only."""
    parts = statement.split("%s")
    if any("%" in part for part in parts):
        raise ValueError("a numbered statement has only %s placeholders, no other %")
    return "".join(f"{part}${number}" for number, part in enumerate(parts[:-1], 1)) + parts[-1]


def cursor(connection: Any) -> CursorWrapper:
    """A cursor on ``connection`` (PostgreSQL) for statements numbered by ``numbered``."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = RawCursor(connection.connection)
    connection.validate_thread_sharing()
    return _DebugCursor(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
