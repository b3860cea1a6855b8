"""``/v1/transfers``: create, list and retrieve transfers; cancel them; reverse them.

Scopes: ``transfers:write`` to create, cancel and reverse, ``transfers:read`` to read, checked against
``apps.wallets.selectors.holder_data_scopes``: an OAuth token the holder consented to, or in sandbox a secret
key with ``sandbox:write`` acting on its own sandbox holders. Every POST here moves money (or refuses to), so
each requires an ``Idempotency-Key``; its record commits in the transaction that moves the money.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.exceptions import PROBLEM_CONTENT_TYPE
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import ProblemSerializer
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.permissions import ScopeDeclaration
from apps.core.principal import principal_of
from apps.core.scopes import TRANSFERS_READ, TRANSFERS_WRITE
from apps.core.serializers import InputSerializer
from apps.transfers.filters import TransferFiltersInput
from apps.transfers.fx_apis import _problem
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


# --- Examples ---------------------------------------------------------------------------------------------------
_TRANSFER = {
    "id": "tr_7Qm2Xk9Lp4Rt8Vw1Yz3Bc6Df",
    "object": "transfer",
    "environment": "sandbox",
    "type": "p2p",
    "status": "succeeded",
    "amount": 2_500,
    "currency": "USD",
    "source": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
    "destination": "wal_9aS3dF6gH1jK4lZ7xC0vB2nM",
    "fx": None,
    "amount_reversed": 0,
    "description": "Dinner, split",
    "metadata": {"order_id": "6735"},
    "failure_code": None,
    "failure_message": None,
    "review_reason": None,
    "created_at": "2026-11-22T19:04:11Z",
}
_TOP_UP = {
    **_TRANSFER,
    "id": "tr_2Bv7Nc4Xz9Lk1Jh6Gf3Ds8Aq",
    "type": "top_up",
    "status": "pending",
    "amount": 10_000,
    "source": "fs_3kT9pQ2mB7vL1cN8dR4tY6wZ",
    "destination": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
    "description": "",
    "metadata": {},
}
_FX_QUOTE = "fxq_4nR8tW2yB6mK1pV9cX3zL7qD"
_FX = {
    **_TRANSFER,
    "id": "tr_8Hn3Mb6Vc1Xz4Lk7Jh0Gf2Ds",
    "type": "fx",
    "amount": 100_000,
    "destination": "wal_1zX4cV7bN0mQ3wE6rT9yU2iO",
    "fx": {
        "quote": _FX_QUOTE,
        "rate": "0.9234",
        "destination_amount": {"amount": 91_878, "currency": "EUR"},
        "fee": {"amount": 500, "currency": "USD"},
    },
    "description": "",
    "metadata": {},
}
_HELD = {**_TRANSFER, "id": "tr_4Df6Gh8Jk0Lz2Xc4Vb6Nm8Qw", "status": "held", "review_reason": "new_counterparty"}
_DETAIL = {
    **_TRANSFER,
    "journal_lines": [
        {
            "kind": "transfer",
            "reversal": None,
            "account": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
            "account_type": "wallet",
            "amount": -2_500,
            "currency": "USD",
            "posted_at": "2026-11-22T19:04:11Z",
        },
        {
            "kind": "transfer",
            "reversal": None,
            "account": "wal_9aS3dF6gH1jK4lZ7xC0vB2nM",
            "account_type": "wallet",
            "amount": 2_500,
            "currency": "USD",
            "posted_at": "2026-11-22T19:04:11Z",
        },
    ],
    "status_history": [
        {"status": "pending", "previous_status": None, "reason": "created", "at": "2026-11-22T19:04:11Z"},
        {"status": "succeeded", "previous_status": "pending", "reason": None, "at": "2026-11-22T19:04:11Z"},
    ],
}
_REVERSAL = {
    "id": "trr_6Yt2Re8Wq4As0Df6Gh2Jk8Lz",
    "object": "transfer_reversal",
    "environment": "sandbox",
    "transfer": _TRANSFER["id"],
    "amount": 1_000,
    "currency": "USD",
    "description": "Partial refund",
    "metadata": {},
    "created_at": "2026-11-23T10:00:00Z",
}
_ERRORS = [
    _problem(
        "No Idempotency-Key",
        400,
        "idempotency_key_required",
        "Idempotency-Key required",
        "This request moves money or creates something: send an Idempotency-Key header (e.g. a UUID).",
    ),
    _problem(
        "Another partner's wallet",
        404,
        "resource_missing",
        "Not found",
        "No such wallet: 'wal_9aS3dF6gH1jK4lZ7xC0vB2nM'.",
        [{"field": "destination", "code": "resource_missing", "message": "No such wallet."}],
    ),
    _problem(
        "Not enough money",
        422,
        "insufficient_funds",
        "Insufficient funds",
        "Wallet wal_5pH2jK8mN1qR4tV7xZ0bC3dF has 1200 available; 2500 is needed.",
    ),
    _problem(
        "Over a limit",
        422,
        "limit_exceeded",
        "Limit exceeded",
        "This transfer of 600.00 USD would take the rolling 24-hour total to 1,100.00 USD, over the daily limit "
        "of 1,000.00 USD for unverified holders.",
    ),
    _problem("Same wallet", 422, "same_wallet", "Same wallet", "The source and destination are the same wallet."),
    _problem("Quote expired", 422, "quote_expired", "Quote expired", "FX quote fxq_4nR8... expired; get a new one."),
    _problem(
        "Key reused",
        422,
        "idempotency_key_reused",
        "Idempotency-Key reused",
        "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
    ),
]
_STATE_ERROR = _problem(
    "Not cancelable",
    409,
    "invalid_state_transition",
    "Invalid state transition",
    "Transfer tr_7Qm2Xk9Lp4Rt8Vw1Yz3Bc6Df is succeeded; it cannot become canceled.",
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
        extensions={"x-required-scopes": [TRANSFERS_WRITE]},
        examples=[
            OpenApiExample(
                "Wallet to wallet",
                request_only=True,
                value={
                    "type": "p2p",
                    "source": _TRANSFER["source"],
                    "destination": _TRANSFER["destination"],
                    "amount": 2_500,
                    "currency": "USD",
                    "description": "Dinner, split",
                    "metadata": {"order_id": "6735"},
                },
            ),
            OpenApiExample(
                "Top-up from the fallback order",
                request_only=True,
                value={"type": "top_up", "destination": _TOP_UP["destination"], "amount": 10_000, "currency": "USD"},
            ),
            OpenApiExample(
                "Payout to a bank account",
                request_only=True,
                value={
                    "type": "payout",
                    "source": _TRANSFER["source"],
                    "destination": "fs_3kT9pQ2mB7vL1cN8dR4tY6wZ",
                    "amount": 5_000,
                    "currency": "USD",
                },
            ),
            OpenApiExample(
                "FX with a quote",
                request_only=True,
                value={
                    "type": "fx",
                    "quote": _FX_QUOTE,
                    "source": _FX["source"],
                    "destination": _FX["destination"],
                },
            ),
            OpenApiExample("A p2p transfer", response_only=True, status_codes=["201"], value=_TRANSFER),
            OpenApiExample("A pending top-up", response_only=True, status_codes=["201"], value=_TOP_UP),
            OpenApiExample("An FX transfer", response_only=True, status_codes=["201"], value=_FX),
            OpenApiExample("Held for review", response_only=True, status_codes=["201"], value=_HELD),
            *_ERRORS,
        ],
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
            OpenApiParameter("wallet", str, description="Transfers from or to this wallet (`wal_...`)."),
            OpenApiParameter("from", str, description="Created at or after (date-time, or a date)."),
            OpenApiParameter("to", str, description="Created at or before (date-time, or a whole date)."),
        ],
        responses={200: TransferListSerializer, **_PROBLEMS},
        tags=[TAG],
        extensions={"x-required-scopes": [TRANSFERS_READ]},
        examples=[
            OpenApiExample(
                "A page",
                response_only=True,
                value={"object": "list", "data": [_TRANSFER, _TOP_UP], "has_more": True, "next_cursor": _TOP_UP["id"]},
            )
        ],
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
        extensions={"x-required-scopes": [TRANSFERS_READ]},
        examples=[OpenApiExample("A settled p2p transfer", response_only=True, value=_DETAIL)],
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
        extensions={"x-required-scopes": [TRANSFERS_WRITE]},
        examples=[
            OpenApiExample("Canceled", response_only=True, status_codes=["200"], value={**_HELD, "status": "canceled"}),
            _STATE_ERROR,
        ],
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
        extensions={"x-required-scopes": [TRANSFERS_WRITE]},
        examples=[
            OpenApiExample("Refund part", request_only=True, value={"amount": 1_000, "description": "Partial refund"}),
            OpenApiExample("A reversal", response_only=True, status_codes=["201"], value=_REVERSAL),
            _problem(
                "More than remains",
                422,
                "reversal_exceeds_remaining",
                "Reversal too large",
                "Only 1500 of this transfer remains to reverse.",
                [{"field": "amount", "code": "reversal_exceeds_remaining", "message": "At most 1500."}],
            ),
        ],
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
        extensions={"x-required-scopes": [TRANSFERS_READ]},
        examples=[
            OpenApiExample(
                "Reversals",
                response_only=True,
                value={"object": "list", "data": [_REVERSAL], "has_more": False, "next_cursor": None},
            )
        ],
    )
    def get(self, request: Request, transfer_id: str) -> Response:
        transfer = transfer_get(principal=principal_of(request), transfer_id=transfer_id)
        page = paginate(reversal_list(principal=principal_of(request), transfer=transfer), params=request.query_params)
        return Response(page.render(reversal_snapshot))
