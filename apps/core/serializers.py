"""Serializer bases for request bodies and responses."""

import re
import threading
from decimal import Decimal
from typing import Any

from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

# Each thread's bound fields of each top-level input serializer class (see ``InputSerializer.fields``).
_reused = threading.local()


class InputSerializer(serializers.Serializer):
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter."""

    # (Not in the docstring: that is the schema's description of every body without its own.) A top-level input
    # serializer builds its fields once per thread and class instead of deep-copying every declared field on each
    # request (DRF's default, a tenth of a transfer's time in Python). That is safe because validating keeps no
    # state on the fields, input serializers get no ``context``, and one thread validates one body at a time; the
    # reused fields are re-pointed at the serializer using them.
    @cached_property
    def fields(self) -> BindingDict:
        if self.parent is not None or self._context:
            return super().fields
        cache: dict[type, BindingDict] | None = getattr(_reused, "fields", None)
        if cache is None:
            cache = _reused.fields = {}
        fields = cache.get(type(self))
        if fields is None:
            fields = cache[type(self)] = super().fields
        else:
            fields.serializer = self
            for field in fields.values():
                field.parent = self
        return fields

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail("Unknown parameter.", code="parameter_unknown")]
                        for name in unknown
                    }
                )
            mistyped = {
                name: detail
                for name, field in self.fields.items()
                if name in data and (detail := _mistyped(field, data[name]))
            }
            if mistyped:
                raise serializers.ValidationError(mistyped)
        return super().to_internal_value(data)

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - services write, serializers never save
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


def decimal_pattern(field: serializers.DecimalField) -> str:
    """The decimal strings ``field`` takes, as a regular expression (the schema states it, ``json_type_error``
    enforces it): digits with an optional fraction, no sign, exponent, spaces or leading zeros, at most its
    digits before and after the point, and above zero when its ``min_value`` is."""
    places = field.decimal_places or 0
    whole = (field.max_digits or 18) - places
    fraction = f"(?:\\.[0-9]{{1,{places}}})?" if places else ""
    if not _positive(field):
        return f"^(?:0|[1-9][0-9]{{0,{whole - 1}}}){fraction}$"
    # Above zero: a non-zero whole part, or 0 and a fraction with a non-zero digit in it.
    small = "|".join(
        f"{'0' * zeros}[1-9]" + (f"[0-9]{{0,{places - zeros - 1}}}" if zeros < places - 1 else "")
        for zeros in range(places)
    )
    return f"^(?:[1-9][0-9]{{0,{whole - 1}}}{fraction}" + (f"|0\\.(?:{small})" if places else "") + ")$"


def json_type_error(field: serializers.Field, value: Any) -> str | None:
    """Why ``value`` is not the JSON type ``field``'s schema states, if it is not. DRF turns numbers into text
    (``0`` into ``"0"``) and reads decimals from floats and loosely written strings (``" +1e2"``); a request
    body is held to its schema instead, so the schema is the whole rule a client has to follow. A decimal is a
    string matching ``decimal_pattern`` or a whole JSON number (never a fraction as a float: it cannot hold 0.1)."""
    if value is None:
        return None
    if isinstance(field, serializers.DecimalField):
        if (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        ):
            return None  # a whole number (JSON does not tell 5 from 5.0); its range is DRF's check
        if not isinstance(value, str) or not re.fullmatch(decimal_pattern(field), value):
            return 'A decimal string such as "12.5", or an integer' + (" above zero." if _positive(field) else ".")
    elif isinstance(field, serializers.CharField) and not isinstance(value, str):
        return "Must be a string."
    return None


def _mistyped(field: serializers.Field, value: Any) -> Any:
    """The validation detail for ``value`` if it is not the JSON type ``field`` states, else None. In a list or
    an object of strings, each item that is not a string is named (``metadata.order``, ``tags[2]``), as DRF's
    own item errors are."""
    if isinstance(field, serializers.ListField | serializers.DictField) and isinstance(
        field.child, serializers.CharField
    ):
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        bad = {key: [_invalid("Must be a string.")] for key, item in items if not isinstance(item, str)}
        if not bad:
            return None
        # DRF's shapes: an object's errors by key, a list's as a list with an empty entry for each good item.
        return bad if isinstance(value, dict) else [bad.get(index, []) for index in range(len(value))]
    message = json_type_error(field, value)
    return [_invalid(message)] if message else None


def _invalid(message: str) -> serializers.ErrorDetail:
    return serializers.ErrorDetail(message, code="invalid")


def _positive(field: serializers.DecimalField) -> bool:
    return field.min_value is not None and Decimal(field.min_value) > 0


class JsonIntegerField(serializers.IntegerField):
    """A JSON integer: booleans and strings are refused rather than coerced (``true`` is not 1, ``"5"`` is not 5:
    a client bug worth hearing about). ``5.0`` is the number 5 (JSON and JSON Schema do not tell the two apart)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, float) and data.is_integer() and abs(data) <= 2**63:
            data = int(data)
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class OutputSerializer(serializers.Serializer):
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC."""

    def create(self, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError
