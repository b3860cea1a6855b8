"""The row store: how the money path's rows reach the database, behind one call.

``write(Insert(...), Update(...), ...)`` writes unsaved instances and changed fields of saved ones, in the order
given, and leaves the instances as ``save()`` would (keys set, no longer adding). It is the only code on the money
path that builds INSERT and UPDATE statements by hand; domain code hands it model instances and field names.

How it writes, the same way on both databases:

1. **Keys first.** Every unsaved instance gets its primary key before any row is written, drawn from its table's
   sequence in one statement for the whole write. A row that points at another new row (an entry at its journal)
   then simply carries that key: no row ever refers to another by its position in a batch.
2. **One fixed statement per model.** Each ``Insert`` is one multi-row ``INSERT ... VALUES`` (its text depends
   only on the model and the number of rows, so it is built once and prepared); each ``Update`` is one
   ``UPDATE ... WHERE "id" = %s`` per instance, with extra conditions for a guarded update.
3. **One round trip on PostgreSQL.** The statements are sent in one psycopg pipeline and their results read when it
   syncs; elsewhere (SQLite, or ``STORE_ROUTE = "sequential"``) they run one after the other. Both routes run the
   same statements with the same parameters and give the same results; tests run the store's behaviour through
   both on PostgreSQL.

Two things an ORM save cannot do in one statement, declared rather than written by callers:

- ``Numbered``: a column numbered per group of rows (an event's per-object ``sequence``): each new row takes the
  last stored value of its group plus its place among this write's rows of that group, computed in the insert
  itself and read back onto the instance. The writer must hold the lock that serialises the group's writers (the
  unique constraint that should back such a column catches any that do not).
- ``Update(guard=..., on_miss=...)``: an update that must find its row in a given state (an idempotency record
  still held by this request); ``on_miss()`` is raised when it does not, which rolls the caller's transaction back.

Rules for callers: call it inside the transaction the rows belong to; a database error is raised by ``write``
itself; bypassing ``save()``, it sends no model signals, so it is for the plain rows of the money path (none of
which use signals).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState
from psycopg import RawCursor

STATEMENT, PIPELINE, SEQUENTIAL = "statement", "pipeline", "sequential"


@dataclass(frozen=True)
class Numbered:
    """``column`` numbered per group of rows sharing the values of ``group`` (field names)."""

    column: str
    group: tuple[str, ...]


@dataclass(frozen=True)
class Insert:
    """Insert ``objs`` (unsaved instances of one model), in order: their keys ascend in that order."""

    objs: Sequence[Model]
    numbered: Numbered | None = None


@dataclass(frozen=True)
class Update:
    """Write the fields ``fields`` of each saved instance in ``objs`` (one model), as ``save(update_fields=...)``
    would (``auto_now`` fields among them take the current time). With ``guard`` (field name -> value), each row
    must also match it, or ``on_miss()`` is raised."""

    objs: Sequence[Model]
    fields: tuple[str, ...]
    guard: Mapping[str, Any] = field(default_factory=dict)
    on_miss: Callable[[], Exception] | None = None


@dataclass(frozen=True)
class Increment:
    """Add ``objs`` (unsaved instances of one model, each naming a row by the fields ``key``, which a unique
    constraint covers) to their rows: the fields ``add`` of an existing row grow by the instance's values, a
    missing row is inserted as the instance. For running counters kept in the same transaction as what they
    count (an upsert both databases run: ``INSERT ... ON CONFLICT ... DO UPDATE``). The instances get no key."""

    objs: Sequence[Model]
    key: tuple[str, ...]
    add: tuple[str, ...]


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
        _draw_keys([change for change in changes if isinstance(change, Insert)], connection)
    statements = [_statement(change, connection, keyed) for change in changes]
    chosen = route(using) if sum(len(statement.rows) for statement in statements) > 1 else SEQUENTIAL
    if chosen == STATEMENT:
        results = _send_as_one(statements, connection)
    elif chosen == PIPELINE:
        results = _send_pipelined(statements, connection)
    else:
        results = _send_one_by_one(statements, connection)
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
                attname = _field(type(change.objs[0]), change.numbered.column).attname
                numbers = {key: number for key, number in returned}
                for obj in change.objs:
                    setattr(obj, attname, numbers[obj.pk])
        elif change.on_miss is not None and len(returned) != len(change.objs):
            raise change.on_miss()


def new(model: type[Model], **values: Any) -> Any:
    """An unsaved ``model(**values)``: each field takes its value (a related object by its name, its key by the
    attribute name) or its default. Builds the instance directly rather than through ``Model.__init__``'s general
    keyword handling, which cost a tenth of a transfer's Python time for its dozen rows; sends no ``pre_init`` /
    ``post_init`` signals (none of the money path's models use them). Unknown keywords are a ``TypeError``."""
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attributes = obj.__dict__
    remaining = len(values)
    for name, attname, model_field in _plan(model):
        if name in values:
            remaining -= 1
            value = values[name]
            if model_field.is_relation and name != attname:
                state.fields_cache[name] = value
                attributes[attname] = None if value is None else value.pk
            else:
                attributes[attname] = value
        elif attname in values:
            remaining -= 1
            attributes[attname] = values[attname]
        else:
            attributes[attname] = model_field.get_default()
    if remaining:
        known = {name for plan in _plan(model) for name in plan[:2]}
        raise TypeError(f"{model.__name__} has no field {sorted(set(values) - known)}")
    # What the row will hold is known now, as after a save: its public id and its creation and update times.
    for model_field in _filled_on_build(model):
        if not attributes[model_field.attname]:
            model_field.pre_save(obj, True)
    return obj


@cache
def _filled_on_build(model: type[Model]) -> tuple[Any, ...]:
    return tuple(
        f
        for f in model._meta.concrete_fields
        if (isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)) or hasattr(f, "prefix")
    )


