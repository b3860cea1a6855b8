"""What a write is made of: new rows (``Insert``), changed fields (``Update``), running counters (``Increment``),
and how a row is built for it (``new``)."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models
from django.db.models import Model
from django.db.models.base import ModelState
from django.utils import timezone

from apps.core.models import PublicIdField


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


def new(model: type[Model], **values: Any) -> Any:
    """An unsaved ``model(**values)``: each field takes its value (a related object by its name, its key by the
    attribute name) or its default. Builds the instance directly rather than through ``Model.__init__``'s general
    keyword handling, which cost a tenth of a transfer's Python time for its dozen rows; sends no ``pre_init`` /
    ``post_init`` signals (none of the money path's models use them). Unknown keywords are a ``TypeError``."""
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attributes = obj.__dict__
    remaining = len(values)
    for name, attname, model_field, default in _plan(model):
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
            attributes[attname] = model_field.get_default() if default is _DECLARED else default
    if remaining:
        known = {name for plan in _plan(model) for name in plan[:2]}
        raise TypeError(f"{model.__name__} has no field {sorted(set(values) - known)}")
    # What the row will hold is known now, as after a save: its public id and its creation and update times (one
    # reading of the clock for all of them, as one save's would be but for microseconds).
    now = None
    for model_field, moment in _filled_on_build(model):
        if not attributes[model_field.attname]:
            if moment:
                attributes[model_field.attname] = now = now or timezone.now()
            else:
                model_field.pre_save(obj, True)
    return obj


@cache
def _filled_on_build(model: type[Model]) -> tuple[tuple[Any, bool], ...]:
    """The fields a row fills in when it is built, each with whether it takes the current time (``auto_now`` and
    ``auto_now_add`` date-times; dates and public ids are filled in by the field)."""
    return tuple(
        (f, isinstance(f, models.DateTimeField))
        for f in model._meta.concrete_fields
        if (isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)) or isinstance(f, PublicIdField)
    )


# A field with a declared default (a value or a callable) asks for it on every row; one without has a fixed one
# (None, or "" for text that is not nullable), read once.
_DECLARED = object()


@cache
def _plan(model: type[Model]) -> tuple[tuple[str, str, Any, Any], ...]:
    return tuple(
        (f.name, f.attname, f, _DECLARED if f.has_default() or f.has_db_default() else f.get_default())
        for f in model._meta.concrete_fields
    )


@cache
def field_of(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name)
