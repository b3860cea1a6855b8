"""``/v1/consents``: the consents holders gave the partner's apps, and revoking one.

Partner-level: a secret key, or a client-credentials token with ``consents:write``. Reading needs the same scope
(there is no separate read scope; a holder-bound token never sees consents). Each credential sees only its own
partner's consents in its own environment; any other id is a 404."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exceptions import PROBLEM_CONTENT_TYPE
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import ProblemSerializer
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.principal import principal_of
from apps.core.scopes import CONSENTS_WRITE
from apps.core.serializers import InputSerializer
from apps.oauth_clients.models import Consent
from apps.oauth_clients.selectors import consent_get, consent_list
from apps.oauth_clients.serializers import ConsentFiltersInput, ConsentSerializer
from apps.oauth_clients.services.consents import consent_revoke
from apps.oauth_clients.snapshots import consent_snapshot

TAG = "Consents"
ConsentListSerializer = list_serializer("ConsentList", ConsentSerializer)
_PROBLEMS = {(status, PROBLEM_CONTENT_TYPE): ProblemSerializer for status in (400, 401, 403, 404, 409, 422)}
_SCOPE = f"Scope `{CONSENTS_WRITE}` (a secret key, or a client-credentials token with it)."

_MANDATE = {
    "id": "mdt_4fG7hJ2kL5zX8cV1bN3mQ6wE",
    "object": "mandate",
    "kind": "standing",
    "payee": None,
    "payee_name": None,
    "currency": "USD",
    "amount": None,
    "max_per_payment": 5000,
    "max_per_period": 20000,
    "period": "month",
    "step_up_threshold": 3000,
    "expires_at": None,
    "used_at": None,
    "created_at": "2026-11-22T09:30:00Z",
}
_EXAMPLE = {
    "id": "cons_8Rt2Yp5Wq1Zx4Cv7Bn0Mk3Lj",
    "object": "consent",
    "environment": "sandbox",
    "status": "authorized",
    "application": "Xh3kP9mQ2rT5vW8yZ1bC4dF7",
    "holder": "ph_2Lk5Jh8Gf1Ds4Az7Xc0Vb3Nm",
    "wallets": ["wal_5pH2jK8mN1qR4tV7xZ0bC3dF"],
    "scopes": ["accounts:read", "balances:read", "transfers:write"],
    "mandates": [_MANDATE],
    "expires_at": "2027-02-20T09:30:00Z",
    "authorized_at": "2026-11-22T09:30:00Z",
    "revoked_at": None,
    "revoked_by": None,
    "created_at": "2026-11-22T09:29:41Z",
}
_REVOKED = {**_EXAMPLE, "status": "revoked", "revoked_at": "2026-11-23T10:00:00Z", "revoked_by": "partner"}


class ConsentListApi(APIView):
    required_scopes = (CONSENTS_WRITE,)

    @extend_schema(
        operation_id="consent_list",
        summary="List consents",
        description=(
            "The consents holders gave your apps in this environment, newest first, paged with `starting_after`. "
            f"Filter by `status` and by `holder` (`ph_...`). {_SCOPE}"
        ),
        parameters=[
            *PAGINATION_PARAMETERS,
            OpenApiParameter(
                "status",
                # Blank is the same as leaving it out, as on every list (apps.wallets.serializers.QueryParameters).
                {"type": "string", "enum": [*Consent.Status.values, ""]},
                description="Only consents in this status.",
            ),
            OpenApiParameter("holder", str, description="Only this holder's consents (`ph_...`)."),
        ],
        responses={200: ConsentListSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=[
            OpenApiExample(
                "A page of consents",
                response_only=True,
                value={"object": "list", "data": [_EXAMPLE], "has_more": False, "next_cursor": None},
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = ConsentFiltersInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        consents = consent_list(
            principal=principal_of(request),
            status=params.validated_data.get("status"),
            holder_id=params.validated_data.get("holder"),
        )
        return Response(paginate(consents, params=request.query_params).render(consent_snapshot))


class ConsentRetrieveApi(APIView):
    required_scopes = (CONSENTS_WRITE,)

    @extend_schema(
        operation_id="consent_retrieve",
        summary="Retrieve a consent",
        description=(
            "One consent: its status, app, holder, shared wallets, scopes, payment mandates and expiry. Another "
            f"partner's or environment's consent is a 404. {_SCOPE}"
        ),
        responses={200: ConsentSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=[OpenApiExample("A consent", response_only=True, value=_EXAMPLE)],
    )
    def get(self, request: Request, consent_id: str) -> Response:
        return Response(consent_snapshot(consent_get(principal=principal_of(request), consent_id=consent_id)))


class ConsentRevokeApi(APIView):
    required_scopes = (CONSENTS_WRITE,)

    @extend_schema(
        operation_id="consent_revoke",
        summary="Revoke a consent",
        description=(
            "End an `authorized` consent from your side: it becomes `revoked` (`revoked_by: partner`), every "
            "access and refresh token issued under it stops working at once (the next request is a 401), and a "
            "`consent.revoked` event follows. A consent that is not `authorized` is a 409 "
            "`invalid_state_transition`. Accepts `Idempotency-Key`. " + _SCOPE
        ),
        request=None,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="Optional: a retry with the same key replays the first response.",
            )
        ],
        responses={200: ConsentSerializer, **_PROBLEMS},
        tags=[TAG],
        examples=[OpenApiExample("A revoked consent", response_only=True, value=_REVOKED)],
    )
    def post(self, request: Request, consent_id: str) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            # Revoking takes no parameters: anything sent is refused (parameter_unknown), never silently ignored.
            body=InputSerializer,
            status=200,
            render=consent_snapshot,
            perform=lambda data, handle: consent_revoke(
                consent=consent_get(principal=principal, consent_id=consent_id), actor="partner"
            ),
        )
