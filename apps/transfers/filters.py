"""The transfer list's query string."""

from rest_framework import serializers

from apps.transfers.models import Transfer
from apps.transfers.selectors import TransferFilters
from apps.wallets.serializers import TimeRangeParameters, _AnyOf


class TransferFiltersInput(TimeRangeParameters):
    """``status`` and ``type`` repeatable; ``wallet`` (from or to); ``from``/``to`` bound ``created_at``."""

    status = _AnyOf(choices=Transfer.Status.values, required=False)
    type = _AnyOf(choices=Transfer.Type.values, required=False)
    wallet = serializers.CharField(required=False, max_length=64, allow_blank=True, trim_whitespace=False)

    def filters(self) -> TransferFilters:
        data = self.validated_data
        return TransferFilters(
            statuses=data.get("status"),
            types=data.get("type"),
            wallet=data.get("wallet"),
            created_from=data.get("from"),
            created_to=data.get("to"),
        )
