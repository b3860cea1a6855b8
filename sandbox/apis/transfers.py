"""``POST /v1/sandbox/transfers/{id}/settle`` and ``/fail``."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.principal import principal_of
from apps.transfers.serializers import TransferSerializer
from apps.transfers.snapshots import transfer_snapshot
from sandbox.apis.base import TAG, SandboxApi, example, problems
from sandbox.serializers import TransferFailInputSerializer
from sandbox.transfers import transfer_force

STATES = (
    "Only a `pending` or `processing` top-up or payout: a p2p or FX transfer, a held one or a finished one is a "
    "409 `invalid_state_transition`."
)


class TransferSettleApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_transfer_settle",
        summary="Settle a top-up or payout now",
        description=(
            "The bank rail accepts the transfer now instead of after the settlement delay (even from a funding "
            f"source that would be refused): it succeeds with its journal and `transfer.succeeded`. {STATES}"
        ),
        request=None,
        responses={200: TransferSerializer, **problems(409)},
        tags=[TAG],
        examples=[example("Succeeded", {"id": "tr_4vQx8ZpL2mN7cR1sT9uW3yBd", "status": "succeeded"})],
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        transfer = transfer_force(principal=principal_of(request), transfer_id=transfer_id)
        return Response(transfer_snapshot(transfer))


class TransferFailApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_transfer_fail",
        summary="Fail a top-up or payout now",
        description=(
            "The bank rail refuses the transfer now with `failure_code` (default `bank_account_closed`): it fails, "
            f"its money is released and `transfer.failed` is sent. {STATES}"
        ),
        request=TransferFailInputSerializer,
        responses={200: TransferSerializer, **problems(400, 409)},
        tags=[TAG],
        examples=[
            example("A closed account", {"failure_code": "bank_account_closed"}, request=True),
            example(
                "Failed",
                {"id": "tr_4vQx8ZpL2mN7cR1sT9uW3yBd", "status": "failed", "failure_code": "bank_account_closed"},
            ),
        ],
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        body = TransferFailInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = transfer_force(
            principal=principal_of(request), transfer_id=transfer_id, failure_code=body.validated_data["failure_code"]
        )
        return Response(transfer_snapshot(transfer))
