"""Points: ``GET|PUT /v1/points/programme`` (the partner's own programme and its published rate; partner-level
``points:write``) and ``POST /v1/points/redemptions`` (a holder's points into that programme; ``points:write`` held
over the holder: an OAuth token the holder granted it to, or in sandbox a secret key over its own holders)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import problem_example, problem_responses
from apps.core.principal import principal_of
from apps.core.scopes import POINTS_WRITE
from apps.offers.apis.offers import PartnerOffersApi
from apps.offers.serializers import (
    PointsRedemptionInput,
    PointsRedemptionSerializer,
    ProgrammeInput,
    ProgrammeSerializer,
)
from apps.offers.services.points import points_redeem, programme_get, programme_set
from apps.offers.snapshots import points_redemption_snapshot, programme_snapshot
from apps.wallets.apis.base import HolderDataApi

TAG = "Points"
PROGRAMME = {
    "id": "ppg_5Tq8mK2xL9pR7vZ1nB3cW4yD",
    "object": "points_programme",
    "environment": "sandbox",
    "name": "Gems",
    "rate": "0.5",
    "updated_at": "2026-12-07T12:00:00Z",
}
REDEMPTION = {
    "id": "rdm_9Hk2mQ7vLx4RtW1pZ8nB3cYe",
    "object": "points_redemption",
    "environment": "sandbox",
    "holder": "ph_3kT9vB2nQ7xL4mZ8cR1sD6fG",
    "wallet": "wal_7Pq2jK8mN1qR4tV7xZ0bC3dF",
    "points": 300,
    "programme": "Gems",
    "rate": "0.5",
    "value": "150",
    "reference": "order-1042",
    "transaction": "txn_4Lm3Qw6Er9Ty2Ui5Op1As4Df",
    "created_at": "2026-12-07T12:00:00Z",
}


class ProgrammeApi(PartnerOffersApi):
    required_scopes = (POINTS_WRITE,)

    @extend_schema(
        operation_id="points_programme_retrieve",
        summary="Your points programme",
        description="The programme holders' points are redeemed into, and its rate. 404 `resource_missing` before "
        "it is published.",
        responses={200: ProgrammeSerializer, **problem_responses(401, 403, 404)},
        tags=[TAG],
        examples=[OpenApiExample("Programme", value=PROGRAMME, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return Response(programme_snapshot(programme_get(principal=principal_of(request))))

    @extend_schema(
        operation_id="points_programme_set",
        summary="Publish your points programme",
        description=(
            "Name your programme (a game's currency, say) and publish its rate: programme units per point. Later "
            "redemptions use it. Scope `points:write`."
        ),
        request=ProgrammeInput,
        responses={200: ProgrammeSerializer, **problem_responses(400, 401, 403)},
        tags=[TAG],
        examples=[
            OpenApiExample("Gems", value={"name": "Gems", "rate": "0.5"}, request_only=True),
            OpenApiExample("Programme", value=PROGRAMME, response_only=True),
        ],
    )
    def put(self, request: Request) -> Response:
        serializer = ProgrammeInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return Response(
            programme_snapshot(programme_set(principal=principal_of(request), name=data["name"], rate=data["rate"]))
        )


class PointsRedemptionCreateApi(HolderDataApi):
    required_scopes = (POINTS_WRITE,)

    @extend_schema(
        operation_id="points_redemption_create",
        summary="Redeem a holder's points",
        description=(
            "Move `points` from the holder's points (`XPT`) wallet into your programme at its published rate "
            "(`value = points x rate`), through the ledger, with `points.redeemed`. More points than the holder "
            "has is 422 `insufficient_funds`; without a programme 409 `points_programme_missing`. Idempotent with "
            "`Idempotency-Key`. Scope `points:write` over the holder: in live, an OAuth token the holder granted "
            "it to; in sandbox, also a secret key over its own holders."
        ),
        request=PointsRedemptionInput,
        responses={201: PointsRedemptionSerializer, **problem_responses(400, 401, 403, 404, 409, 422)},
        tags=[TAG],
        examples=[
            OpenApiExample(
                "Redeem",
                value={"holder": REDEMPTION["holder"], "points": 300, "reference": "order-1042"},
                request_only=True,
            ),
            OpenApiExample("Redeemed", value=REDEMPTION, response_only=True, status_codes=["201"]),
            problem_example(
                "More points than held",
                422,
                "insufficient_funds",
                "Wallet wal_7Pq2jK8mN1qR4tV7xZ0bC3dF has 120 available; 300 is needed.",
                title="Insufficient funds",
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=PointsRedemptionInput,
            status=201,
            render=points_redemption_snapshot,
            perform=lambda data, handle: points_redeem(
                principal=principal,
                holder_id=data["holder"],
                points=data["points"],
                reference=data["reference"],
                idempotency=handle,
            ),
            perform_completes=True,
        )
