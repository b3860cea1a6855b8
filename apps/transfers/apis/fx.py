"""``/v1/fx/quotes``: price a conversion and hold the price for one FX transfer.

Quotes serve transfers, so they take the transfer scopes: creating one needs ``transfers:write``, reading one
``transfers:read``, as ``apps.wallets.selectors.holder_data_scopes`` grants them (an OAuth token the holder
consented to; in sandbox also a secret key with ``sandbox:write``). A quote belongs to the partner and
environment that created it; any other credential gets a 404.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.exceptions import PROBLEM_CONTENT_TYPE
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import ProblemSerializer
from apps.core.principal import principal_of
from apps.core.scopes import TRANSFERS_READ, TRANSFERS_WRITE
from apps.transfers.apis import examples
from apps.transfers.fx import fx_quote_create, fx_quote_get
from apps.transfers.serializers import FxQuoteCreateInputSerializer, FxQuoteSerializer
from apps.transfers.snapshots import fx_quote_snapshot
from apps.wallets.apis.base import HolderDataApi

TAG = "FX"


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
        examples=examples.FX_QUOTE_CREATE,
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
        examples=examples.FX_QUOTE_RETRIEVE,
    )
    def get(self, request: Request, quote_id: str) -> Response:
        return Response(fx_quote_snapshot(fx_quote_get(principal=principal_of(request), quote_id=quote_id)))
