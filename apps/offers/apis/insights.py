"""``GET /v1/wallet_holders/{id}/insights``: a holder's spending insights (docs/offers.md), for holders who opted in.

Scope ``insights:read``: an OAuth token the holder granted it to (its consented wallets only), or a sandbox secret
key with ``sandbox:write`` over its own sandbox holders."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core import clock
from apps.core.openapi import problem_responses
from apps.core.principal import principal_of
from apps.core.scopes import INSIGHTS_READ
from apps.offers.apis import examples
from apps.offers.selectors.insights import holder_insights
from apps.offers.serializers import InsightsParameters, InsightsSerializer
from apps.offers.snapshots import insights_snapshot
from apps.wallets import currencies
from apps.wallets.apis.base import HolderDataApi

# `YYYY-MM-DD`; blank is the same as leaving it out, as on every list's filters.
_BLANK_OR_DATE = {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]}


class HolderInsightsApi(HolderDataApi):
    required_scopes = (INSIGHTS_READ,)

    @extend_schema(
        operation_id="wallet_holder_insights",
        summary="Spending insights of a holder",
        description=(
            "Income and spending totals, spending by category against the previous period of the same length, "
            "cash flow by month and the recurring payments detected in the holder's history, in one currency "
            "(amounts in minor units). Only for holders who turned on spending insights and offers (403 "
            "`personalisation_off` otherwise); a holder this credential cannot see is a 404. Scope "
            "`insights:read`: an OAuth token the holder granted it to, or a sandbox secret key over its own "
            "sandbox holders."
        ),
        parameters=[
            OpenApiParameter("from", _BLANK_OR_DATE, description="First day (default: 89 days before `to`)."),
            OpenApiParameter("to", _BLANK_OR_DATE, description="Last day, inclusive (default: today)."),
            OpenApiParameter(
                "currency",
                {"type": "string", "enum": [*currencies.CODES, ""]},
                description="Default: the holder's first money wallet's currency.",
            ),
        ],
        responses={200: InsightsSerializer, **problem_responses(422)},
        tags=["Insights"],
        examples=examples.INSIGHTS,
    )
    def get(self, request: Request, holder_id: str) -> Response:
        params = InsightsParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        principal = principal_of(request)
        insights = holder_insights(
            principal=principal,
            holder_id=holder_id,
            start=params.validated_data.get("from"),
            end=params.validated_data.get("to"),
            currency=params.validated_data.get("currency"),
            today=clock.now(environment=principal.environment).date(),
        )
        return Response(insights_snapshot(insights))