# --- Compiled reads ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Compiled:
    """A query the ORM compiled once, to be run again with other values (``run``). Built by ``compile`` from a
    ``values_list`` queryset whose filters hold sentinels where a call's values go."""

    sql: str
    slots: tuple[tuple[int, Any], ...]  # per parameter: (index of the call's value, None) or (-1, the constant)
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (column, the ORM's conversions, expression)


def compile(queryset: Any, sentinels: Sequence[Any]) -> Compiled:
    """Compile ``queryset`` (a ``values_list``) once. ``sentinels``: values used in its filters in place of a
    call's values, in the order ``run`` will give them (a value the query turns out not to use is ignored); every
    other parameter is a constant of the query. For a
    rule written once with the ORM (tenancy, say) on a path where compiling it on every call cost more than
    running it."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    where = {sentinel: index for index, sentinel in enumerate(sentinels)}
    slots = tuple((where[param], None) if _is_sentinel(param, where) else (-1, param) for param in params)
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    return Compiled(
        sql,
        slots,
        tuple((index, tuple(functions), expression) for index, (functions, expression) in converters.items()),
    )


def _is_sentinel(param: Any, where: dict[Any, int]) -> bool:
    return type(param) in (int, str) and param in where


def run(compiled: Compiled, values: Sequence[Any], using: str = DEFAULT_DB_ALIAS) -> list[list[Any]]:
    """The rows of ``compiled`` with ``values`` in place of its sentinels, converted as the ORM converts them."""
    connection = connections[using]
    params = [values[index] if index >= 0 else constant for index, constant in compiled.slots]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for index, functions, expression in compiled.converters:
            for function in functions:
                row[index] = function(row[index], expression, connection)
    return rows


# --- Keys -------------------------------------------------------------------------------------------------------
def _draw_keys(inserts: list[Insert], connection: Any) -> None:
    needed: dict[type[Model], list[Model]] = {}
    for insert in inserts:
        for obj in insert.objs:
            if obj.pk is None:
                needed.setdefault(type(obj), []).append(obj)
    if not needed:
        return
    models_ = tuple(needed)
    counts = [len(needed[model]) for model in models_]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_postgresql_keys_sql(models_, connection.alias), counts)
            drawn = cursor.fetchone()
    else:
        drawn = [_sqlite_keys(model, count, connection) for model, count in zip(models_, counts, strict=True)]
    for model, keys in zip(models_, drawn, strict=True):
        # Sorted: the rows' keys ascend in the order the caller gave them (a journal's transactions, in the feed).
        for obj, key in zip(needed[model], sorted(keys), strict=True):
            obj.pk = key


@cache
def _sequence(model: type[Model], alias: str) -> str:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        (name,) = cursor.fetchone()
    return str(name)


@lru_cache(maxsize=256)
def _postgresql_keys_sql(models_: tuple[type[Model], ...], alias: str) -> str:
    template = "ARRAY(SELECT nextval('{}'::regclass) FROM generate_series(1, %s))"
    arrays = ", ".join(template.format(_sequence(model, alias)) for model in models_)
    return f"SELECT {arrays}"


def _sqlite_keys(model: type[Model], count: int, connection: Any) -> list[int]:
    """``count`` keys from SQLite's AUTOINCREMENT counter of ``model``'s table. SQLite has one writer at a time and
    this runs inside its write transaction, so no other writer can draw the same keys."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq", [count, table])
        row = cursor.fetchone()
        if row is None:  # no row inserted yet: the counter starts at the largest key
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            (last,) = cursor.fetchone()
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count])
            row = (last + count,)
    return list(range(row[0] - count + 1, row[0] + 1))


