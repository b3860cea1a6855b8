"""``/v1/transfers``: create, list and retrieve transfers; cancel them; reverse them.

Scopes: ``transfers:write`` to create, cancel and reverse, ``transfers:read`` to read, checked against
``apps.wallets.selectors.holder_data_scopes``: an OAuth token the holder consented to, or in sandbox a secret
key with ``sandbox:write`` acting on its own sandbox holders. Every POST here moves money (or refuses to), so
each requires an ``Idempotency-Key``; its record commits in the transaction that moves the money.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.exceptions import PROBLEM_CONTENT_TYPE
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import ProblemSerializer
from apps.core.openapi_contract import DATE_TIME_OR_DATE_SCHEMA
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.permissions import ScopeDeclaration
from apps.core.principal import principal_of
from apps.core.scopes import TRANSFERS_READ, TRANSFERS_WRITE
from apps.core.serializers import InputSerializer
from apps.transfers.apis import examples
from apps.transfers.filters import TransferFiltersInput
from apps.transfers.lifecycle import transfer_cancel, transfer_reverse
from apps.transfers.models import Transfer
from apps.transfers.selectors import reversal_list, transfer_detail, transfer_get, transfer_list
from apps.transfers.serializers import (
    ReversalCreateInputSerializer,
    ReversalSerializer,
    TransferCreateInputSerializer,
    TransferDetailSerializer,
    TransferSerializer,
)
from apps.transfers.services import TransferRequest, transfer_create
from apps.transfers.snapshots import reversal_snapshot, transfer_snapshot
from apps.wallets.apis.base import HolderDataApi

TAG = "Transfers"
TransferListSerializer = list_serializer("TransferList", TransferSerializer)
ReversalListSerializer = list_serializer("TransferReversalList", ReversalSerializer)
_PROBLEMS = {(status, PROBLEM_CONTENT_TYPE): ProblemSerializer for status in (400, 401, 403, 404, 409, 422)}


def _idempotency_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        IDEMPOTENCY_HEADER,
        str,
        OpenApiParameter.HEADER,
        required=True,
        description=(
            f"A unique string (e.g. a UUID) per {what}. A retry with the same key and body replays the first "
            "response (`Idempotent-Replayed: true`) and never moves money twice; the same key with another body "
            "is a 422 `idempotency_key_reused`; while the first request runs, a 409 `idempotency_key_in_use`."
        ),
    )


def _scopes_note(scope: str) -> str:
    return (
        f"Scope `{scope}`: an OAuth token the holder consented to, or in sandbox a secret key with "
        "`sandbox:write` (as every unrestricted key has) acting on its own sandbox holders."
    )


class _TransfersApi(HolderDataApi):
    required_scopes: ScopeDeclaration = (TRANSFERS_READ,)


class TransferListCreateApi(_TransfersApi):
    required_scopes = {"GET": (TRANSFERS_READ,), "POST": (TRANSFERS_WRITE,)}

    @extend_schema(
        operation_id="transfer_create",
        summary="Create a transfer",
        description=(
            "Move money. `p2p`: wallet to wallet in one currency; settles at once (`succeeded`). `top_up`: from a "
            "funding source (`source`, or the holder's fallback order without one) into a wallet; `pending` "
            "until the bank rail settles it a few seconds later in sandbox (`succeeded` or `failed`, with a "
            "`transfer.*` event). `payout`: from a wallet to the holder's bank account; the money is held at "
            "once and leaves when the rail settles. `fx`: between two wallets of one holder with an FX quote. "
            "A transfer a review rule catches is `held` until bank staff release or reject it. Refusals are "
            "problem+json with a stable code and write nothing: `insufficient_funds`, `limit_exceeded`, "
            "`currency_mismatch`, `wallet_frozen`, `quote_expired`, `quote_used`, `same_wallet`, "
            f"`holder_mismatch`, ... (see the transfers guide). Requires `Idempotency-Key`. "
            f"{_scopes_note(TRANSFERS_WRITE)}"
        ),
        request=TransferCreateInputSerializer,
        parameters=[_idempotency_parameter("transfer")],
        responses={201: TransferSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=examples.TRANSFER_CREATE,
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=TransferCreateInputSerializer,
            status=201,
            render=transfer_snapshot,
            perform=lambda data, handle: transfer_create(
                principal=principal, request=TransferRequest(**data), idempotency=handle
            ),
            key_required=True,
            perform_completes=True,
        )

    @extend_schema(
        operation_id="transfer_list",
        summary="List transfers",
        description=(
            "Newest first, paged with `starting_after`. Filters combine with AND: `status` and `type` "
            "(repeatable), `wallet` (from or to that wallet), `from`/`to` (created at or after/before; an RFC 3339 "
            "date-time or a date). A malformed filter is a 400 `parameter_invalid`, an unknown one "
            f"`parameter_unknown`. {_scopes_note(TRANSFERS_READ)}"
        ),
        parameters=[
            *PAGINATION_PARAMETERS,
            OpenApiParameter("status", str, many=True, enum=Transfer.Status.values, description="Repeatable."),
            OpenApiParameter("type", str, many=True, enum=Transfer.Type.values, description="Repeatable."),
            OpenApiParameter(
                "wallet",
                {"type": "string", "maxLength": 64},
                description="Transfers from or to this wallet (`wal_...`).",
            ),
            OpenApiParameter(
                "from", DATE_TIME_OR_DATE_SCHEMA, description="Created at or after (date-time, or a date)."
            ),
            OpenApiParameter(
                "to", DATE_TIME_OR_DATE_SCHEMA, description="Created at or before (date-time, or a whole date)."
            ),
        ],
        responses={200: TransferListSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=examples.TRANSFER_LIST,
    )
    def get(self, request: Request) -> Response:
        params = TransferFiltersInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = paginate(
            transfer_list(principal=principal_of(request), filters=params.filters()), params=request.query_params
        )
        return Response(page.render(transfer_snapshot))


class TransferRetrieveApi(_TransfersApi):
    @extend_schema(
        operation_id="transfer_retrieve",
        summary="Retrieve a transfer",
        description=(
            "The transfer with its `journal_lines` (every ledger entry of its journals, reversals included: each "
            "journal sums to zero per currency) and its `status_history`. Another partner's or environment's "
            f"transfer is a 404. {_scopes_note(TRANSFERS_READ)}"
        ),
        responses={200: TransferDetailSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=examples.TRANSFER_RETRIEVE,
    )
    def get(self, request: Request, transfer_id: str) -> Response:
        return Response(transfer_detail(principal=principal_of(request), transfer_id=transfer_id))


class TransferCancelApi(_TransfersApi):
    required_scopes = (TRANSFERS_WRITE,)

    @extend_schema(
        operation_id="transfer_cancel",
        summary="Cancel a transfer",
        description=(
            "Cancel a `pending` top-up or payout the rail has not picked up yet, or a `held` transfer: its money "
            "is released and a `transfer.canceled` event follows. Anything else is a 409 "
            f"`invalid_state_transition`. Requires `Idempotency-Key`. {_scopes_note(TRANSFERS_WRITE)}"
        ),
        request=None,
        parameters=[_idempotency_parameter("cancel")],
        responses={200: TransferSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=examples.TRANSFER_CANCEL,
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            # A cancel takes no parameters: anything sent is refused (parameter_unknown), never silently ignored.
            body=InputSerializer,
            status=200,
            render=transfer_snapshot,
            perform=lambda data, handle: transfer_cancel(
                principal=principal, transfer_id=transfer_id, idempotency=handle
            ),
            key_required=True,
            perform_completes=True,
        )


class TransferReversalListCreateApi(_TransfersApi):
    required_scopes = {"GET": (TRANSFERS_READ,), "POST": (TRANSFERS_WRITE,)}

    @extend_schema(
        operation_id="transfer_reversal_create",
        summary="Reverse a transfer",
        description=(
            "Send back all (no `amount`) or part of a `succeeded` transfer, never more than remains: a new "
            "journal mirrors that share (for FX, the same share of both amounts and of the fee). "
            "`amount_reversed` grows; at the full amount the transfer becomes `reversed`. Each reversal records "
            "a `transfer.reversed` event. Refusals: 409 `invalid_state_transition` (not succeeded), 422 "
            "`reversal_exceeds_remaining`, 422 `insufficient_funds` (the money was spent since). Requires "
            f"`Idempotency-Key`. {_scopes_note(TRANSFERS_WRITE)}"
        ),
        request=ReversalCreateInputSerializer,
        parameters=[_idempotency_parameter("reversal")],
        responses={201: ReversalSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=examples.TRANSFER_REVERSAL_CREATE,
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=ReversalCreateInputSerializer,
            status=201,
            render=reversal_snapshot,
            perform=lambda data, handle: transfer_reverse(
                principal=principal,
                transfer_id=transfer_id,
                amount=data.get("amount"),
                description=data["description"],
                metadata=data["metadata"],
                idempotency=handle,
            ),
            key_required=True,
            perform_completes=True,
        )

    @extend_schema(
        operation_id="transfer_reversal_list",
        summary="List a transfer's reversals",
        description=f"Newest first. {_scopes_note(TRANSFERS_READ)}",
        parameters=PAGINATION_PARAMETERS,
        responses={200: ReversalListSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=examples.TRANSFER_REVERSAL_LIST,
    )
    def get(self, request: Request, transfer_id: str) -> Response:
        transfer = transfer_get(principal=principal_of(request), transfer_id=transfer_id)
        page = paginate(reversal_list(principal=principal_of(request), transfer=transfer), params=request.query_params)
        return Response(page.render(reversal_snapshot))
