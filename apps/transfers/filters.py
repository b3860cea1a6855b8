"""The transfer list's query string."""

from typing import Any

from rest_framework import serializers

from apps.transfers.models import Transfer
from apps.transfers.selectors import TransferFilters
from apps.wallets.serializers import BookedBoundField, QueryParameters, _AnyOf


class TransferFiltersInput(QueryParameters):
    """``status`` and ``type`` repeatable; ``wallet`` (from or to); ``from``/``to`` bound ``created_at``."""

    status = _AnyOf(choices=Transfer.Status.values, required=False)
    type = _AnyOf(choices=Transfer.Type.values, required=False)
    wallet = serializers.CharField(required=False, max_length=64)
    from_ = BookedBoundField(end_of_day=False, required=False)
    to = BookedBoundField(end_of_day=True, required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # a Python keyword, so it cannot be declared by name
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("from"), attrs.get("to")
        if low is not None and high is not None and low > high:
            message = "`from` is after `to`."
            raise serializers.ValidationError(
                {name: [serializers.ErrorDetail(message, code="parameter_invalid")] for name in ("from", "to")}
            )
        return attrs

    def filters(self) -> TransferFilters:
        data = self.validated_data
        return TransferFilters(
            statuses=data.get("status"),
            types=data.get("type"),
            wallet=data.get("wallet"),
            created_from=data.get("from"),
            created_to=data.get("to"),
        )
