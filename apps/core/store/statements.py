"""The statements of a write: keys drawn for its new rows, then one fixed INSERT, UPDATE or upsert per change, built
from the models and cached by shape (identifiers from the models, values always parameters)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.db import connections, models
from django.db.models import Model

from apps.core.models import PublicIdField
from apps.core.store.changes import Increment, Insert, Numbered, Update, field_of


# --- Keys -------------------------------------------------------------------------------------------------------
def draw_keys(inserts: list[Insert], connection: Any) -> None:
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
            cursor.execute(_postgresql_keys_sql(models_, tuple(counts), connection.alias))
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
def _postgresql_keys_sql(models_: tuple[type[Model], ...], counts: tuple[int, ...], alias: str) -> str:
    """The draw for this shape of write, its counts written in (numbers the store computed, never input): with a
    parameter for the count, PostgreSQL planned the statement again on every execution (a generic plan cannot
    know how many rows ``generate_series`` makes), which cost it more than running it."""
    template = "ARRAY(SELECT nextval('{}'::regclass) FROM generate_series(1, {:d}))"
    arrays = ", ".join(
        template.format(_sequence(model, alias), count) for model, count in zip(models_, counts, strict=True)
    )
    return f"SELECT {arrays}"


# Security scan (bandit B608, "nosec B608" below): the SQL text built here holds only identifiers taken from model
# metadata, quoted, and placeholders; every value is a bound parameter, so no input reaches the statement text.
def _sqlite_keys(model: type[Model], count: int, connection: Any) -> list[int]:
    """``count`` keys from SQLite's AUTOINCREMENT counter of ``model``'s table. SQLite has one writer at a time and
    this runs inside its write transaction, so no other writer can draw the same keys."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq", [count, table])
        row = cursor.fetchone()
        if row is None:  # no row inserted yet: the counter starts at the largest key
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            (last,) = cursor.fetchone()
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last + count])
            row = (last + count,)
    return list(range(row[0] - count + 1, row[0] + 1))


# --- Statements -------------------------------------------------------------------------------------------------
@dataclass
class Statement:
    sql: str
    rows: list[list[Any]]  # one parameter list per execution
    returning: tuple[str, ...] = ()  # the columns it returns, the key first

    @property
    def returns(self) -> bool:
        return bool(self.returning)


def statement_for(change: Insert | Update | Increment, connection: Any, keyed: bool) -> Statement:
    objs = change.objs
    model: Any = type(objs[0])
    if isinstance(change, Increment):
        params = _insert_params(objs, _insert_plan(model, True, None), connection)
        return Statement(_increment_sql(model, len(objs), change.key, change.add), [params])
    if isinstance(change, Insert):
        numbered = change.numbered
        plan = _insert_plan(model, keyed, numbered.column if numbered else None)
        params = _insert_params(objs, plan, connection, numbered)
        sql, returning = _insert_sql(model, len(objs), numbered, keyed)
        return Statement(sql, [params], returning)
    fields = tuple(field_of(model, name) for name in change.fields)
    relations = [f for f in fields if f.is_relation]
    plain = [type(f) in _PLAIN_FIELDS for f in fields]
    guard = [field_of(model, name).get_db_prep_value(value, connection) for name, value in change.guard.items()]
    rows = []
    for obj in objs:
        _take_related_keys(obj, relations)
        values = [
            _prepared(f, obj, getattr(obj, f.attname), False, connection, is_plain)
            for f, is_plain in zip(fields, plain, strict=True)
        ]
        rows.append([*values, obj.pk, *guard])
    sql = _update_sql(model, change.fields, tuple(change.guard))
    return Statement(sql, rows, (_quote(model._meta.pk.column),) if change.guard else ())


