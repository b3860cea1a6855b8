"""The consents API's shapes: the query string of the list, and the consent and mandate objects as the OpenAPI
reference describes them (the responses themselves are ``snapshots.consent_snapshot``; a test keeps the two
equal)."""

from rest_framework import serializers

from apps.core.serializers import OutputSerializer
from apps.oauth_clients.models import Consent, Mandate
from apps.wallets.serializers import QueryParameters


class ConsentFiltersInput(QueryParameters):
    """``status`` and ``holder`` filter the list; ``limit`` and ``starting_after`` page it."""

    status = serializers.ChoiceField(choices=Consent.Status.values, required=False)
    holder = serializers.CharField(required=False, max_length=64)


class MandateSerializer(OutputSerializer):
    id = serializers.CharField(help_text="`mdt_...`")
    object = serializers.CharField(default="mandate")
    kind = serializers.ChoiceField(choices=Mandate.Kind.choices)
    payee = serializers.CharField(
        allow_null=True, help_text="The `wal_...` or `fs_...` it pays; null: any payee (standing only)."
    )
    payee_name = serializers.CharField(allow_null=True, help_text="The payee as the holder saw it when approving.")
    currency = serializers.CharField()
    amount = serializers.IntegerField(allow_null=True, help_text="single_payment: the exact amount (minor units).")
    max_per_payment = serializers.IntegerField(allow_null=True, help_text="standing: the most one payment may be.")
    max_per_period = serializers.IntegerField(allow_null=True, help_text="standing: the most per `period`.")
    period = serializers.ChoiceField(choices=Mandate.Period.choices, allow_null=True)
    step_up_threshold = serializers.IntegerField(
        allow_null=True, help_text="standing: above this, a payment needs a single-payment authorisation."
    )
    expires_at = serializers.DateTimeField(allow_null=True)
    used_at = serializers.DateTimeField(allow_null=True, help_text="single_payment: when it was used.")
    created_at = serializers.DateTimeField()


class ConsentSerializer(OutputSerializer):
    id = serializers.CharField(help_text="`cons_...`")
    object = serializers.CharField(default="consent")
    environment = serializers.ChoiceField(choices=["sandbox", "live"])
    status = serializers.ChoiceField(choices=Consent.Status.choices)
    application = serializers.CharField(help_text="The app's client id.")
    holder = serializers.CharField(help_text="`ph_...`")
    wallets = serializers.ListField(child=serializers.CharField(), help_text="The wallets the holder shared.")
    scopes = serializers.ListField(child=serializers.CharField())
    mandates = MandateSerializer(many=True)
    expires_at = serializers.DateTimeField()
    authorized_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_by = serializers.ChoiceField(choices=["holder", "partner", "bank"], allow_null=True)
    created_at = serializers.DateTimeField()
