"""Request and response shapes of the transfers API. Responses are built by ``apps.transfers.snapshots``; the
output serializers here describe them for the OpenAPI schema (a test keeps the two in step)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.serializers import InputSerializer, JsonIntegerField, OutputSerializer
from apps.risk import scoring
from apps.transfers.fx import MAX_AMOUNT
from apps.transfers.models import Transfer
from apps.wallets.currencies import CODES
from apps.wallets.serializers import MoneySerializer

METADATA_MAX_KEYS = 50
METADATA_KEY_LENGTH = 40
METADATA_VALUE_LENGTH = 500


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_AMOUNT})
class AmountField(JsonIntegerField):
    """A positive JSON integer in minor units. Strings, fractions and booleans are refused rather than coerced:
    ``"1000"`` or ``10.5`` for money is a client bug worth hearing about. ``1000.0`` is the number 1000 (JSON and
    JSON Schema do not tell the two apart), so it is taken as 1000."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_AMOUNT, **kwargs)


@extend_schema_field(
    {
        "type": "object",
        "maxProperties": METADATA_MAX_KEYS,
        "propertyNames": {"minLength": 1, "maxLength": METADATA_KEY_LENGTH},
        "additionalProperties": {"type": "string", "maxLength": METADATA_VALUE_LENGTH},
    }
)
class MetadataField(serializers.DictField):
    """Up to 50 string keys (40 characters) with string values (500 characters), as partners know it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(max_length=METADATA_VALUE_LENGTH, allow_blank=True), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, str]:
        value = super().to_internal_value(data)
        if len(value) > METADATA_MAX_KEYS:
            raise serializers.ValidationError(f"At most {METADATA_MAX_KEYS} keys.", code="parameter_invalid")
        long_keys = [key for key in value if len(key) > METADATA_KEY_LENGTH or not key]
        if long_keys:
            raise serializers.ValidationError(
                f"Keys are 1 to {METADATA_KEY_LENGTH} characters.", code="parameter_invalid"
            )
        return value


class TransferCreateInputSerializer(InputSerializer):
    """`type` decides which fields are needed: p2p (`source` and `destination` wallets, `amount`, `currency`),
    top_up (`destination` wallet, optional `source` funding source, `amount`, `currency`), payout (`source`
    wallet, `destination` bank account, `amount`, `currency`), fx (`quote`, `source` and `destination` wallets)."""

    type = serializers.ChoiceField(choices=Transfer.Type.choices)
    # A field: DRF's metaclass lifts it off the class, so it does not replace Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, max_length=64, help_text="`wal_...` (p2p, payout, fx) or `fs_...` (top_up, optional)."
    )
    destination = serializers.CharField(
        required=False, max_length=64, help_text="`wal_...` (p2p, top_up, fx) or a bank account `fs_...` (payout)."
    )
    amount = AmountField(required=False, help_text="Minor units. Required except for fx (the quote sets it).")
    currency = serializers.CharField(
        required=False, min_length=3, max_length=3, help_text="ISO 4217. Required except for fx."
    )
    quote = serializers.CharField(required=False, max_length=64, help_text="`fxq_...` (fx only).")
    description = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    metadata = MetadataField(required=False, default=dict)

    # What ``validate`` enforces, for the schema (apps/core/openapi_contract.py).
    schema_rules = {
        "properties": {"currency": {"enum": CODES}},
        "oneOf": [
            {"properties": {"type": {"const": "fx"}}, "required": ["quote", "source", "destination"]},
            *(
                {
                    "properties": {"type": {"const": kind}},
                    "required": ["source", "destination", "amount", "currency"],
                    "not": {"required": ["quote"]},
                }
                for kind in ("p2p", "payout")
            ),
            {
                "properties": {"type": {"const": "top_up"}},
                "required": ["destination", "amount", "currency"],
                "not": {"required": ["quote"]},
            },
        ],
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["type"]
        errors: dict[str, list[serializers.ErrorDetail]] = {}
        needed = {"fx": ("quote", "source", "destination"), "top_up": ("destination", "amount", "currency")}.get(
            kind, ("source", "destination", "amount", "currency")
        )
        for name in needed:
            if name not in attrs:
                errors[name] = [serializers.ErrorDetail(f"Required for type {kind}.", code="required")]
        if kind != "fx" and "quote" in attrs:
            errors["quote"] = [serializers.ErrorDetail("Only for type fx.", code="parameter_invalid")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TransferFxSerializer(OutputSerializer):
    quote = serializers.CharField()
    rate = serializers.CharField(help_text="Units of the destination currency per unit of the source, as a string.")
    destination_amount = MoneySerializer()
    fee = MoneySerializer(help_text="In the source currency; part of `amount`.")


class FundingAttemptSerializer(OutputSerializer):
    # A field: DRF's metaclass lifts it off the class, so it does not replace Field.source.
    source = serializers.CharField(help_text="The funding source (`fs_...`) the rail was asked to use.")  # type: ignore[assignment]
    outcome = serializers.ChoiceField(choices=["succeeded", "failed"], help_text="What the rail answered.")
    failure_code = serializers.CharField(
        allow_null=True, help_text="Why the source was refused: funding_source_declined, bank_account_closed."
    )
    at = serializers.DateTimeField(help_text="When the rail answered (the environment's clock).")


class TransferFailureSerializer(OutputSerializer):
    code = serializers.CharField(help_text="Stable code: insufficient_funds_at_bank, review_rejected, ...")
    message = serializers.CharField(allow_null=True, help_text="A sentence for people, never parsed.")


class TransferRiskSerializer(OutputSerializer):
    score = serializers.IntegerField(
        min_value=0, max_value=100, help_text="0-100: the weights of its reasons added up, at most 100 (docs/risk.md)."
    )
    level = serializers.ChoiceField(
        choices=list(scoring.LEVEL_NAMES), help_text="low (score below 40), elevated (from 40), high (from 70)."
    )
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=list(scoring.REASONS)),
        help_text="Generic codes of the rules that added to the score; never any screening or monitoring detail.",
    )


class TransferSerializer(OutputSerializer):
    id = serializers.CharField(help_text="`tr_...`")
    object = serializers.CharField(default="transfer")
    environment = serializers.ChoiceField(choices=["sandbox", "live"])
    type = serializers.ChoiceField(choices=Transfer.Type.choices)
    status = serializers.ChoiceField(choices=Transfer.Status.choices)
    amount = serializers.IntegerField(help_text="Minor units of `currency` leaving the source.")
    currency = serializers.CharField()
    # A field: DRF's metaclass lifts it off the class, so it does not replace Field.source.
    source = serializers.CharField(allow_null=True, help_text="`wal_...`, or the `fs_...` a top-up came from.")  # type: ignore[assignment]
    destination = serializers.CharField(allow_null=True, help_text="`wal_...`, or the bank account `fs_...`.")
    fx = TransferFxSerializer(allow_null=True, help_text="FX transfers: the quote's terms.")
    amount_reversed = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    metadata = serializers.DictField(child=serializers.CharField())
    failure = TransferFailureSerializer(
        allow_null=True,
        help_text="Why it failed; null unless `status` is `failed`. Versions before 2026-12-07 get `failure_code` "
        "and `failure_message` instead (docs/versioning.md).",
    )
    review_reason = serializers.CharField(
        allow_null=True,
        help_text="Why it was held for review: review (its risk score), compliance_hold, over_review_threshold, "
        "new_counterparty.",
    )
    risk = TransferRiskSerializer(
        allow_null=True,
        help_text="Its risk score when it was created (docs/risk.md); null only for transfers made before scoring.",
    )
    mandate = serializers.CharField(
        allow_null=True,
        help_text="The holder's payment mandate (`mdt_...`) that authorised it: set for transfers made with an "
        "OAuth access token, null for a secret key's.",
    )
    funding_attempts = FundingAttemptSerializer(
        many=True,
        help_text="Top-ups and payouts: each funding source the rail tried, oldest first (empty until the rail "
        "answers, and for p2p and FX). A top-up without a named `source` whose first source is refused tries the "
        "holder's next sources in their fallback order: the refusals are listed before the source that paid.",
    )
    created_at = serializers.DateTimeField()


class JournalLineSerializer(OutputSerializer):
    kind = serializers.CharField(help_text="transfer, fx, hold_capture, deposit, transfer_reversal...")
    reversal = serializers.CharField(allow_null=True, help_text="The `trr_...` this line belongs to, if any.")
    account = serializers.CharField(help_text="A wallet id, or a system account: clearing:bank, fees, fx.")
    account_type = serializers.ChoiceField(choices=["wallet", "system"])
    amount = serializers.IntegerField(help_text="Signed minor units; each journal sums to zero per currency.")
    currency = serializers.CharField()
    posted_at = serializers.DateTimeField()


class StatusChangeSerializer(OutputSerializer):
    status = serializers.ChoiceField(choices=Transfer.Status.choices)
    previous_status = serializers.ChoiceField(choices=Transfer.Status.choices, allow_null=True)
    reason = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class TransferDetailSerializer(TransferSerializer):
    journal_lines = JournalLineSerializer(many=True)
    status_history = StatusChangeSerializer(many=True)


class ReversalCreateInputSerializer(InputSerializer):
    amount = AmountField(required=False, help_text="Minor units; by default everything that remains.")
    description = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    metadata = MetadataField(required=False, default=dict)


class ReversalSerializer(OutputSerializer):
    id = serializers.CharField(help_text="`trr_...`")
    object = serializers.CharField(default="transfer_reversal")
    environment = serializers.ChoiceField(choices=["sandbox", "live"])
    transfer = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    metadata = serializers.DictField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


# --- FX quotes --------------------------------------------------------------------------------------------------
class FxQuoteCreateInputSerializer(InputSerializer):
    """Two different currencies and exactly one of `source_amount` and `destination_amount` (minor units)."""

    source_currency = serializers.CharField(max_length=3, help_text="Upper-case ISO 4217 code you pay in.")
    destination_currency = serializers.CharField(max_length=3, help_text="Upper-case ISO 4217 code you receive.")
    source_amount = AmountField(
        required=False, help_text="Minor units to pay, fee included. Send this or `destination_amount`."
    )
    destination_amount = AmountField(
        required=False,
        help_text="Minor units to receive (at least). Send this or `source_amount`.",
    )

    schema_rules = {
        "properties": {
            "source_currency": {"enum": CODES},
            "destination_currency": {"enum": CODES},
        },
        "oneOf": [{"required": ["source_amount"]}, {"required": ["destination_amount"]}],
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("source_amount", "destination_amount") if name in attrs]
        if len(given) != 1:
            code = "parameter_missing" if not given else "parameter_invalid"
            message = "Send exactly one of source_amount and destination_amount."
            raise serializers.ValidationError(
                {
                    name: [serializers.ErrorDetail(message, code=code)]
                    for name in ("source_amount", "destination_amount")
                }
            )
        return attrs


# OpenAPI only: the body is ``apps.transfers.snapshots.fx_quote_snapshot`` (tests hold the two together).
class FxQuoteSerializer(OutputSerializer):
    """A price for converting one currency into another, held for one transfer until `expires_at`."""

    id = serializers.CharField(help_text="`fxq_...`")
    object = serializers.CharField(default="fx_quote")
    environment = serializers.CharField(help_text="`sandbox` or `live`.")
    # A field: DRF's metaclass lifts it off the class, so it does not replace Field.source.
    source = MoneySerializer(help_text="What the transfer takes from the source wallet, fee included.")  # type: ignore[assignment]
    destination = MoneySerializer(help_text="What the transfer puts into the destination wallet.")
    fee = MoneySerializer(help_text="Part of `source`, in the source currency.")
    rate = serializers.CharField(help_text="Mid-market rate as a decimal string: destination units per source unit.")
    expires_at = serializers.DateTimeField(help_text="Use the quote in a transfer before this time.")
    used = serializers.BooleanField(help_text="A transfer has used the quote (each quote is usable once).")
    created_at = serializers.DateTimeField()
