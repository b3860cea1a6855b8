"""Serializer bases for request bodies and responses."""

from typing import Any

from rest_framework import serializers


class InputSerializer(serializers.Serializer):
    """A request body: refuses fields it does not declare (``parameter_unknown``) instead of ignoring them,
    so a typo in a field name is an error rather than a silently dropped parameter."""

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


class OutputSerializer(serializers.Serializer):
    """A response object: ``id`` is the public id, ``object`` names the type, ``created_at`` is RFC 3339 UTC."""

    def create(self, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise NotImplementedError
