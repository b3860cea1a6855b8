"""Request bodies and query strings of the offers, points and insights API, and the response shapes for the
reference (the bodies themselves are the dictionaries of ``snapshots.py``; tests hold the two together)."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.serializers import InputSerializer, OutputSerializer
from apps.offers.models import Offer
from apps.offers.services.offers import OfferSpec
from apps.wallets import currencies
from apps.wallets.categories import CATEGORIES


@extend_schema_field({"type": "string", "enum": currencies.CODES})
class CurrencyField(serializers.CharField):
    """An upper-case ISO 4217 code the platform supports (or ``XPT``, points)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_length=3, max_length=3, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        if not currencies.is_supported(value):
            raise serializers.ValidationError(f"Unsupported currency {value!r}.", code="currency_unsupported")
        return value


def _from_keyword(fields: dict[str, Any]) -> dict[str, Any]:
    """``from`` is a Python keyword: declared as ``from_``, named ``from`` in the same place."""
    return {("from" if name == "from_" else name): field for name, field in fields.items()}


# --- Insights ---------------------------------------------------------------------------------------------------
class InsightsParameters(InputSerializer):
    from_ = serializers.DateField(required=False, help_text="First day (default: 89 days before `to`).")
    to = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")
    currency = CurrencyField(required=False, help_text="Default: the holder's first money wallet's currency.")

    def get_fields(self) -> dict[str, Any]:
        return _from_keyword(super().get_fields())


class CategoryInsightSerializer(OutputSerializer):
    category = serializers.CharField()
    amount = serializers.IntegerField(help_text="Spent in the window, minor units.")
    count = serializers.IntegerField()
    previous_amount = serializers.IntegerField(help_text="Spent in the previous period of the same length.")
    change = serializers.IntegerField(help_text="`amount - previous_amount`.")
    change_percent = serializers.CharField(allow_null=True, help_text="Decimal string; `null` when nothing before.")


class CashFlowSerializer(OutputSerializer):
    month = serializers.CharField(help_text="`YYYY-MM`.")
    income = serializers.IntegerField()
    spending = serializers.IntegerField()
    net = serializers.IntegerField()


class RecurringSerializer(OutputSerializer):
    merchant = serializers.CharField()
    category = serializers.CharField()
    direction = serializers.CharField(help_text="`in` or `out`.")
    amount = serializers.IntegerField(help_text="Typical (median) amount, minor units.")
    cadence = serializers.CharField(help_text="`weekly`, `monthly` or `yearly`.")
    occurrences = serializers.IntegerField()
    last_at = serializers.CharField()
    next_expected_at = serializers.CharField()


class InsightsSerializer(OutputSerializer):
    object = serializers.CharField(default="insights")
    holder = serializers.CharField()
    currency = serializers.CharField()
    from_ = serializers.CharField()
    to = serializers.CharField()
    income = serializers.IntegerField(help_text="Money in (not refunds), minor units.")
    spending = serializers.IntegerField(help_text="Money out (not reversed payments), minor units.")
    refunds = serializers.IntegerField(help_text="Merchant refunds received, minor units.")
    by_category = CategoryInsightSerializer(many=True)
    cash_flow = CashFlowSerializer(many=True)
    recurring = RecurringSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        return _from_keyword(super().get_fields())


def _category(value: str) -> None:
    if value not in CATEGORIES:
        raise serializers.ValidationError(f"Not a category ({', '.join(CATEGORIES)}).", code="invalid_choice")


def _reward_type(value: str) -> None:
    if value not in Offer.RewardType.values:
        raise serializers.ValidationError(f"One of {', '.join(Offer.RewardType.values)}.", code="invalid_choice")


# --- Offers -----------------------------------------------------------------------------------------------------
class MerchantInput(InputSerializer):
    name = serializers.CharField(
        max_length=200, help_text="Matched against the card payment's merchant name, ignoring case."
    )
    category = serializers.CharField(
        validators=[_category],
        required=False,
        allow_null=True,
        help_text="If set, the payment's category must be this one.",
    )

    schema_rules = {"properties": {"category": {"enum": [*CATEGORIES, None]}}}


# A decimal string (``decimal_pattern``: no sign or leading zeros) above 100.
_OVER_100 = "^(?:[1-9][0-9]{3,}|[2-9][0-9]{2}|1[1-9][0-9]|10[1-9]|100\\.[0-9]*[1-9])"