# --- Statements -------------------------------------------------------------------------------------------------
@dataclass
class _Statement:
    sql: str
    rows: list[list[Any]]  # one parameter list per execution
    returning: tuple[str, ...] = ()  # the columns it returns, the key first

    @property
    def returns(self) -> bool:
        return bool(self.returning)


def _statement(change: Insert | Update | Increment, connection: Any, keyed: bool) -> _Statement:
    objs = change.objs
    model: Any = type(objs[0])
    params: list[Any] = []
    if isinstance(change, Increment):
        for obj in objs:
            params += [
                _prepared(f, obj, obj.__dict__[attname], True, connection, kind == _AS_IS)
                for attname, f, kind in _insert_plan(model, True, None)
            ]
        return _Statement(_increment_sql(model, len(objs), change.key, change.add), [params])
    if isinstance(change, Insert):
        numbered = change.numbered
        plan = _insert_plan(model, keyed, numbered.column if numbered else None)
        relations = _relations(model)
        ops = connection.ops
        if numbered is not None:
            group = [_field(model, name).attname for name in numbered.group]
            places = _places(objs, group)
        for index, obj in enumerate(objs):
            _take_related_keys(obj, relations)
            attributes = obj.__dict__
            for attname, column_field, kind in plan:
                value = attributes[attname]
                if (kind == _AS_IS and type(value) in _PLAIN_VALUES) or (kind == _PUBLIC_ID and value):
                    params.append(value)
                elif kind == _MOMENT and value is not None and value.tzinfo is not None:
                    params.append(ops.adapt_datetimefield_value(value))
                elif column_field is None:
                    # The numbered column's value is its group's values and the row's place in it (_insert_sql).
                    params += [*(attributes[name] for name in group), places[index]]
                else:
                    params.append(_prepared(column_field, obj, value, True, connection, kind == _AS_IS))
        sql, returning = _insert_sql(model, len(objs), numbered, keyed)
        return _Statement(sql, [params], returning)
    guard = tuple(change.guard)
    fields = tuple(_field(model, name) for name in change.fields)
    rows = []
    for obj in objs:
        _take_related_keys(obj, [f for f in fields if f.is_relation])
        rows.append(
            [
                *(
                    _prepared(f, obj, getattr(obj, f.attname), False, connection, type(f) in _PLAIN_FIELDS)
                    for f in fields
                ),
                obj.pk,
                *(_field(model, name).get_db_prep_value(change.guard[name], connection) for name in guard),
            ]
        )
    sql = _update_sql(model, change.fields, guard)
    return _Statement(sql, rows, (_quote(model._meta.pk.column),) if guard else ())


def _places(objs: Sequence[Model], group: list[str]) -> list[int]:
    """Each row's place among this write's rows of its group (attribute names): 1, 2..."""
    seen: dict[tuple[Any, ...], int] = {}
    places = []
    for obj in objs:
        key = tuple(getattr(obj, attname) for attname in group)
        seen[key] = seen.get(key, 0) + 1
        places.append(seen[key])
    return places


def _take_related_keys(obj: Model, relations: Sequence[Any]) -> None:
    """As ``save()`` does: a foreign key whose related instance got its key since it was assigned takes it now."""
    cached = obj._state.fields_cache
    for relation in relations:
        related = cached.get(relation.name)
        if related is not None and (related.pk is None or obj.__dict__[relation.attname] != related.pk):
            if related.pk is None:
                raise ValueError(
                    f"{type(obj).__name__}.{relation.name} names an unsaved object that is not being written"
                )
            setattr(obj, relation.attname, related.pk)


