"""``/v1/wallet_holders/{id}/funding_sources``: list, add, retrieve, remove and reorder a holder's bank accounts
and cards.

Visibility is ``apps.wallets.selectors.holder_get``'s: a sandbox secret key sees its own partner's sandbox
holders, anything else is a 404. Reading needs ``accounts:read`` as ``selectors.holder_data_scopes`` grants
it (a sandbox secret key with ``sandbox:write`` holds it for its own personas). Changing a holder's funding
sources needs ``sandbox:write``: the holders a partner credential can reach are its sandbox personas; a live
holder's sources change only through the holder, never a partner's key.
"""

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import problem_responses as _problems
from apps.core.openapi_contract import IDEMPOTENCY_KEY_ACCEPTED
from apps.core.principal import Principal, principal_of
from apps.core.scopes import ACCOUNTS_READ, SANDBOX_WRITE
from apps.core.serializers import InputSerializer, OutputSerializer
from apps.wallets.apis import examples
from apps.wallets.apis.base import HolderSandboxWriteApi
from apps.wallets.funding_sources import (
    funding_source_add,
    funding_source_get,
    funding_source_list,
    funding_source_remove,
    funding_source_reorder,
    masked,
)
from apps.wallets.models import FundingSource
from apps.wallets.selectors import holder_get
from apps.wallets.snapshots import funding_source_snapshot
from apps.wallets.validators import (
    ACCOUNT_NUMBER_PATTERN,
    BANK_CURRENCY_PATTERN,
    CARD_BRANDS,
    CARD_EXP_YEAR_MAX,
    CARD_EXP_YEAR_MIN,
    IBAN_PATTERN,
    PAN_PATTERN,
    SORT_CODE_PATTERN,
    BankAccountDetails,
    CardDetails,
)

TAG = "Funding sources"
_TYPES = ("bank_account", "card")


# --- Serializers ------------------------------------------------------------------------------------------------
# Described with a pattern, not an enum: the response's `type` enum is the one named component, and a second
# component with the same choices would make the enum names collide.
@extend_schema_field({"type": "string", "pattern": "^(bank_account|card)$", "description": "bank_account or card"})
class FundingSourceTypeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        # DRF's default message repeats the value sent; a value here might be a pasted card number.
        kwargs.setdefault("error_messages", {"invalid_choice": f"Must be one of {', '.join(_TYPES)}."})
        super().__init__(choices=_TYPES, **kwargs)


class BankAccountSerializer(OutputSerializer):
    account_holder_name = serializers.CharField()
    bank_country = serializers.CharField(help_text="ISO 3166-1 alpha-2, from the IBAN (GB for sort codes).")
    last4 = serializers.CharField()
    masked = serializers.SerializerMethodField(help_text="`••••` and the last four characters.")
    currency = serializers.SerializerMethodField(help_text="ISO 4217, or null when it cannot be assumed.")

    def get_masked(self, obj: FundingSource) -> str:
        return masked(obj)

    def get_currency(self, obj: FundingSource) -> str | None:
        return obj.currency or None


class CardSerializer(OutputSerializer):
    brand = serializers.ChoiceField(choices=CARD_BRANDS)
    last4 = serializers.CharField()
    exp_month = serializers.IntegerField()
    exp_year = serializers.IntegerField()
    holder_name = serializers.SerializerMethodField()

    def get_holder_name(self, obj: FundingSource) -> str | None:
        return obj.account_holder_name or None


class FundingSourceSerializer(OutputSerializer):
    id = serializers.CharField(source="public_id")
    object = serializers.CharField(default="funding_source")
    environment = serializers.CharField(source="holder.environment")
    holder = serializers.CharField(source="holder.public_id")
    type = serializers.ChoiceField(source="kind", choices=_TYPES)
    position = serializers.IntegerField(help_text="1 is tried first; 0 once removed (outside the order).")
    status = serializers.ChoiceField(choices=FundingSource.Status.choices)
    bank_account = serializers.SerializerMethodField()
    card = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(BankAccountSerializer(allow_null=True))
    def get_bank_account(self, obj: FundingSource) -> dict[str, Any] | None:
        return BankAccountSerializer(obj).data if obj.kind == FundingSource.Kind.BANK_ACCOUNT else None

    @extend_schema_field(CardSerializer(allow_null=True))
    def get_card(self, obj: FundingSource) -> dict[str, Any] | None:
        return CardSerializer(obj).data if obj.kind == FundingSource.Kind.CARD else None


class FundingSourceListSerializer(serializers.Serializer):
    """OpenAPI only: the whole order in one page (a holder has at most 20 active sources)."""

    object = serializers.CharField(default="list")
    # A field: DRF's metaclass lifts it off the class, so it does not replace Serializer.data.
    data = FundingSourceSerializer(many=True)  # type: ignore[assignment]
    has_more = serializers.BooleanField(help_text="Always false.")
    next_cursor = serializers.CharField(allow_null=True, help_text="Always null.")


