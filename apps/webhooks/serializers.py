from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core import versioning
from apps.core.serializers import InputSerializer, OutputSerializer
from apps.events.types import EVENT_TYPES
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint


def _api_versions() -> list[str]:
    return list(versioning.VERSIONS)


@extend_schema_field(
    {
        "type": "object",
        "maxProperties": 20,
        "propertyNames": {"maxLength": 40},
        "additionalProperties": {"type": "string", "maxLength": 500},
    }
)
class MetadataField(serializers.DictField):
    """Up to 20 string keys (40 characters) with string values (500 characters)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=500, allow_blank=True), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        value = super().to_internal_value(data)
        if len(value) > 20:
            raise serializers.ValidationError("At most 20 keys.", code="parameter_invalid")
        if any(len(key) > 40 for key in value):
            raise serializers.ValidationError("Keys are at most 40 characters.", code="parameter_invalid")
        return value


_EVENTS_HELP = '`["*"]` for every event type, or a list of types (see the webhooks guide).'
# What ``validate_event_types`` enforces, for the schema: "*" alone, or known types (apps/core/openapi_contract.py).
_KNOWN_TYPES = {"items": {"type": "string", "enum": list(EVENT_TYPES)}}
_ENABLED_EVENTS_RULE = {"anyOf": [{"items": {"type": "string", "const": "*"}, "maxItems": 1}, _KNOWN_TYPES]}


class EndpointCreateInputSerializer(InputSerializer):
    url = serializers.CharField(
        max_length=2048, help_text="https URL (plain http to localhost only where the deployment allows it)."
    )
    enabled_events = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50, help_text=_EVENTS_HELP
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    api_version = serializers.ChoiceField(choices=_api_versions(), required=False)
    metadata = MetadataField(required=False, default=dict)

    schema_rules = {"properties": {"enabled_events": _ENABLED_EVENTS_RULE}}


class EndpointUpdateInputSerializer(InputSerializer):
    url = serializers.CharField(max_length=2048, required=False)
    enabled_events = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50, required=False, help_text=_EVENTS_HELP
    )
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    api_version = serializers.ChoiceField(choices=_api_versions(), required=False)
    metadata = MetadataField(required=False)
    disabled = serializers.BooleanField(
        required=False, help_text="true stops deliveries (pending ones are canceled); false enables it again."
    )

    schema_rules = {"properties": {"enabled_events": _ENABLED_EVENTS_RULE}}


class RotateSecretInputSerializer(InputSerializer):
    previous_secret_expires_in = serializers.IntegerField(
        min_value=0,
        max_value=7 * 24 * 3600,
        required=False,
        default=24 * 3600,
        help_text="Seconds the old secret keeps signing beside the new one (0 to 604800; default 86400).",
    )


class ReplayInputSerializer(InputSerializer):
    since = serializers.DateTimeField(help_text="RFC 3339; events created at or after this time.")
    until = serializers.DateTimeField(required=False, help_text="RFC 3339; events created before this (default now).")
    types = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=50, help_text="Only these event types."
    )

    schema_rules = {"properties": {"types": _KNOWN_TYPES}}


class ResendInputSerializer(InputSerializer):
    event = serializers.CharField(max_length=40, help_text="The id of the event to send again (evt_...).")


class EndpointSerializer(OutputSerializer):
    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="webhook_endpoint")
    environment = serializers.CharField(source="environment.kind")
    url = serializers.CharField()
    description = serializers.CharField()
    enabled_events = serializers.ListField(child=serializers.CharField())
    api_version = serializers.CharField()
    metadata = serializers.DictField(child=serializers.CharField())
    status = serializers.SerializerMethodField()
    disabled = serializers.BooleanField()
    disabled_reason = serializers.SerializerMethodField(help_text="manual, gone (it answered 410) or failing.")
    created_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "enum": ["enabled", "disabled"]})
    def get_status(self, obj: WebhookEndpoint) -> str:
        return "disabled" if obj.disabled else "enabled"

    @extend_schema_field({"type": ["string", "null"], "enum": ["manual", "gone", "failing", None]})
    def get_disabled_reason(self, obj: WebhookEndpoint) -> str | None:
        return obj.disabled_reason or None


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(
        help_text="whsec_... (Standard Webhooks). Shown only in this response: store it now.",
        allow_null=True,
    )


class EndpointDeletedSerializer(serializers.Serializer):
    id = serializers.CharField()
    object = serializers.CharField(default="webhook_endpoint")
    deleted = serializers.BooleanField(default=True)


class DeliverySerializer(OutputSerializer):
    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="webhook_delivery")
    endpoint = serializers.CharField(source="endpoint.public_id")
    event = serializers.CharField(source="event.public_id")
    event_type = serializers.CharField(source="event.type")
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempts = serializers.IntegerField(help_text="Attempts in the current round.")
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.SerializerMethodField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_last_error(self, obj: WebhookDelivery) -> str | None:
        return obj.last_error or None


class ReplaySerializer(serializers.Serializer):
    object = serializers.CharField(default="webhook_replay")
    endpoint = serializers.CharField(source="endpoint.public_id")
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    types = serializers.ListField(child=serializers.CharField())
    event_count = serializers.IntegerField(help_text="Events queued for delivery.")
    created_at = serializers.DateTimeField()
