"""``POST /v1/sandbox/consents/{id}/expire``."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.principal import principal_of
from apps.core.serializers import InputSerializer
from apps.oauth_clients.serializers import ConsentSerializer
from apps.oauth_clients.snapshots import consent_snapshot
from sandbox.apis.base import IDEMPOTENCY, TAG, SandboxApi, example, problems
from sandbox.consents import consent_expire_now


class ConsentExpireApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_consent_expire",
        summary="Expire a consent now",
        description=(
            "An authorized or unanswered consent of this sandbox reaches its expiry now (its `expires_at` becomes "
            "the sandbox clock's now): it becomes `expired`, its tokens stop working and `consent.expired` is "
            "sent. A revoked or expired one is a 409 `invalid_state_transition`."
        ),
        request=None,
        parameters=[IDEMPOTENCY],
        responses={200: ConsentSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=[
            example("Expired", {"id": "cons_8bN2cV5xZ1aS4dF7gH0jK3lQ", "object": "consent", "status": "expired"})
        ],
    )
    def post(self, request: Request, consent_id: str) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=InputSerializer,  # takes no parameters: anything sent is refused (parameter_unknown)
            status=200,
            render=consent_snapshot,
            perform=lambda data, handle: consent_expire_now(principal=principal, consent_id=consent_id),
        )
