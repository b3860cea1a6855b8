"""Migration operations for PostgreSQL-only storage settings on the write path (no-ops on SQLite).

Django gives every unique ``CharField`` on PostgreSQL a second ``varchar_pattern_ops`` index for ``LIKE``
queries. Public ids are only ever looked up by equality, so on the tables every transfer writes (wallets,
transactions, transfers, events) that index is dropped: it is one more random-page insert per row.
"""

from typing import Any

from django.db import migrations


def _pattern_indexes(schema_editor: Any, table: str, column: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexdef LIKE %s",
            [table, f"%({column} varchar_pattern_ops)%"],
        )
        return [name for (name,) in cursor.fetchall()]


def drop_pattern_indexes(*tables: str, column: str = "public_id") -> migrations.RunPython:
    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for table in tables:
            for name in _pattern_indexes(schema_editor, table, column):
                schema_editor.execute(f"DROP INDEX {quote(name)}")

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for table in tables:
            if not _pattern_indexes(schema_editor, table, column):
                name = f"{table}_{column}_like"
                schema_editor.execute(
                    f"CREATE INDEX {quote(name)} ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
                )

    return migrations.RunPython(forwards, backwards, elidable=False)


def fillfactor(table: str, percent: int) -> migrations.RunPython:
    """Leave ``100 - percent`` of each heap page free so an update of a row can stay on its page (a HOT update:
    no index entry is written when no indexed column changes)."""

    def apply(value: int) -> Any:
        def run(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = {int(value)})")

        return run

    return migrations.RunPython(apply(percent), apply(100), elidable=False)


def covering_index(table: str, name: str, columns: tuple[str, ...], include: tuple[str, ...]) -> migrations.RunPython:
    """Rebuild the index ``name`` (on ``columns``, as the model declares it) with ``include`` as non-key columns,
    so a query reading only those columns can skip the table (an index-only scan). PostgreSQL only; the model
    state keeps the plain index, which is what SQLite has and what a later migration would drop by name."""

    def rebuild(with_include: bool) -> Any:
        def run(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor != "postgresql":
                return
            quote = schema_editor.quote_name
            keys = ", ".join(quote(column) for column in columns)
            extra = f" INCLUDE ({', '.join(quote(column) for column in include)})" if with_include else ""
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
            schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} ({keys}){extra}")

        return run

    return migrations.RunPython(rebuild(True), rebuild(False), elidable=False)
