"""``POST /v1/sandbox/transfers/{id}/settle`` and ``/fail``."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.principal import principal_of
from apps.core.serializers import InputSerializer
from apps.transfers.serializers import TransferSerializer
from apps.transfers.snapshots import transfer_snapshot
from sandbox.apis.base import IDEMPOTENCY, TAG, SandboxApi, example, problems
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
        parameters=[IDEMPOTENCY],
        responses={200: TransferSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[example("Succeeded", {"id": "tr_4vQx8ZpL2mN7cR1sT9uW3yBd", "status": "succeeded"})],
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        return _force(request, transfer_id, body=InputSerializer)


class TransferFailApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_transfer_fail",
        summary="Fail a top-up or payout now",
        description=(
            "The bank rail refuses the transfer now with `failure_code` (default `bank_account_closed`; the "
            "transfer shows it as `failure.code`): it fails, "
            f"its money is released and `transfer.failed` is sent. {STATES}"
        ),
        request=TransferFailInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={200: TransferSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[
            example("A closed account", {"failure_code": "bank_account_closed"}, request=True),
            example(
                "Failed",
                {
                    "id": "tr_4vQx8ZpL2mN7cR1sT9uW3yBd",
                    "status": "failed",
                    "failure": {"code": "bank_account_closed", "message": "The bank account is closed."},
                },
            ),
        ],
    )
    def post(self, request: Request, transfer_id: str) -> Response:
        return _force(request, transfer_id, body=TransferFailInputSerializer)


def _force(request: Request, transfer_id: str, *, body: type[InputSerializer]) -> Response:
    principal = principal_of(request)
    # The rail's steps are durable transactions of the transfers services, so the key's record is completed
    # right after the last of them (sandbox.transfers.transfer_force).
    return idempotent_post(
        request,
        body=body,
        status=200,
        render=transfer_snapshot,
        perform=lambda data, handle: transfer_force(
            principal=principal, transfer_id=transfer_id, failure_code=data.get("failure_code"), idempotency=handle
        ),
        perform_completes=True,
    )