def _choice_error(choices: tuple[str, ...]) -> dict[str, Any]:  # DRF's error_messages (str or lazy str)
    # DRF's default message repeats the value sent; a value here might be a pasted card number.
    return {"invalid_choice": f"Must be one of {', '.join(choices)}."}


def _given(name: str) -> dict[str, Any]:
    """JSON Schema for "``name`` is in the body and not blank"."""
    return {"required": [name], "properties": {name: {"pattern": "\\S"}}}


class BankAccountInputSerializer(InputSerializer):
    account_holder_name = serializers.CharField(max_length=200)
    iban = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="Spaces are ignored.")
    sort_code = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text="UK: six digits, `123456` or `12-34-56`."
    )
    account_number = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="UK: eight digits, with a sort code."
    )
    currency = serializers.CharField(
        required=False, allow_blank=True, max_length=3, help_text="ISO 4217; by default the country's currency."
    )

    # What ``bank_account_fields`` enforces, for the schema: each field's shape, a name that is not a card number,
    # and an IBAN or a sort code with an account number (a blank field is one not given).
    schema_rules = {
        "properties": {
            "account_holder_name": {"not": {"pattern": PAN_PATTERN}},
            "iban": {"pattern": IBAN_PATTERN},
            "sort_code": {"pattern": SORT_CODE_PATTERN},
            "account_number": {"pattern": ACCOUNT_NUMBER_PATTERN},
            "currency": {"pattern": BANK_CURRENCY_PATTERN},
        },
        "not": {
            "anyOf": [
                {"allOf": [_given("iban"), _given("sort_code")]},
                {"allOf": [_given("iban"), _given("account_number")]},
                {"allOf": [_given("sort_code"), {"not": _given("account_number")}]},
                {"allOf": [_given("account_number"), {"not": _given("sort_code")}]},
                {"not": {"anyOf": [_given("iban"), _given("sort_code")]}},
            ]
        },
    }


class CardInputSerializer(InputSerializer):
    brand = serializers.ChoiceField(choices=CARD_BRANDS, error_messages=_choice_error(CARD_BRANDS))
    # Not max_length=4: a full card number must be answered with `card_number_refused`, not a length error.
    last4 = serializers.CharField(max_length=64, help_text="The last four digits only. Full card numbers are refused.")
    exp_month = serializers.IntegerField(min_value=1, max_value=12)
    exp_year = serializers.IntegerField(
        min_value=CARD_EXP_YEAR_MIN, max_value=CARD_EXP_YEAR_MAX, help_text="Four digits."
    )
    holder_name = serializers.CharField(required=False, allow_blank=True, max_length=200)

    # What ``card_fields`` enforces, for the schema: four digits (surrounding whitespace is trimmed), and a name
    # that is not a card number.
    schema_rules = {
        "properties": {"last4": {"pattern": "^\\s*[0-9]{4}\\s*$"}, "holder_name": {"not": {"pattern": PAN_PATTERN}}}
    }