# Fields whose stored value is the attribute as it is when it is plain text, a number, a flag or a key: the ORM's
# conversion is skipped for those (exactly these types: a subclass may compute or convert its value).
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
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
_PLAIN_VALUES = frozenset({str, int, bool, type(None)})


def _prepared(column_field: Any, obj: Model, value: Any, add: bool, connection: Any, plain: bool) -> Any:
    """The value to store for ``column_field`` of ``obj`` (``value`` is its attribute)."""
    if not plain and (not add or value is None or value == ""):
        # A field that computes its value (public ids, auto_now): as a save would, except that an insert keeps a
        # value already there (``new`` fills them in when it builds the row, and events may have shown them).
        value = column_field.pre_save(obj, add)
    return column_field.get_db_prep_save(value, connection)


# How an insert reads a column's value: as it is (plain text, numbers, flags, keys), a public id (as it is once set),
# a moment (an aware datetime, adapted as the ORM adapts it) or through the field (anything else).
_AS_IS, _PUBLIC_ID, _MOMENT, _FIELD = range(4)


def _kind(f: Any) -> int:
    if type(f) in _PLAIN_FIELDS:
        return _AS_IS
    if isinstance(f, models.CharField) and hasattr(f, "prefix"):
        return _PUBLIC_ID
    if type(f) is models.DateTimeField:
        return _MOMENT
    return _FIELD


@cache
def _insert_plan(model: type[Model], keyed: bool, numbered: str | None) -> tuple[tuple[str, Any, int], ...]:
    """(attribute, field, how its value is read) per column an insert writes; the numbered column's field is None
    (and it is read as a field, so that no shortcut takes it)."""
    return tuple(
        (f.attname, None, _FIELD) if f.name == numbered else (f.attname, f, _kind(f))
        for f in _insert_columns(model, keyed)
    )


@cache
def _relations(model: type[Model]) -> tuple[Any, ...]:
    return tuple(f for f in model._meta.concrete_fields if f.is_relation)


@cache
def _plan(model: type[Model]) -> tuple[tuple[str, str, Any], ...]:
    return tuple((f.name, f.attname, f) for f in model._meta.concrete_fields)


@cache
def _field(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name)


@cache
def _insert_columns(model: type[Model], keyed: bool = False) -> tuple[Any, ...]:
    """The columns an insert writes: every concrete field, the key too unless the database assigns it (keyed)."""
    return tuple(f for f in model._meta.concrete_fields if not (keyed and f.primary_key))


def _quote(name: Any) -> str:
    return '"' + str(name).replace('"', '""') + '"'  # both databases quote identifiers this way


@lru_cache(maxsize=512)
def _insert_sql(model: type[Model], rows: int, numbered: Numbered | None, keyed: bool) -> tuple[str, tuple[str, ...]]:
    """The statement and the columns it returns: the key (when it is assigned by the insert or a column is numbered)
    and the numbered column."""
    table = _quote(model._meta.db_table)
    fields = _insert_columns(model, keyed)
    values = ["%s"] * len(fields)
    returning: tuple[str, ...] = (_quote(model._meta.pk.column),) if keyed or numbered else ()
    if numbered is not None:
        index = [f.name for f in fields].index(numbered.column)
        column = _quote(fields[index].column)
        group = " AND ".join(f"n.{_quote(_field(model, name).column)} = %s" for name in numbered.group)
        # The group's last stored value, read backwards on the group's index (a MAX would read all of the group),
        # plus the row's place in the group. The statement does not see its own rows, hence the place.
        last = f"SELECT n.{column} FROM {table} n WHERE {group} ORDER BY n.{column} DESC LIMIT 1"  # noqa: S608
        values[index] = f"COALESCE(({last}), 0) + %s"
        returning += (column,)
    row = "(" + ", ".join(values) + ")"
    columns = ", ".join(_quote(f.column) for f in fields)
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)}{back}", returning  # noqa: S608