class RewardInput(InputSerializer):
    type = serializers.CharField(
        validators=[_reward_type], help_text="`cashback_percent`, `cashback_fixed` or `points`."
    )
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="cashback_percent: a percentage (up to 2 decimals, at most 100); cashback_fixed: minor units; "
        "points: points per purchase.",
    )
    cap = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="cashback_percent only: the most one purchase earns (minor units).",
    )

    # What ``validate`` enforces, for the schema: a percentage is at most 100, the other rewards are whole numbers.
    schema_rules = {
        "properties": {"type": {"enum": Offer.RewardType.values}},
        "not": {
            "anyOf": [
                {
                    "required": ["type", "value"],
                    "properties": {
                        "type": {"const": Offer.RewardType.CASHBACK_PERCENT},
                        "value": {
                            "anyOf": [{"type": "integer", "minimum": 101}, {"type": "string", "pattern": _OVER_100}]
                        },
                    },
                },
                {
                    "required": ["type", "value"],
                    "properties": {
                        "type": {"enum": [Offer.RewardType.CASHBACK_FIXED, Offer.RewardType.POINTS]},
                        "value": {"type": "string", "pattern": "\\.[0-9]*[1-9]"},
                    },
                },
            ]
        },
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        value = attrs["value"]
        if attrs["type"] == Offer.RewardType.CASHBACK_PERCENT:
            if value > 100:
                raise serializers.ValidationError({"value": "At most 100 percent."}, code="reward_too_high")
            attrs["value"] = int(value * 100)
        elif value != value.to_integral_value():
            raise serializers.ValidationError(
                {"value": "A whole number of minor units or points."}, code="parameter_invalid"
            )
        else:
            attrs["value"] = int(value)
        return attrs


class MoneyInput(InputSerializer):
    amount = serializers.IntegerField(min_value=1)
    currency = CurrencyField()


class TargetingInput(InputSerializer):
    categories = serializers.ListField(
        child=serializers.CharField(validators=[_category]), required=False, max_length=18
    )
    min_spend_90d = serializers.IntegerField(
        required=False, min_value=0, help_text="Minor units spent in those categories in the last 90 days."
    )

    schema_rules = {"properties": {"categories": {"items": {"type": "string", "enum": list(CATEGORIES)}}}}


class OfferCreateInput(InputSerializer):
    merchant = MerchantInput()
    reward = RewardInput()
    min_spend = serializers.IntegerField(required=False, default=0, min_value=0)
    currency = CurrencyField()
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    per_holder_limit = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1000)
    budget = MoneyInput()
    targeting = TargetingInput(required=False)
    metadata = serializers.DictField(required=False, default=dict)


def offer_spec(data: dict[str, Any]) -> OfferSpec:
    """The service's view of a validated ``OfferCreateInput`` body."""
    targeting = data.get("targeting") or {}
    return OfferSpec(
        merchant_name=data["merchant"]["name"],
        merchant_category=data["merchant"].get("category") or "",
        reward_type=data["reward"]["type"],
        reward_value=data["reward"]["value"],
        reward_cap=data["reward"].get("cap"),
        min_spend=data["min_spend"],
        currency=data["currency"],
        budget=data["budget"]["amount"],
        budget_currency=data["budget"]["currency"],
        starts_at=data.get("starts_at"),
        ends_at=data.get("ends_at"),
        per_holder_limit=data["per_holder_limit"],
        target_categories=targeting.get("categories", []),
        target_min_spend_90d=targeting.get("min_spend_90d", 0),
        metadata=data["metadata"],
    )


