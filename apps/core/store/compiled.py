"""Reads the ORM compiles once: ``compile`` a ``values_list`` queryset with sentinels where a call's values go, then
``run`` it with each call's values."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


@dataclass(frozen=True)
class Compiled:
    """A query the ORM compiled once, to be run again with other values (``run``). Built by ``compile`` from a
    ``values_list`` queryset whose filters hold sentinels where a call's values go."""

    sql: str
    slots: tuple[tuple[int, Any], ...]  # per parameter: (index of the call's value, None) or (-1, the constant)
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]  # (column, the ORM's conversions, expression)

    def bind(self, values: Sequence[Any]) -> list[Any]:
        """The statement's parameters with ``values`` in place of its sentinels (to run it, or to send it as a
        subquery of another statement)."""
        return [values[index] if index >= 0 else constant for index, constant in self.slots]


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
    params = compiled.bind(values)
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = [list(row) for row in cursor.fetchall()]
    for row in rows:
        for index, functions, expression in compiled.converters:
            for function in functions:
                row[index] = function(row[index], expression, connection)
    return rows
