"""Pre-built INSERT and UPDATE statements for the write path.

A transfer writes about a dozen rows; compiling each statement through the ORM cost more Python time than
PostgreSQL spent running it. These helpers build one statement per model and field list (cached), fill it
with the values the ORM itself would store (``pre_save`` for ``auto_now`` fields and public ids, then
``get_db_prep_save``) and leave the instances as a save would: primary key set, no longer "adding". They
bypass model ``save()`` and signals, so they are for plain append-style models on the ledger's path only.
Both databases accept the SQL (``RETURNING`` needs SQLite 3.35, which Django 5.2 requires anyway).

Inside ``apps.core.deferred.deferred_writes()`` on PostgreSQL, ``insert``, ``update`` and ``execute_checked``
do not send their statement at once: the buffer sends it with the transaction's other writes, in one
statement, before the next statement runs (see that module).
"""

from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.db.models.base import ModelState

from apps.core import deferred, rawcursor


def _quote(name: Any) -> str:
    return connection.ops.quote_name(str(name))


# (column index, field, the ORM's converters for it) for each column whose raw value needs converting.
Converters = tuple[tuple[int, Any, list[Any]], ...]


@cache
def _insert_fields(model: type[Model]) -> tuple[Field, ...]:
    """The fields an insert writes."""
    return tuple(field for field in model._meta.concrete_fields if not field.primary_key)


