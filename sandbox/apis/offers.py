"""``POST /v1/sandbox/offer_funding``: fund the sandbox's offers (in live, bank staff do it against the partner's
payment)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.idempotent_post import idempotent_post
from apps.core.principal import principal_of
from apps.offers.apis.examples import FUNDING
from apps.offers.serializers import FundingSerializer, OfferFundingInput
from apps.offers.services.funding import offer_funding_add
from apps.offers.snapshots import funding_snapshot
from sandbox.apis.base import IDEMPOTENCY, TAG, SandboxApi, problems


class OfferFundingApi(SandboxApi):
    @extend_schema(
        operation_id="sandbox_offer_funding_create",
        summary="Fund the sandbox's offers",
        description=(
            "Money (or points, in `XPT`) arrives in the sandbox's offers funding account on the ledger, from which "
            "every offer reward is paid; offers' budgets set it aside when they are created. Answers the funding "
            "in that currency. Accepts `Idempotency-Key`."
        ),
        request=OfferFundingInput,
        parameters=[IDEMPOTENCY],
        responses={201: FundingSerializer, **problems(400, 409, 422)},
        tags=[TAG],
        examples=FUNDING,
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=OfferFundingInput,
            status=201,
            render=funding_snapshot,
            perform=lambda data, handle: offer_funding_add(
                environment=principal.environment, amount=data["amount"], currency=data["currency"], idempotency=handle
            ),
            perform_completes=True,
        )