class OfferUpdateInput(InputSerializer):
    ends_at = serializers.DateTimeField(required=False)
    budget = MoneyInput(required=False)
    per_holder_limit = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    targeting = TargetingInput(required=False)
    metadata = serializers.DictField(required=False)

    def changes(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        targeting = data.pop("targeting", None)
        if targeting is not None:
            if "categories" in targeting:
                data["target_categories"] = sorted(set(targeting["categories"]))
            if "min_spend_90d" in targeting:
                data["target_min_spend_90d"] = targeting["min_spend_90d"]
        return data


class OfferFundingInput(InputSerializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12)
    currency = CurrencyField()


class _Merchant(OutputSerializer):
    name = serializers.CharField()
    category = serializers.CharField(allow_null=True)


class _Reward(OutputSerializer):
    type = serializers.CharField(
        validators=[_reward_type], help_text="`cashback_percent`, `cashback_fixed` or `points`."
    )
    value = serializers.JSONField(help_text="A decimal string (percent) for cashback_percent, else an integer.")
    cap = serializers.IntegerField(allow_null=True)


class _Money(OutputSerializer):
    amount = serializers.IntegerField()
    currency = serializers.CharField()


class _Targeting(OutputSerializer):
    categories = serializers.ListField(child=serializers.CharField())
    min_spend_90d = serializers.IntegerField()


class OfferSerializer(OutputSerializer):
    id = serializers.CharField()
    object = serializers.CharField(default="offer")
    environment = serializers.CharField()
    status = serializers.CharField(help_text="`active`, `paused`, `exhausted` or `ended`.")
    merchant = _Merchant()
    reward = _Reward()
    min_spend = serializers.IntegerField()
    currency = serializers.CharField()
    starts_at = serializers.CharField()
    ends_at = serializers.CharField(allow_null=True)
    per_holder_limit = serializers.IntegerField()
    budget = _Money()
    budget_spent = _Money()
    redemptions = serializers.IntegerField()
    targeting = _Targeting()
    metadata = serializers.DictField()
    created_at = serializers.CharField()


class WalletOfferSerializer(OutputSerializer):
    id = serializers.CharField()
    object = serializers.CharField(default="wallet_offer")
    status = serializers.CharField(help_text="`active`, `paused`, `exhausted` or `ended`.")
    merchant = _Merchant()
    reward = _Reward()
    min_spend = serializers.IntegerField()
    currency = serializers.CharField()
    starts_at = serializers.CharField()
    ends_at = serializers.CharField(allow_null=True)
    activated = serializers.BooleanField()
    activated_at = serializers.CharField(allow_null=True)
    redemptions_left = serializers.IntegerField()


class AudienceSerializer(OutputSerializer):
    object = serializers.CharField(default="offer_audience")
    offer = serializers.CharField()
    estimated_holders = serializers.IntegerField(help_text="Opted-in holders the targeting matches; never who.")
    as_of = serializers.CharField()


class FundingSerializer(OutputSerializer):
    id = serializers.CharField()
    object = serializers.CharField(default="offer_funding")
    environment = serializers.CharField()
    currency = serializers.CharField()
    funded = serializers.IntegerField()
    allocated = serializers.IntegerField(help_text="Set aside by offers' budgets.")
    available = serializers.IntegerField()
    updated_at = serializers.CharField()


class RedemptionSerializer(OutputSerializer):
    id = serializers.CharField()
    object = serializers.CharField(default="offer_redemption")
    environment = serializers.CharField()
    offer = serializers.CharField()
    holder = serializers.CharField()
    wallet = serializers.CharField()
    card_transaction = serializers.CharField()
    reward_transaction = serializers.CharField()
    reward = _Money()
    status = serializers.CharField(help_text="`credited` or `clawed_back`.")
    created_at = serializers.CharField()


# --- Points -----------------------------------------------------------------------------------------------------
class ProgrammeInput(InputSerializer):
    name = serializers.CharField(max_length=100, help_text="Your programme's name, shown to holders.")
    rate = serializers.DecimalField(
        max_digits=18, decimal_places=6, min_value=Decimal("0.000001"), help_text="Programme units per point."
    )


class PointsRedemptionInput(InputSerializer):
    holder = serializers.CharField(help_text="The holder (`ph_...`) whose points are redeemed.")
    points = serializers.IntegerField(min_value=1, max_value=10**12)
    reference = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class ProgrammeSerializer(OutputSerializer):
    id = serializers.CharField()
    object = serializers.CharField(default="points_programme")
    environment = serializers.CharField()
    name = serializers.CharField()
    rate = serializers.CharField(help_text="Programme units per point, a decimal string.")
    updated_at = serializers.CharField()


class PointsRedemptionSerializer(OutputSerializer):
    id = serializers.CharField()
    object = serializers.CharField(default="points_redemption")
    environment = serializers.CharField()
    holder = serializers.CharField()
    wallet = serializers.CharField(help_text="The holder's points (`XPT`) wallet.")
    points = serializers.IntegerField()
    programme = serializers.CharField()
    rate = serializers.CharField()
    value = serializers.CharField(help_text="`points x rate`, in the programme's units (a decimal string).")
    reference = serializers.CharField()
    transaction = serializers.CharField()
    created_at = serializers.CharField()
