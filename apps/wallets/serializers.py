"""Shapes of holders, wallets, balances and transactions as the API shows them, and the query parameters of
their lists. The output shapes match the event payloads in ``snapshots.py``; tests hold the two together."""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.serializers import InputSerializer, OutputSerializer
from apps.wallets.categories import CATEGORIES
from apps.wallets.models import Transaction, Wallet, WalletHolder
from apps.wallets.selectors import TransactionFilters


# --- Output -----------------------------------------------------------------------------------------------------
class MoneySerializer(OutputSerializer):
    amount = serializers.IntegerField(help_text="Minor units of the currency (see its ISO 4217 exponent).")
    currency = serializers.CharField(help_text="Upper-case ISO 4217 code, or `XPT` for loyalty points.")


def _money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def enum_field(values: Any, *, owner: str, **kwargs: Any) -> serializers.Field:
    """A string that is one of ``values``. drf-spectacular merges equal value sets of different objects into one
    enum, which it cannot name once another object's field of the same name has other values (a schema warning);
    an ``x-spec-enum-id`` per object keeps them apart (``WalletStatusEnum``, ``TransactionStatusEnum``)."""
    choices = list(values)
    schema = {"type": "string", "enum": choices, "x-spec-enum-id": f"{owner}:{':'.join(choices)}"}
    field_class = extend_schema_field(schema)(type("EnumField", (serializers.CharField,), {}))
    return field_class(**kwargs)


class WalletHolderSerializer(OutputSerializer):
    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="wallet_holder")
    environment = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(help_text="Empty when unknown.")
    kyc_tier = enum_field(WalletHolder.KycTier.values, owner="wallet_holder")
    status = enum_field(WalletHolder.Status.values, owner="wallet_holder")
    created_at = serializers.DateTimeField()


class WalletSerializer(OutputSerializer):
    """Balances are shown only to credentials holding ``balances:read`` (context ``show_balances``); others see
    ``null`` there."""

    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="wallet")
    environment = serializers.CharField(source="holder.environment")
    holder = serializers.CharField(source="holder.public_id", help_text="The holder's id (`ph_...`).")
    currency = serializers.CharField()
    status = enum_field(Wallet.Status.values, owner="wallet")
    ledger_balance = serializers.SerializerMethodField(help_text="Posted money; `null` without `balances:read`.")
    available_balance = serializers.SerializerMethodField(
        help_text="Ledger balance minus holds; `null` without `balances:read`."
    )
    created_at = serializers.DateTimeField()

    def _show_balances(self) -> bool:
        return bool(self.context.get("show_balances", True))

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_ledger_balance(self, wallet: Any) -> dict[str, Any] | None:
        return _money(wallet.ledger_balance, wallet.currency) if self._show_balances() else None

    @extend_schema_field(MoneySerializer(allow_null=True))
    def get_available_balance(self, wallet: Any) -> dict[str, Any] | None:
        return _money(wallet.available_balance, wallet.currency) if self._show_balances() else None


class BalanceSerializer(OutputSerializer):
    object = serializers.CharField(default="balance")
    wallet = serializers.CharField(source="wallet.public_id")
    ledger = serializers.SerializerMethodField(help_text="Posted money: the sum of the wallet's ledger entries.")
    available = serializers.SerializerMethodField(help_text="What can be spent now: ledger minus pending.")
    pending = serializers.SerializerMethodField(help_text="Set aside by holds (pending card payments, payouts).")
    as_of = serializers.DateTimeField(help_text="When these figures were read.")
    last_transaction = serializers.CharField(
        allow_null=True, help_text="The transaction that last changed these figures (`txn_...`), if any."
    )

    @extend_schema_field(MoneySerializer)
    def get_ledger(self, balance: Any) -> dict[str, Any]:
        return _money(balance.ledger, balance.currency)

    @extend_schema_field(MoneySerializer)
    def get_available(self, balance: Any) -> dict[str, Any]:
        return _money(balance.available, balance.currency)

    @extend_schema_field(MoneySerializer)
    def get_pending(self, balance: Any) -> dict[str, Any]:
        return _money(balance.pending, balance.currency)


class TransactionSerializer(OutputSerializer):
    """``balance_after`` is shown only to credentials holding ``balances:read`` (context ``show_balances``)."""

    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="transaction")
    environment = serializers.CharField(source="wallet.holder.environment")
    wallet = serializers.CharField(source="wallet.public_id")
    type = enum_field(Transaction.Type.values, owner="transaction")
    status = enum_field(Transaction.Status.values, owner="transaction")
    amount = serializers.IntegerField(help_text="Signed minor units: money in is positive, money out negative.")
    currency = serializers.CharField()
    description = serializers.CharField()
    counterparty = serializers.SerializerMethodField()
    merchant_name = serializers.SerializerMethodField()
    category = enum_field(CATEGORIES, owner="transaction")
    balance_after = serializers.SerializerMethodField(
        help_text="The ledger balance right after this posted; `null` while pending or without `balances:read`."
    )
    booked_at = serializers.DateTimeField()
    value_date = serializers.DateField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_counterparty(self, txn: Any) -> str | None:
        return txn.counterparty or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merchant_name(self, txn: Any) -> str | None:
        return txn.merchant_name or None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_balance_after(self, txn: Any) -> int | None:
        return txn.balance_after if self.context.get("show_balances", True) else None


