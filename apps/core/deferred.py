"""Deferred writes: a transaction's rows sent to PostgreSQL in one statement.

Inside ``deferred_writes()`` the inserts and updates made through ``apps.core.sql`` are not sent at once: they
are kept, in order, and sent together as one statement right before the next statement of any kind runs on
the connection (a read, an ORM save, a savepoint) or when the block ends. Whatever runs after a write therefore
still sees it, and rows still reach the database in the order they were written: only the number of round trips
changes. A transfer that wrote its journal, entries, transactions, balances, the transfer, its history, the
idempotency record and eight events in ten statements writes them in one (docs/architecture.md, "The write path
on PostgreSQL").

The one statement is a chain of ``WITH`` queries. Each insert's rows arrive as one JSON document
(``json_to_recordset``); their keys are drawn from the table's sequence in a materialised query, in document
order, so a row can name a row inserted before it in the same statement (a transaction its journal, a wallet
its last transaction) and the keys come back to the instances, which end up as a save leaves them. Updates
join their rows' JSON the same way. A check (the idempotency record's completion) is a data-modifying query
whose returned rows are counted and handed to a callback. A read (the webhook endpoints owed the events) is a
query whose rows come back as JSON and go to a callback once the writes are sent, one round trip fewer.

What differs from immediate writes, and what callers must respect:

- an inserted instance has no primary key until the statement is sent: compare instances, not keys;
- a database error in a deferred write is raised by the statement that sends it, which may be the next read;
- a block that raises drops its unsent writes (its transaction is rolled back anyway).

On SQLite (one process, no network round trip) writes are never deferred.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any
from uuid import UUID

import orjson
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import DateField, JSONField, Model

from apps.core import rawcursor


@dataclass(frozen=True)
class Computed:
    """A column an insert computes in SQL rather than taking from the instance: ``expression`` over the row's
    JSON record ``r`` (its columns and ``extra``, name -> SQL type, whose values come per row in ``values``).
    The computed value is read back onto the instance."""

    column: str
    expression: str
    extra: tuple[tuple[str, str], ...]
    values: Sequence[dict[str, Any]]


# How a column's value is read from an instance: as it is (plain text, numbers, flags and keys, the types JSON
# carries), through ``pre_save`` (``auto_now``, public ids, anything a field computes), as dates and times (which the
# JSON encoder writes as ISO text and PostgreSQL casts back), or as JSON.
_AS_IS, _PRE_SAVE, _ISO, _JSON = range(4)
_AS_IS_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.SlugField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.OneToOneField,
)
_JSON_TYPES = (str, int, bool, type(None))


@dataclass(frozen=True)
class _Column:
    field: Any
    name: str
    attname: str
    kind: int
    sql_type: str


@cache
def _columns(model: type[Model]) -> tuple[tuple[_Column, ...], str, str]:
    """The columns an insert writes, the table (quoted) and the expression that draws its next key."""
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    columns = []
    column_field: Any
    for column_field in meta.concrete_fields:
        if column_field.primary_key:
            continue
        if isinstance(column_field, JSONField):
            kind = _JSON
        elif isinstance(column_field, DateField):  # DateTimeField included
            kind = _ISO
        elif type(column_field) in _AS_IS_FIELDS:  # exactly these: a subclass may compute or convert its value
            kind = _AS_IS
        else:
            kind = _PRE_SAVE
        sql_type = (column_field.target_field if column_field.is_relation else column_field).db_type(connection)
        columns.append(_Column(column_field, str(column_field.column), str(column_field.attname), kind, str(sql_type)))
    table = connection.ops.quote_name(meta.db_table)
    # The key's sequence, named once: looked up per row, it cost more than drawing from it. Read on the driver's
    # own connection, so the lookup is not itself a statement that sends pending writes.
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        (sequence,) = cursor.fetchone()
    return tuple(columns), table, "nextval('" + sequence.replace("'", "''") + "'::regclass)"


def json_as_is(field_: Any) -> bool:
    """Whether ``field_``'s value is what JSON gives back for it (text, numbers, flags, keys, JSON): the fields a
    read riding on the statement may return."""
    if isinstance(field_, JSONField):
        return field_.decoder is None
    return type(field_) in _AS_IS_FIELDS or type(field_) in (models.AutoField, models.BigAutoField)


@cache
def _columns_by_name(model: type[Model]) -> dict[str, _Column]:
    return {column.field.name: column for column in _columns(model)[0]}


def _value(column: _Column, obj: Model, add: bool, connection: Any) -> Any:
    field_ = column.field
    if column.kind == _AS_IS:
        value = getattr(obj, column.attname)
        if type(value) in _JSON_TYPES:
            return value
        return field_.get_db_prep_save(value, connection)
    value = field_.pre_save(obj, add)
    if column.kind in (_ISO, _JSON):
        return value  # orjson writes dates and times as ISO 8601 text, which PostgreSQL casts back
    return field_.get_db_prep_save(value, connection)


@dataclass
class _Insert:
    model: type[Model]
    objs: list[Model]
    rows: list[dict[str, Any]]
    refs: dict[str, int]  # column -> the step whose rows it names
    computed: Computed | None = None


@dataclass
class _Update:
    model: type[Model]
    objs: list[Model]
    names: tuple[str, ...]
    rows: list[dict[str, Any]]
    refs: dict[str, int]


@dataclass
class _Check:
    statement: str
    params: list[Any]
    check: Callable[[int], None]


@dataclass
class _Read:
    statement: str
    params: list[Any]
    columns: tuple[str, ...]
    then: Callable[[list[list[Any]]], None]


@dataclass
class _Buffer:
    alias: str
    steps: list[Any] = field(default_factory=list)
    # id(instance) -> (step, row) of each instance inserted by a pending step.
    pending: dict[int, tuple[int, int]] = field(default_factory=dict)
    updated: set[tuple[type[Model], Any]] = field(default_factory=set)
    sending: bool = False

    # --- Collecting ---------------------------------------------------------------------------------------
    def _reference(self, obj: Model, column: _Column, row: dict[str, Any], refs: dict[str, int]) -> bool:
        """Point ``row``'s foreign key at a pending row, if the related instance is one. True when it did."""
        related = column.field.get_cached_value(obj, None)
        if related is None:
            return False
        if related.pk is not None:
            # Assigned while it was pending and sent since: it lends its key now, as a save would take it.
            if getattr(obj, column.field.attname) is None:
                setattr(obj, column.field.attname, related.pk)
            return False
        where = self.pending.get(id(related))
        if where is None:
            raise ValueError(
                f"{type(obj).__name__}.{column.field.name} names an unsaved object that is not being saved"
            )
        step, index = where
        if refs.setdefault(column.name, step) != step:
            raise ValueError("one column of a deferred insert names rows of two inserts")
        row[column.name] = None
        row[f"{column.name}__ref"] = index
        return True

    def insert(self, objs: Sequence[Model], computed: Computed | None) -> None:
        connection = connections[self.alias]
        model: Any = type(objs[0])
        columns = _columns(model)[0]
        step = len(self.steps)
        rows: list[dict[str, Any]] = []
        refs: dict[str, int] = {}
        for index, obj in enumerate(objs):
            row: dict[str, Any] = {"ord": index}
            for column in columns:
                if column.field.is_relation and self._reference(obj, column, row, refs):
                    continue
                row[column.name] = _value(column, obj, True, connection)
            if computed is not None:
                row.update(computed.values[index])
            rows.append(row)
        for index, obj in enumerate(objs):
            self.pending[id(obj)] = (step, index)
        self.steps.append(_Insert(model, list(objs), rows, refs, computed))

    def update(self, objs: Sequence[Model], names: tuple[str, ...]) -> None:
        model: Any = type(objs[0])
        # A row can be changed once per statement, and only once it has a key: send what is pending first.
        if any(obj.pk is None or (model, obj.pk) in self.updated for obj in objs):
            self.send()
        connection = connections[self.alias]
        by_name = _columns_by_name(model)
        rows: list[dict[str, Any]] = []
        refs: dict[str, int] = {}
        for obj in objs:
            row: dict[str, Any] = {"id": obj.pk}
            for name in names:
                column = by_name[name]
                if column.field.is_relation and self._reference(obj, column, row, refs):
                    continue
                row[column.name] = _value(column, obj, False, connection)
            rows.append(row)
            self.updated.add((model, obj.pk))
        self.steps.append(_Update(model, list(objs), names, rows, refs))

    def check(self, statement: str, params: list[Any], check: Callable[[int], None]) -> None:
        self.steps.append(_Check(statement, params, check))

    def read(
        self, statement: str, params: list[Any], columns: tuple[str, ...], then: Callable[[list[list[Any]]], None]
    ) -> None:
        self.steps.append(_Read(statement, params, columns, then))

    # --- Sending ------------------------------------------------------------------------------------------
    @staticmethod
    def _statement(steps: list[Any]) -> tuple[str, list[Any]]:
        """The statement (cached by the steps' shape, so PostgreSQL prepares it) and its parameters."""
        params: list[Any] = []
        for step in steps:
            if isinstance(step, _Check | _Read):
                params += step.params
            else:
                params.append(orjson.dumps(step.rows, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode())
        return _statement_sql(tuple(_shape(step) for step in steps)), params

    def send(self) -> None:
        """Send every pending write as one statement and give the inserted instances their keys."""
        if not self.steps or self.sending:
            return
        steps, self.steps = self.steps, []
        self.pending, self.updated = {}, set()
        statement, params = self._statement(steps)
        connection = connections[self.alias]
        self.sending = True
        try:
            with rawcursor.cursor(connection) as cursor:
                cursor.execute(statement, params)
                returned = cursor.fetchall()
        finally:
            self.sending = False
        counts: dict[int, int] = {}
        read: dict[int, list[dict[str, Any]] | None] = {}
        for number, index, key, value, data in returned:
            step = steps[number]
            if isinstance(step, _Check):
                counts[number] = key
                continue
            if isinstance(step, _Read):
                read[number] = data
                continue
            obj = step.objs[index]
            obj.pk = key
            obj._state.adding = False
            obj._state.db = self.alias
            if step.computed is not None:
                setattr(obj, step.model._meta.get_field(step.computed.column).attname, value)
        for number, step in enumerate(steps):
            if isinstance(step, _Check):
                step.check(counts.get(number, 0))
            elif not isinstance(step, _Read):
                # The foreign keys that named pending rows take their keys, as a save would leave them.
                for column in _columns(step.model)[0]:
                    if column.name in step.refs:
                        for obj in step.objs:
                            related = column.field.get_cached_value(obj, None)
                            if related is not None:
                                setattr(obj, column.attname, related.pk)
        # Last, once every instance has its key: a callback may write (or read) in turn, and what it defers is
        # sent before anything after this send runs.
        for number, step in enumerate(steps):
            if isinstance(step, _Read):
                step.then([[row[column] for column in step.columns] for row in read.get(number) or []])
        self.send()

    def before_statement(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        """The connection's execute wrapper: pending writes go first, so every later statement sees them."""
        if self.steps and not self.sending:
            self.send()
        return execute(sql, params, many, context)


# --- The statement, by shape ------------------------------------------------------------------------------------
# A step's shape: what its SQL depends on (never its values, which are parameters). Identifiers in the SQL come
# from the models and the calling code, never from requests.
def _shape(step: Any) -> tuple[Any, ...]:
    """("check", statement), or (kind, model, refs, detail): an update's field names and row count, an insert's
    computed column."""
    if isinstance(step, _Check):
        return ("check", step.statement)
    if isinstance(step, _Read):
        return ("read", step.statement)
    refs = tuple(sorted(step.refs.items()))
    if isinstance(step, _Update):
        return ("update", step.model, refs, (step.names, len(step.rows)))
    computed = step.computed
    return ("insert", step.model, refs, (computed.column, computed.expression, computed.extra) if computed else None)


def _selected(column: str, refs: dict[str, int]) -> str:
    """A column's value from the row's JSON record ``r``, or the key of the pending row it names."""
    if column not in refs:
        return f'r."{column}"'
    source = f"k{refs[column]}"
    return f'COALESCE((SELECT {source}."id" FROM {source} WHERE {source}."ord" = r."{column}__ref"), r."{column}")'  # noqa: S608


@lru_cache(maxsize=256)
def _statement_sql(shapes: tuple[tuple[Any, ...], ...]) -> str:
    ctes: list[str] = []
    results: list[str] = []
    for number, shape in enumerate(shapes):
        if shape[0] == "check":
            ctes.append(f"c{number} AS ({shape[1]})")
            results.append(f"SELECT {number}, 0, count(*), NULL::bigint, NULL::json FROM c{number}")  # noqa: S608
            continue
        if shape[0] == "read":
            ctes.append(f"q{number} AS ({shape[1]})")
            results.append(f"SELECT {number}, 0, NULL::bigint, NULL::bigint, json_agg(q{number}) FROM q{number}")  # noqa: S608
            continue
        kind, model, refs_items, detail = shape
        columns, table, sequence = _columns(model)
        refs = dict(refs_items)
        if kind == "update":
            names, count = detail
            by_name = _columns_by_name(model)
            columns = tuple(by_name[name] for name in names)
        record = [f'"{column.name}" {column.sql_type}' for column in columns]
        record += [f'"{name}__ref" integer' for name in refs]
        if kind == "update":
            assignments = ", ".join(f'"{column.name}" = {_selected(column.name, refs)}' for column in columns)
            # The LIMIT tells the planner how many rows there are (it assumes 100 for a function): without it, it
            # scanned the whole table to join the rows by key.
            ctes.append(
                f"u{number} AS (UPDATE {table} AS t SET {assignments} FROM (SELECT * FROM json_to_recordset(%s::json) "  # noqa: S608
                f'AS r("id" bigint, {", ".join(record)}) LIMIT {count}) AS r WHERE t."id" = r."id")'
            )
            continue
        computed = detail
        names = [column.name for column in columns]
        values = [computed[1] if computed and name == computed[0] else _selected(name, refs) for name in names]
        if computed:
            record += [f'"{name}" {sql_type}' for name, sql_type in computed[2]]
        quoted = ", ".join(f'"{name}"' for name in names)
        ctes.append(
            f'k{number} AS MATERIALIZED (SELECT {sequence} AS "id", r."ord", '  # noqa: S608
            + ", ".join(f'{value} AS "{name}"' for value, name in zip(values, names, strict=True))
            + f' FROM json_to_recordset(%s::json) AS r("ord" integer, {", ".join(record)}))'
        )
        ctes.append(f'w{number} AS (INSERT INTO {table} ("id", {quoted}) SELECT "id", {quoted} FROM k{number})')  # noqa: S608
        back = f'"{computed[0]}"::bigint' if computed else "NULL::bigint"
        results.append(f'SELECT {number}, "ord", "id", {back}, NULL::json FROM k{number}')  # noqa: S608
    if not results:
        results.append("SELECT NULL::integer, NULL::integer, NULL::bigint, NULL::bigint, NULL::json WHERE false")
    # Numbered once here: psycopg would parse a statement this long on every execution (apps.core.rawcursor).
    return rawcursor.numbered("WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(results))


def _json_default(value: Any) -> Any:
    # orjson writes dates, times and UUIDs itself, but not subclasses of them; those and the rest of what JSON
    # cannot carry come here.
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"a deferred write cannot send {type(value).__name__}")


_buffer: ContextVar[_Buffer | None] = ContextVar("deferred_writes", default=None)


def current(using: str = DEFAULT_DB_ALIAS) -> _Buffer | None:
    """The open buffer for database ``using``, if writes to it are being deferred here."""
    buffer = _buffer.get()
    return buffer if buffer is not None and buffer.alias == using and not buffer.sending else None


@contextmanager
def deferred_writes(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Defer the writes made through ``apps.core.sql`` inside the block (see the module docstring). Must be
    entered inside a transaction; nested blocks join the outer one. No effect on SQLite."""
    connection = connections[using]
    if connection.vendor != "postgresql" or _buffer.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("deferred_writes() must run inside a transaction")
    buffer = _Buffer(alias=using)
    token = _buffer.set(buffer)
    try:
        with connection.execute_wrapper(buffer.before_statement):
            yield
            buffer.send()
    finally:
        _buffer.reset(token)


def send_now(*, using: str = DEFAULT_DB_ALIAS, insert: Sequence[Model] = (), computed: Computed | None = None) -> None:
    """PostgreSQL, outside a buffer: insert ``insert`` (with ``computed``) in one statement, as a buffer would."""
    buffer = _Buffer(alias=using)
    buffer.insert(insert, computed)
    buffer.send()
