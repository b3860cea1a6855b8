"""``/v1/fx/quotes``: price a conversion and hold the price for one FX transfer.

Quotes serve transfers, so they take the transfer scopes: creating one needs ``transfers:write``, reading one
``transfers:read``, as ``apps.wallets.selectors.holder_data_scopes`` grants them (an OAuth token the holder
consented to; in sandbox also a secret key with ``sandbox:write``). A quote belongs to the partner and
environment that created it; any other credential gets a 404.
"""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.exceptions import PROBLEM_CONTENT_TYPE
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import ProblemSerializer, problem_example
from apps.core.principal import principal_of
from apps.core.scopes import TRANSFERS_READ, TRANSFERS_WRITE
from apps.core.serializers import InputSerializer, OutputSerializer
from apps.transfers.fx import MAX_AMOUNT, fx_quote_create, fx_quote_get, fx_quote_snapshot
from apps.wallets.apis.base import HolderDataApi
from apps.wallets.serializers import MoneySerializer

TAG = "FX"


# --- Serializers ------------------------------------------------------------------------------------------------
@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_AMOUNT})
class AmountField(serializers.IntegerField):
    """A positive JSON integer in minor units. Strings, floats and booleans are refused rather than coerced:
    ``"1000"`` or ``1000.0`` for money is a client bug worth hearing about."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_AMOUNT, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


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


# OpenAPI only: the body is ``apps.transfers.fx.fx_quote_snapshot`` (tests hold the two together).
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


# --- Examples ---------------------------------------------------------------------------------------------------
_QUOTE = {
    "id": "fxq_4nR8tW2yB6mK1pV9cX3zL7qD",
    "object": "fx_quote",
    "environment": "sandbox",
    "source": {"amount": 100_000, "currency": "USD"},
    "destination": {"amount": 91_878, "currency": "EUR"},
    "fee": {"amount": 500, "currency": "USD"},
    "rate": "0.9234",
    "expires_at": "2026-11-22T09:31:00Z",
    "used": False,
    "created_at": "2026-11-22T09:30:00Z",
}
_QUOTE_JPY = {
    **_QUOTE,
    "id": "fxq_9sD3fG6hJ1kL4zX7cV0bN2mQ",
    "source": {"amount": 6_709, "currency": "USD"},
    "destination": {"amount": 10_000, "currency": "JPY"},
    "fee": {"amount": 34, "currency": "USD"},
    "rate": "149.82",
}


def _problem(name: str, status: int, code: str, title: str, detail: str, errors: list[dict[str, str]] | None = None):
    return problem_example(name, status, code, detail, errors, title=title)


_NO_KEY = _problem(
    "No Idempotency-Key",
    400,
    "idempotency_key_required",
    "Idempotency-Key required",
    "This request moves money or creates something: send an Idempotency-Key header (e.g. a UUID).",
)
_UNKNOWN = _problem(
    "An unknown field",
    400,
    "parameter_unknown",
    "Invalid request",
    "The request has parameters this endpoint does not accept. amount: Unknown parameter.",
    [{"field": "amount", "code": "parameter_unknown", "message": "Unknown parameter."}],
)
_BOTH = _problem(
    "Both amounts",
    400,
    "parameter_invalid",
    "Invalid request",
    "Some parameters are invalid. source_amount: Send exactly one of source_amount and destination_amount.",
    [
        {
            "field": "source_amount",
            "code": "parameter_invalid",
            "message": "Send exactly one of source_amount and destination_amount.",
        },
        {
            "field": "destination_amount",
            "code": "parameter_invalid",
            "message": "Send exactly one of source_amount and destination_amount.",
        },
    ],
)
_NO_RATE = _problem(
    "No rate for the pair",
    422,
    "fx_rate_unavailable",
    "FX rate unavailable",
    "There is no FX rate from USD to SEK.",
)
_TOO_SMALL = _problem(
    "Too small to convert",
    422,
    "amount_too_small",
    "Amount too small",
    "0.01 USD buys less than one minor unit of EUR after the fee.",
    [{"field": "source_amount", "code": "amount_too_small", "message": "Too small to convert."}],
)
_MISSING = _problem(
    "Not found", 404, "resource_missing", "Not found", "No such FX quote: 'fxq_4nR8tW2yB6mK1pV9cX3zL7qD'."
)
_PROBLEM = ProblemSerializer
_IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "A unique string (e.g. a UUID) per quote you mean to create. Retrying with the same key and body returns "
        "the first quote again (`Idempotent-Replayed: true`)."
    ),
)


def _scopes_note(scope: str) -> str:
    return (
        f"Scope `{scope}`: an OAuth token the holder consented to, or in sandbox a secret key with "
        "`sandbox:write` (as every unrestricted key has)."
    )


# --- Views ------------------------------------------------------------------------------------------------------
class FxQuoteCreateApi(HolderDataApi):
    required_scopes = (TRANSFERS_WRITE,)

    @extend_schema(
        operation_id="fx_quote_create",
        summary="Create an FX quote",
        description=(
            "Price a conversion between two currencies and hold the price for 60 seconds. Send "
            "`source_amount` (what to pay, fee included) or `destination_amount` (what to receive at least), "
            "never both. The fee (0.5% on the seeded pairs, at least one minor unit) is taken from the source "
            "amount; the destination rounds down. Use the quote once, in an `fx` transfer, before `expires_at` "
            "(in the environment's clock; the sandbox clock moves it). Requires `Idempotency-Key`. "
            f"{_scopes_note(TRANSFERS_WRITE)}"
        ),
        request=FxQuoteCreateInputSerializer,
        parameters=[_IDEMPOTENCY_KEY],
        responses={
            201: FxQuoteSerializer,
            (400, PROBLEM_CONTENT_TYPE): _PROBLEM,
            (403, PROBLEM_CONTENT_TYPE): _PROBLEM,
            (409, PROBLEM_CONTENT_TYPE): _PROBLEM,
            (422, PROBLEM_CONTENT_TYPE): _PROBLEM,
        },
        tags=[TAG],
        extensions={"x-required-scopes": [TRANSFERS_WRITE]},
        examples=[
            OpenApiExample(
                "Pay 1,000.00 USD",
                request_only=True,
                value={"source_currency": "USD", "destination_currency": "EUR", "source_amount": 100_000},
            ),
            OpenApiExample(
                "Receive 10,000 JPY",
                request_only=True,
                value={"source_currency": "USD", "destination_currency": "JPY", "destination_amount": 10_000},
            ),
            OpenApiExample("USD to EUR", response_only=True, status_codes=["201"], value=_QUOTE),
            OpenApiExample("USD to JPY", response_only=True, status_codes=["201"], value=_QUOTE_JPY),
            _NO_KEY,
            _UNKNOWN,
            _BOTH,
            _NO_RATE,
            _TOO_SMALL,
        ],
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=FxQuoteCreateInputSerializer,
            status=201,
            render=fx_quote_snapshot,
            perform=lambda data, handle: fx_quote_create(
                principal=principal,
                source_currency=data["source_currency"],
                destination_currency=data["destination_currency"],
                source_amount=data.get("source_amount"),
                destination_amount=data.get("destination_amount"),
            ),
            key_required=True,
        )


class FxQuoteRetrieveApi(HolderDataApi):
    required_scopes = (TRANSFERS_READ,)

    @extend_schema(
        operation_id="fx_quote_retrieve",
        summary="Retrieve an FX quote",
        description=(
            "One quote by id, with `used` telling whether a transfer has used it. Another partner's or "
            f"environment's quote is a 404. {_scopes_note(TRANSFERS_READ)}"
        ),
        responses={
            200: FxQuoteSerializer,
            (403, PROBLEM_CONTENT_TYPE): _PROBLEM,
            (404, PROBLEM_CONTENT_TYPE): _PROBLEM,
        },
        tags=[TAG],
        extensions={"x-required-scopes": [TRANSFERS_READ]},
        examples=[OpenApiExample("A quote", response_only=True, value=_QUOTE), _MISSING],
    )
    def get(self, request: Request, quote_id: str) -> Response:
        return Response(fx_quote_snapshot(fx_quote_get(principal=principal_of(request), quote_id=quote_id)))