# --- Query parameters -------------------------------------------------------------------------------------------
class QueryParameters(InputSerializer):
    """A list's query string: unknown parameters are refused (``parameter_unknown``), like unknown body fields,
    and a parameter given twice is refused unless it is a list (``type=a&type=b``). An empty filter is the same
    as leaving it out. ``limit`` and ``starting_after`` are read by the paginator (a blank ``limit`` is a 400)."""

    # Query values are taken as sent: blank is the same as absent, and whitespace is not trimmed into blank.
    limit = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    starting_after = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "getlist"):
            repeated = sorted(
                name
                for name in data
                if name in self.fields
                and not isinstance(self.fields[name], serializers.MultipleChoiceField)
                and len(data.getlist(name)) > 1
            )
            if repeated:
                raise serializers.ValidationError(
                    {
                        name: [serializers.ErrorDetail("Give this parameter once.", code="parameter_invalid")]
                        for name in repeated
                    }
                )
        return super().to_internal_value(data)


class HolderListParameters(QueryParameters):
    pass


class WalletListParameters(QueryParameters):
    holder = serializers.CharField(required=False, max_length=64, allow_blank=True, trim_whitespace=False)


class _AnyOf(serializers.MultipleChoiceField):
    """A repeatable filter (``status=pending&status=posted``); empty values are ignored."""

    def get_value(self, dictionary: Any) -> Any:
        if hasattr(dictionary, "getlist"):
            values = [value for value in dictionary.getlist(self.field_name) if value != ""]
            return values or serializers.empty
        return super().get_value(dictionary)

    # MultipleChoiceField returns a set (the stubs give it ChoiceField's str).
    def to_internal_value(self, data: Any) -> frozenset[str]:  # type: ignore[override]
        return frozenset(super().to_internal_value(data))


# RFC 3339 date-time. A "+" in a query string decodes to a space unless it is sent as %2B; a space where the
# offset's sign belongs can only have been a "+", so it is read as one.
_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)"
    r"(?P<offset>[Zz]|[+\- ]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BookedBoundField(serializers.Field):
    """An RFC 3339 date-time (``2026-03-01T09:30:00Z``, any offset) or a date (``2026-03-01``, a whole UTC day).
    Returns an aware UTC datetime: the start of the day for ``from`` and its last microsecond for ``to``, so
    both bounds are inclusive."""

    default_error_messages = {
        "invalid": "Expected an RFC 3339 date-time with an offset (2026-03-01T09:30:00Z) or a date (2026-03-01).",
    }

    def __init__(self, *, end_of_day: bool, **kwargs: Any) -> None:
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> datetime:
        text = str(data).strip()
        try:
            if _DATE.match(text):
                day = date.fromisoformat(text)
                start = datetime.combine(day, time.min, tzinfo=UTC)
                return start + timedelta(days=1) - timedelta(microseconds=1) if self.end_of_day else start
            match = _DATETIME.match(text)
            if match:
                offset = match["offset"].upper().replace(" ", "+")
                clock_time = match["time"]
                moment = clock_time[:8] + clock_time[8:15]  # "." and at most six digits: Python's precision
                return datetime.fromisoformat(f"{match['date']}T{moment}{offset}").astimezone(UTC)
        except ValueError:
            pass
        self.fail("invalid")
        raise AssertionError  # unreachable: fail() raises

    def to_representation(self, value: Any) -> Any:  # pragma: no cover - input only
        return value


class TimeRangeParameters(QueryParameters):
    """``from`` and ``to``: inclusive bounds, each an RFC 3339 date-time or a whole UTC date. Bounds that
    cross (``from`` after ``to``) select nothing: an empty list, as any filter matching nothing (a rule across
    two parameters is one no schema can state, so it is not a 400)."""

    from_ = BookedBoundField(end_of_day=False, required=False)
    to = BookedBoundField(end_of_day=True, required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # a Python keyword, so it cannot be declared by name
        return fields


class TransactionListParameters(TimeRangeParameters):
    type = _AnyOf(choices=Transaction.Type.values, required=False)
    status = _AnyOf(choices=Transaction.Status.values, required=False)
    category = _AnyOf(choices=list(CATEGORIES), required=False)
    min_amount = serializers.IntegerField(min_value=0, required=False)
    max_amount = serializers.IntegerField(min_value=0, required=False)
    q = serializers.CharField(max_length=100, required=False)

    def filters(self) -> TransactionFilters:
        data = self.validated_data
        return TransactionFilters(
            booked_from=data.get("from"),
            booked_to=data.get("to"),
            types=data.get("type"),
            statuses=data.get("status"),
            categories=data.get("category"),
            min_amount=data.get("min_amount"),
            max_amount=data.get("max_amount"),
            q=data.get("q") or None,
        )