@lru_cache(maxsize=64)
def _increment_sql(model: type[Model], rows: int, key: tuple[str, ...], add: tuple[str, ...]) -> str:
    sql, _ = _insert_sql(model, rows, None, True)
    table = _quote(model._meta.db_table)
    conflict = ", ".join(_quote(_field(model, name).column) for name in key)
    columns = [_quote(_field(model, name).column) for name in add]
    grow = ", ".join(f"{column} = {table}.{column} + EXCLUDED.{column}" for column in columns)
    insert = sql.removesuffix(" RETURNING " + _quote(model._meta.pk.column))
    return f"{insert} ON CONFLICT ({conflict}) DO UPDATE SET {grow}"


@lru_cache(maxsize=512)
def _update_sql(model: type[Model], names: tuple[str, ...], guard: tuple[str, ...]) -> str:
    table = _quote(model._meta.db_table)
    assignments = ", ".join(f"{_quote(_field(model, name).column)} = %s" for name in names)
    conditions = "".join(f" AND {_quote(_field(model, name).column)} = %s" for name in guard)
    returning = f" RETURNING {_quote(model._meta.pk.column)}" if guard else ""
    pk = _quote(model._meta.pk.column)
    return f"UPDATE {table} SET {assignments} WHERE {pk} = %s{conditions}{returning}"  # noqa: S608


# --- Sending ----------------------------------------------------------------------------------------------------
def _send_one_by_one(statements: list[_Statement], connection: Any) -> list[list[Any]]:
    results: list[list[Any]] = []
    with connection.cursor() as cursor:
        for statement in statements:
            returned: list[Any] = []
            for params in statement.rows:
                cursor.execute(statement.sql, params)
                if statement.returns:
                    returned += cursor.fetchall()
            results.append(returned)
    return results


def _send_pipelined(statements: list[_Statement], connection: Any) -> list[list[Any]]:
    """Every statement sent before any answer is awaited: one round trip, whatever the number of statements.
    Statements that return rows get a cursor each (a cursor holds one result)."""
    connection.ensure_connection()
    returning: list[Any] = []
    with connection.cursor() as cursor, connection.wrap_database_errors, connection.connection.pipeline():
        for statement in statements:
            for params in statement.rows:
                if statement.returns:
                    own = connection.cursor()
                    own.execute(statement.sql, params)
                    returning.append(own)
                else:
                    cursor.execute(statement.sql, params)
    results: list[list[Any]] = []
    readers = iter(returning)
    for statement in statements:
        returned: list[Any] = []
        if statement.returns:
            for _ in statement.rows:
                with next(readers) as own:
                    returned += own.fetchall()
        results.append(returned)
    return results


def _send_as_one(statements: list[_Statement], connection: Any) -> list[list[Any]]:
    """PostgreSQL: the statements as the parts of one ``WITH`` statement: one round trip, one prepared statement per
    shape of write. Each part runs as it would alone (the rows already carry their keys, so no part needs another's
    result) and sees the database as it was before the statement (so a row may be changed by one part only)."""
    parts: list[str] = []
    selects: list[str] = []
    params: list[Any] = []
    for number, statement in enumerate(statements):
        for index, row in enumerate(statement.rows):
            name = f"p{number}_{index}"
            parts.append(f"{name} AS ({statement.sql})")
            if statement.returns:
                columns = [*statement.returning, "NULL", "NULL"][:2]
                selects.append(f"SELECT {number}, {columns[0]}::bigint, {columns[1]}::bigint FROM {name}")  # noqa: S608
            params += row
    if not selects:
        selects.append("SELECT NULL::integer, NULL::bigint, NULL::bigint WHERE false")
    text = _numbered("WITH " + ", ".join(parts) + " " + " UNION ALL ".join(selects))
    results: list[list[Any]] = [[] for _ in statements]
    with _raw_cursor(connection) as cursor:
        cursor.execute(text, params)
        for number, key, value in cursor.fetchall():
            results[number].append((key, value) if len(statements[number].returning) > 1 else (key,))
    return results


@lru_cache(maxsize=256)
def _numbered(statement: str) -> str:
    """``statement`` with PostgreSQL's numbered placeholders ($1, $2...) for its ``%s``. A write's statement is
    longer and has more parameters than psycopg parses once and remembers (4 kB, 50 parameters): sent with ``%s``
    it was parsed again on every transfer (a third of the store's time); numbered here once per shape, it goes
    through a raw cursor as it is. Identifiers and placeholders only: any other ``%`` is refused."""
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
