from typing import Any

from rest_framework import serializers

from apps.core.serializers import OutputSerializer


class CredentialSerializer(OutputSerializer):
    type = serializers.CharField(help_text="`api_key` or `oauth_token`.")
    id = serializers.CharField(help_text="The credential's id (never the secret).")
    scopes = serializers.ListField(child=serializers.CharField())


class PartnerWhoamiSerializer(OutputSerializer):
    object = serializers.CharField(default="partner")
    id = serializers.CharField(source="partner.public_id")
    name = serializers.CharField(source="partner.name")
    environment = serializers.CharField(source="environment.kind", help_text="`sandbox` or `live`.")
    livemode = serializers.SerializerMethodField()
    api_version = serializers.CharField(source="partner.api_version")
    environments = serializers.ListField(child=serializers.CharField(), help_text="Environments the partner has.")
    credential = CredentialSerializer()
    created_at = serializers.DateTimeField(source="partner.created_at")

    def get_livemode(self, obj: Any) -> bool:  # the view's _Whoami (``object`` here is the field above)
        return obj.environment.kind == "live"