def _insert_params(
    objs: Sequence[Model], plan: tuple[tuple[str, Any, int], ...], connection: Any, numbered: Numbered | None = None
) -> list[Any]:
    """The parameters of a multi-row insert of ``objs``, column by column as ``plan`` reads them."""
    model = type(objs[0])
    relations = _relations(model)
    ops = connection.ops
    if numbered is not None:
        group = [field_of(model, name).attname for name in numbered.group]
        places = _places(objs, group)
    params: list[Any] = []
    for index, obj in enumerate(objs):
        _take_related_keys(obj, relations)
        attributes = obj.__dict__
        for attname, column_field, kind in plan:
            value = attributes[attname]
            if (kind == _AS_IS and _as_is(column_field, value)) or (kind == _PUBLIC_ID and value):
                params.append(value)
            elif kind == _MOMENT and value is not None and value.tzinfo is not None:
                params.append(ops.adapt_datetimefield_value(value))
            elif column_field is None:
                # The numbered column's value is its group's values and the row's place in it (_insert_sql).
                params += [*(attributes[name] for name in group), places[index]]
            else:
                params.append(_prepared(column_field, obj, value, True, connection, kind == _AS_IS))
    return params


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
    if not cached:
        return
    for relation in relations:
        related = cached.get(relation.name)
        if related is None:
            continue
        key = related.pk
        if key is None:
            raise ValueError(f"{type(obj).__name__}.{relation.name} names an unsaved object that is not being written")
        if obj.__dict__[relation.attname] != key:
            setattr(obj, relation.attname, key)


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
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
)
# The values each of those fields stores unconverted: text fields any ``str`` (a ``TextChoices`` member too: their
# conversion returns it as it is), flags a bool, the others (numbers and keys) an int; None for any of them.
_TEXT_FIELDS = frozenset({models.CharField, models.TextField, models.EmailField})
_NONE = type(None)


def _as_is(column_field: Any, value: Any) -> bool:
    kind = type(column_field)
    if kind in _TEXT_FIELDS:
        return value is None or isinstance(value, str)
    return type(value) in ((bool, _NONE) if kind is models.BooleanField else (int, _NONE))


def _prepared(column_field: Any, obj: Model, value: Any, add: bool, connection: Any, plain: bool) -> Any:
    """The value to store for ``column_field`` of ``obj`` (``value`` is its attribute)."""
    if plain and _as_is(column_field, value):
        return value
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
    if isinstance(f, PublicIdField):
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
        group = " AND ".join(f"n.{_quote(field_of(model, name).column)} = %s" for name in numbered.group)
        # The group's last stored value, read backwards on the group's index (a MAX would read all of the group),
        # plus the row's place in the group. The statement does not see its own rows, hence the place.
        last = f"SELECT n.{column} FROM {table} n WHERE {group} ORDER BY n.{column} DESC LIMIT 1"  # noqa: S608  # nosec B608
        values[index] = f"COALESCE(({last}), 0) + %s"
        returning += (column,)
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    return _values_sql(model, fields, values, rows) + back, returning


def _values_sql(model: type[Model], fields: Sequence[Any], values: Sequence[str], rows: int) -> str:
    """``INSERT INTO <table> (<fields>) VALUES (<values>), ...`` for ``rows`` rows."""
    row = "(" + ", ".join(values) + ")"
    columns = ", ".join(_quote(f.column) for f in fields)
    return f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES {', '.join([row] * rows)}"  # noqa: S608  # nosec B608


@lru_cache(maxsize=64)
def _increment_sql(model: type[Model], rows: int, key: tuple[str, ...], add: tuple[str, ...]) -> str:
    fields = _insert_columns(model, True)
    table = _quote(model._meta.db_table)
    conflict = ", ".join(_quote(field_of(model, name).column) for name in key)
    columns = [_quote(field_of(model, name).column) for name in add]
    grow = ", ".join(f"{column} = {table}.{column} + EXCLUDED.{column}" for column in columns)
    insert = _values_sql(model, fields, ["%s"] * len(fields), rows)
    return f"{insert} ON CONFLICT ({conflict}) DO UPDATE SET {grow}"  # nosec B608


@lru_cache(maxsize=512)
def _update_sql(model: type[Model], names: tuple[str, ...], guard: tuple[str, ...]) -> str:
    table = _quote(model._meta.db_table)
    assignments = ", ".join(f"{_quote(field_of(model, name).column)} = %s" for name in names)
    conditions = "".join(f" AND {_quote(field_of(model, name).column)} = %s" for name in guard)
    returning = f" RETURNING {_quote(model._meta.pk.column)}" if guard else ""
    pk = _quote(model._meta.pk.column)
    return f"UPDATE {table} SET {assignments} WHERE {pk} = %s{conditions}{returning}"  # noqa: S608  # nosec B608
