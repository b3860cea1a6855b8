"""Serializer bases for request bodies and responses."""

import threading
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
        return super().to_internal_value(data)

    def create(self, validated_data: Any) -> Any:  # pragma: no cover - services write, serializers never save
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


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