class FundingSourceCreateInputSerializer(InputSerializer):
    type = FundingSourceTypeField()
    bank_account = BankAccountInputSerializer(required=False, help_text="With `type: bank_account`.")
    card = CardInputSerializer(required=False, help_text="With `type: card`.")

    # What ``validate`` enforces, for the schema (apps/core/openapi_contract.py): the details of its type, and only
    # those. As a ``not`` rather than a ``oneOf`` of the two types, so the SDKs keep one request model.
    schema_rules = {
        "not": {
            "anyOf": [
                {"required": ["bank_account", "card"]},
                *(
                    {"properties": {"type": {"const": kind}}, "not": {"required": [kind]}}
                    for kind in ("bank_account", "card")
                ),
            ]
        }
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["type"]
        other = "card" if kind == "bank_account" else "bank_account"
        errors = {}
        if kind not in attrs:
            errors[kind] = serializers.ErrorDetail(f"Required with type {kind}.", code="required")
        if other in attrs:
            errors[other] = serializers.ErrorDetail(f"Not allowed with type {kind}.", code="parameter_invalid")
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class FundingSourceReorderInputSerializer(InputSerializer):
    order = serializers.ListField(
        child=serializers.CharField(max_length=40, trim_whitespace=False),
        max_length=100,
        help_text="Every active funding source id of the holder, each once, first tried first.",
    )

    schema_rules = {
        "properties": {"order": {"items": {"type": "string", "minLength": 1, "maxLength": 40}, "uniqueItems": True}}
    }


# --- Views ------------------------------------------------------------------------------------------------------
def _whole_list(sources: Iterable[FundingSource]) -> dict[str, Any]:
    """The holder's whole fallback order as one page (at most 20 active sources)."""
    return {
        "object": "list",
        "data": [funding_source_snapshot(s) for s in sources],
        "has_more": False,
        "next_cursor": None,
    }


class _FundingSourceApi(HolderSandboxWriteApi):
    """Reads are checked against ``selectors.holder_data_scopes``, so a sandbox secret key reads its personas with
    the ``accounts:read`` it holds for them. Writes need ``sandbox:write``, which counts only in sandbox: in
    live, the holders are the bank's customers and only they change their funding sources."""

    def scope_hint(self, principal: Principal) -> str:
        if principal.holder is None and not principal.is_sandbox:
            return " Live holders' funding sources are read with an OAuth token the holder consented to."
        return ""


class FundingSourceListCreateApi(_FundingSourceApi):
    required_scopes = {"GET": (ACCOUNTS_READ,), "POST": (SANDBOX_WRITE,)}

    @extend_schema(
        operation_id="funding_source_list",
        summary="List a holder's funding sources",
        description=(
            "The holder's active bank accounts and cards in fallback order (position 1 is tried first). Account "
            "numbers are masked; the whole list is one page. Another partner's holder is a 404."
        ),
        responses={200: FundingSourceListSerializer, **_problems(403, 404)},
        tags=[TAG],
        examples=examples.FUNDING_SOURCE_LIST,
    )
    def get(self, request: Request, holder_id: str) -> Response:
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        sources = funding_source_list(holder=holder)
        return Response(_whole_list(sources))

    @extend_schema(
        operation_id="funding_source_create",
        summary="Add a funding source",
        description=(
            "Add a bank account (an IBAN, or a UK sort code and 8-digit account number) or a card (brand, last "
            "four digits, expiry) at the end of the holder's fallback order. Account details are validated "
            "(IBAN length and check digits), stored encrypted and only ever shown masked. **Never send a full "
            "card number**: a `number` field is refused as `parameter_unknown`, and a card number in `last4` (or "
            "a name) as `card_number_refused`; neither is stored or logged. An expired card is refused with "
            "`card_expired`. Accepts `Idempotency-Key`. Needs `sandbox:write`."
        ),
        request=FundingSourceCreateInputSerializer,
        parameters=[IDEMPOTENCY_KEY_ACCEPTED],
        responses={201: FundingSourceSerializer, **_problems(400, 403, 404, 409, 422)},
        tags=[TAG],
        examples=examples.FUNDING_SOURCE_CREATE,
    )  # fmt: skip
    def post(self, request: Request, holder_id: str) -> Response:
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        return idempotent_post(
            request,
            body=FundingSourceCreateInputSerializer,
            status=201,
            render=funding_source_snapshot,
            perform=lambda data, handle: funding_source_add(
                holder=holder,
                kind=data["type"],
                bank_account=BankAccountDetails(**data["bank_account"]) if "bank_account" in data else None,
                card=CardDetails(**data["card"]) if "card" in data else None,
            ),
        )


class FundingSourceDetailApi(_FundingSourceApi):
    required_scopes = {"GET": (ACCOUNTS_READ,), "DELETE": (SANDBOX_WRITE,)}

    @extend_schema(
        operation_id="funding_source_retrieve",
        summary="Retrieve a funding source",
        description="One active funding source of the holder. A removed source or another holder's is a 404.",
        responses={200: FundingSourceSerializer, **_problems(403, 404)},
        tags=[TAG],
        examples=examples.FUNDING_SOURCE_RETRIEVE,
    )
    def get(self, request: Request, holder_id: str, funding_source_id: str) -> Response:
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        source = funding_source_get(holder=holder, funding_source_id=funding_source_id)
        return Response(funding_source_snapshot(source))

    @extend_schema(
        operation_id="funding_source_delete",
        summary="Remove a funding source",
        description=(
            "Take the source out of the fallback order; the sources after it move up. The record is kept for the "
            "history of transfers that used it and is returned with `status: removed` and `position: 0`. A "
            "removed source or another holder's is a 404. Needs `sandbox:write`."
        ),
        responses={200: FundingSourceSerializer, **_problems(403, 404)},
        tags=[TAG],
        examples=examples.FUNDING_SOURCE_DELETE,
    )
    def delete(self, request: Request, holder_id: str, funding_source_id: str) -> Response:
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        source = funding_source_get(holder=holder, funding_source_id=funding_source_id)
        return Response(funding_source_snapshot(funding_source_remove(funding_source=source)))


class FundingSourceReorderApi(_FundingSourceApi):
    required_scopes = {"POST": (SANDBOX_WRITE,)}

    @extend_schema(
        operation_id="funding_source_reorder",
        summary="Reorder a holder's funding sources",
        description=(
            "Set the fallback order: `order` lists every active funding source of the holder exactly once, the "
            "first tried first. A repeated id is a 400, an id that is not one of them a 404, leaving one out a 409 "
            "`order_incomplete`; none changes anything. Returns the list in its new order. Needs `sandbox:write`."
        ),
        request=FundingSourceReorderInputSerializer,
        responses={200: FundingSourceListSerializer, **_problems(400, 403, 404, 409)},
        tags=[TAG],
        examples=examples.FUNDING_SOURCE_REORDER,
    )
    def post(self, request: Request, holder_id: str) -> Response:
        holder = holder_get(principal=principal_of(request), holder_id=holder_id)
        serializer = FundingSourceReorderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sources = funding_source_reorder(holder=holder, order=serializer.validated_data["order"])
        return Response(_whole_list(sources))
