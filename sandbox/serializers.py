"""Request and response shapes of ``/v1/sandbox/...`` (the responses as ``sandbox.snapshots`` builds them)."""

from typing import Any

from rest_framework import serializers

from apps.core.faults import MAX_LATENCY_MS, STATUSES
from apps.core.serializers import InputSerializer, JsonIntegerField, OutputSerializer
from apps.events.types import EVENT_TYPES
from apps.wallets.categories import CATEGORIES
from apps.wallets.currencies import CODES


class ResetSerializer(OutputSerializer):
    object = serializers.CharField(default="sandbox_reset")
    status = serializers.ChoiceField(choices=["pending", "succeeded"])


class ClockSerializer(OutputSerializer):
    object = serializers.CharField(default="sandbox_clock")
    now = serializers.DateTimeField(help_text="The sandbox's time: real time plus `offset_seconds`.")
    offset_seconds = serializers.IntegerField(help_text="How far the sandbox clock runs ahead of real time.")


class ClockAdvanceInputSerializer(InputSerializer):
    seconds = serializers.IntegerField(help_text="How far to move the clock: 1 to 31536000 (a year).")

    # Enforced by the clock (400 ``sandbox_clock_invalid``); stated for the schema.
    schema_rules = {"properties": {"seconds": {"minimum": 1, "maximum": 31_536_000}}}


class DepositInputSerializer(InputSerializer):
    wallet = serializers.CharField(help_text="The sandbox wallet (`wal_...`) the money arrives in.")
    amount = serializers.IntegerField(help_text="Minor units, positive.")
    currency = serializers.CharField(help_text="The wallet's currency.")
    description = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)
    sender_name = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    reference = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)

    # Enforced by the ledger (400 ``amount_invalid``, ``currency_unsupported``); stated for the schema.
    schema_rules = {"properties": {"amount": {"minimum": 1}, "currency": {"enum": CODES}}}


class MerchantSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=list(CATEGORIES), help_text="A transaction category.")


class CardTransactionInputSerializer(InputSerializer):
    wallet = serializers.CharField(help_text="The sandbox wallet (`wal_...`) paying.")
    amount = serializers.IntegerField(help_text="Minor units, positive.")
    currency = serializers.CharField(help_text="The wallet's currency.")
    merchant = MerchantSerializer()

    schema_rules = DepositInputSerializer.schema_rules


class MerchantOutputSerializer(OutputSerializer):
    name = serializers.CharField()
    category = serializers.CharField()


class CardTransactionSerializer(OutputSerializer):
    id = serializers.CharField(help_text="`ctx_...`")
    object = serializers.CharField(default="sandbox_card_transaction")
    environment = serializers.CharField()
    wallet = serializers.CharField()
    status = serializers.ChoiceField(choices=["pending", "posted", "reversed"])
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    merchant = MerchantOutputSerializer()
    transaction = serializers.CharField(
        help_text="The wallet's transaction (`txn_...`): pending, then posted or reversed."
    )
    authorized_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()


class FireInputSerializer(InputSerializer):
    type = serializers.ChoiceField(choices=list(EVENT_TYPES), help_text="Any event type of the catalogue.")


class TransferFailInputSerializer(InputSerializer):
    failure_code = serializers.ChoiceField(
        choices=["bank_account_closed", "funding_source_declined", "insufficient_funds_at_bank", "bank_rejected"],
        required=False,
        default="bank_account_closed",
        help_text="What the bank answers.",
    )


class FaultsSerializer(OutputSerializer):
    object = serializers.CharField(default="sandbox_faults")
    enabled = serializers.BooleanField(help_text="Whether a fault is injected into this sandbox's requests.")
    latency_ms = serializers.IntegerField(help_text="Delay before the answer, in ms (0 when none).")
    status = serializers.IntegerField(allow_null=True, help_text="The status answered instead (500, 503 or 429).")
    rate = serializers.FloatField(help_text="The share of requests the fault applies to (0 to 1).")


class _JsonNumberField(serializers.FloatField):
    """A JSON number: booleans and strings are refused rather than coerced (``false`` is not 0), and so is an
    integer too large for a float."""

    def to_internal_value(self, data: Any) -> float:
        if not isinstance(data, int | float) or isinstance(data, bool):
            self.fail("invalid")
        try:
            return float(data)
        except OverflowError:
            self.fail("invalid")


class FaultsInputSerializer(InputSerializer):
    latency_ms = JsonIntegerField(required=False, default=0, help_text="0 to 10000 ms.")
    status = JsonIntegerField(
        required=False, default=None, allow_null=True, help_text="500, 503 or 429 (null: only the latency)."
    )
    rate = _JsonNumberField(required=False, default=1.0, help_text="0 to 1: the share of requests hit.")

    # What ``apps.core.faults.fault_of`` enforces (a 400 ``sandbox_fault_invalid``), for the schema: the ranges,
    # and a fault asks for a latency, a status or both.
    schema_rules = {
        "properties": {
            "latency_ms": {"minimum": 0, "maximum": MAX_LATENCY_MS},
            "status": {"enum": [*STATUSES, None]},
            "rate": {"minimum": 0, "maximum": 1},
        },
        # Not (no latency and no status): each property only constrains the body when present.
        "not": {"properties": {"latency_ms": {"maximum": 0}, "status": {"type": "null"}}},
    }