@lru_cache(maxsize=512)
def _insert_sql(model: type[Model], rows: int, vendor: str) -> str:
    """The statement inserting ``rows`` rows of ``model`` and returning their keys. On PostgreSQL its
    placeholders are numbered (``apps.core.rawcursor``): a batch's statement is too long for psycopg to
    remember how it parsed it."""
    meta = model._meta
    fields = _insert_fields(model)
    columns = ", ".join(_quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    statement = (
        f"INSERT INTO {_quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * rows)} "  # noqa: S608 (identifiers from the model)
        f"RETURNING {_quote(meta.pk.column)}"
    )
    return rawcursor.numbered(statement) if vendor == "postgresql" else statement


def insert(objs: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS, computed: deferred.Computed | None = None) -> None:
    """Insert ``objs`` (one model, unsaved) in one statement on database ``using`` and give each its primary key,
    in order. ``computed`` (PostgreSQL only): a column computed in SQL and read back onto the instances."""
    if not objs:
        return
    buffer = deferred.current(using)
    if buffer is not None:
        buffer.insert(objs, computed)
        return
    if computed is not None:
        deferred.send_now(using=using, insert=objs, computed=computed)
        return
    model: Any = type(objs[0])
    fields = _insert_fields(model)
    connection = connections[using]
    params: list[Any] = []
    for obj in objs:
        # As save() does: a related object assigned before it was saved lends its key now (or this raises).
        obj._prepare_related_fields_for_save(operation_name="insert")
        params += [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    statement = _insert_sql(model, len(objs), connection.vendor)
    with rawcursor.cursor(connection) if connection.vendor == "postgresql" else connection.cursor() as cursor:
        cursor.execute(statement, params)
        keys = [key for (key,) in cursor.fetchall()]
    pk = model._meta.pk.attname
    for obj, key in zip(objs, keys, strict=True):
        setattr(obj, pk, key)
        obj._state.adding = False
        obj._state.db = connection.alias


@cache
def _update_sql(model: type[Model], names: tuple[str, ...]) -> tuple[tuple[Any, ...], str]:
    meta = model._meta
    fields: tuple[Any, ...] = tuple(meta.get_field(name) for name in names)
    assignments = ", ".join(f"{_quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {_quote(meta.db_table)} SET {assignments} WHERE {_quote(meta.pk.column)} = %s"  # noqa: S608 (as above)
    return fields, sql


def update(objs: Sequence[Any], names: Sequence[str]) -> None:
    """Write the fields ``names`` of each saved instance in ``objs`` (one model), as
    ``save(update_fields=names)`` would (``auto_now`` fields among them get the current time). One statement
    per row, sent together."""
    if not objs:
        return
    buffer = deferred.current()
    if buffer is not None:
        buffer.update(objs, tuple(names))
        return
    fields, sql = _update_sql(objs[0].__class__, tuple(names))
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="save", fields=fields)
        rows.append([*(field.get_db_prep_save(field.pre_save(obj, False), connection) for field in fields), obj.pk])
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def execute_checked(statement: str, params: list[Any], check: Callable[[int], None]) -> None:
    """Run ``statement`` (a write with ``RETURNING``) and call ``check`` with the number of rows it returned;
    deferred with the other writes inside ``deferred_writes()``, where ``check`` runs once they are sent."""
    buffer = deferred.current()
    if buffer is not None:
        buffer.check(statement, params, check)
        return
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        count = len(cursor.fetchall())
    check(count)


def converters_for(fields: Sequence[Any]) -> Converters:
    """The ORM's conversions of what the driver returns for ``fields`` (SQLite's naive datetimes made aware, JSON
    text parsed...), for the columns that need one."""
    return tuple(
        (index, field, found)
        for index, field in enumerate(fields)
        if (found := connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(connection))
    )


def convert(row: list[Any], converters: Converters) -> list[Any]:
    """Apply ``converters`` (from ``converters_for``) to ``row`` in place; returns it."""
    for index, field, functions in converters:
        for function in functions:
            row[index] = function(row[index], field.cached_col, connection)
    return row


@cache
def _select_sql(model: type[Model], names: tuple[str, ...], where: str) -> tuple[str, Converters]:
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in names]
    columns = ", ".join(_quote(field.column) for field in fields)
    return f"SELECT {columns} FROM {_quote(meta.db_table)} WHERE {where}", converters_for(fields)  # noqa: S608


def values(model: type[Model], names: Sequence[str], *, where: str, params: Sequence[Any]) -> list[list[Any]]:
    """The fields ``names`` of ``model``'s rows matching ``where`` (SQL on its columns, with ``%s`` for
    ``params``), converted as the ORM's ``values_list`` would convert them."""
    sql, converters = _select_sql(model, tuple(names), where)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [convert(list(row), converters) for row in cursor.fetchall()]


def values_then(
    model: type[Model],
    names: Sequence[str],
    *,
    where: str,
    params: Sequence[Any],
    then: Callable[[list[list[Any]]], None],
) -> None:
    """``then(values(model, names, where=..., params=...))``; inside ``deferred_writes()`` on PostgreSQL the query
    rides on the statement that sends the pending writes (one round trip fewer) and ``then`` runs once they are
    sent. The rows come back as JSON there, so only fields whose JSON form is their value: keys, numbers,
    text, flags and JSON."""
    buffer = deferred.current()
    if buffer is None:
        then(values(model, names, where=where, params=params))
        return
    sql, _ = _select_sql(model, tuple(names), where)
    buffer.read(sql, list(params), _read_columns(model, tuple(names)), then)


@cache
def _read_columns(model: type[Model], names: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of the fields ``names``, which a read riding on the statement of writes can return as JSON."""
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    if not all(deferred.json_as_is(field) for field in fields):
        raise ValueError(f"values_then reads only fields whose JSON form is their value, not {names}")
    return tuple(str(field.column) for field in fields)


@cache
def _new_plan(model: type[Model]) -> tuple[tuple[str, str, Any], ...]:
    return tuple((field.name, field.attname, field) for field in model._meta.concrete_fields)


def new(model: type[Model], **values: Any) -> Any:
    """An unsaved ``model(**values)`` built without ``Model.__init__``'s general keyword handling (a tenth of a
    transfer's Python time went to building its rows that way): each field takes its value, a related object
    by name (cached, its key copied) or its default. For the write path's plain rows only: no model signals
    are sent, and every keyword must name a field."""
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attributes = obj.__dict__
    remaining = len(values)
    for name, attname, model_field in _new_plan(model):
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
        known = {name for plan in _new_plan(model) for name in plan[:2]}
        raise TypeError(f"{model.__name__} has no field {sorted(set(values) - known)}")
    return obj
