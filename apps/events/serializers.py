from rest_framework import serializers

from apps.core.serializers import OutputSerializer


class EventSerializer(OutputSerializer):
    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="event")
    type = serializers.CharField()
    environment = serializers.CharField(source="environment.kind")
    api_version = serializers.CharField()
    created_at = serializers.DateTimeField()
    sequence = serializers.IntegerField(help_text="Position of this event among the events of the same object.")
    data = serializers.JSONField(  # type: ignore[assignment]
        help_text='`{"object": {...snapshot...}, "previous_attributes": {...}}`'
    )
