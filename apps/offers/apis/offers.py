"""``/v1/offers``: a partner creates, lists, changes, pauses and resumes its offers and estimates their audience
(partner-level ``offers:write``, a secret key or a client-credentials token; a holder's token cannot manage
offers). Another partner's or environment's offer is a 404."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import clock
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import problem_responses
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.principal import Principal, principal_of
from apps.core.scopes import OFFERS_WRITE
from apps.core.serializers import InputSerializer
from apps.offers.apis import examples
from apps.offers.selectors.offers import audience_estimate, offer_get, offer_list
from apps.offers.serializers import AudienceSerializer, OfferCreateInput, OfferSerializer, OfferUpdateInput, offer_spec
from apps.offers.services.offers import offer_create, offer_set_paused, offer_update
from apps.offers.snapshots import audience_snapshot, offer_snapshot

TAG = "Offers"
OfferListSerializer = list_serializer("OfferList", OfferSerializer)


class PartnerOffersApi(APIView):
    """Partner-level: a token bound to a holder holds no partner scope here, whatever it was granted."""

    required_scopes = (OFFERS_WRITE,)

    def scopes_held(self, principal: Principal) -> frozenset[str]:
        return principal.scopes if principal.holder is None else frozenset()

    def scope_hint(self, principal: Principal) -> str:
        return " Offers are managed with the partner's secret key or client-credentials token."


def _render(principal: Principal) -> Any:
    now = clock.now(environment=principal.environment)
    return lambda offer: offer_snapshot(offer, now=now)


class OfferListCreateApi(PartnerOffersApi):
    @extend_schema(
        operation_id="offer_list",
        summary="List offers",
        description="The partner's offers in this environment, newest first. Scope `offers:write`.",
        parameters=PAGINATION_PARAMETERS,
        responses={200: OfferListSerializer, **problem_responses(400, 401, 403)},
        tags=[TAG],
        examples=examples.OFFER_LIST,
    )
    def get(self, request: Request) -> Response:
        principal = principal_of(request)
        page = paginate(offer_list(principal=principal), params=request.query_params)
        return Response(page.render(_render(principal)))

    @extend_schema(
        operation_id="offer_create",
        summary="Create an offer",
        description=(
            "A reward for card payments at a merchant (name, and optionally category), within a budget set aside "
            "from the environment's offers funding (422 `offer_funding_insufficient` when it does not cover it; "
            "sandbox: `POST /v1/sandbox/offer_funding`). Cashback is paid in the purchase currency and points in "
            "`XPT`: the budget must be in that currency (422 `offer_invalid`, `budget_currency_mismatch`). Fixed "
            "cashback may not exceed `min_spend` (`reward_exceeds_purchase`). Targeting counts only holders who "
            "opted in. Accepts `Idempotency-Key`. Scope `offers:write`."
        ),
        request=OfferCreateInput,
        responses={201: OfferSerializer, **problem_responses(400, 401, 403, 409, 422)},
        tags=[TAG],
        examples=examples.OFFER_CREATE,
    )
    def post(self, request: Request) -> Response:
        principal = principal_of(request)
        return idempotent_post(
            request,
            body=OfferCreateInput,
            status=201,
            render=_render(principal),
            perform=lambda data, handle: offer_create(principal=principal, spec=offer_spec(data)),
        )


class OfferDetailApi(PartnerOffersApi):
    @extend_schema(
        operation_id="offer_retrieve",
        summary="Retrieve an offer",
        description="One offer with its budget spent and redemptions. Scope `offers:write`.",
        responses={200: OfferSerializer, **problem_responses(401, 403, 404)},
        tags=[TAG],
        examples=examples.OFFER_RETRIEVE,
    )
    def get(self, request: Request, offer_id: str) -> Response:
        principal = principal_of(request)
        return Response(_render(principal)(offer_get(principal=principal, offer_id=offer_id)))

    @extend_schema(
        operation_id="offer_update",
        summary="Update an offer",
        description=(
            "Change `ends_at`, the `budget` amount (never below what is spent: `budget_below_spent`; the difference "
            "is set aside or given back; raising an exhausted offer's budget makes it active again), "
            "`per_holder_limit`, `targeting` or `metadata`. An ended offer is 409. Scope `offers:write`."
        ),
        request=OfferUpdateInput,
        responses={200: OfferSerializer, **problem_responses(400, 401, 403, 404, 409, 422)},
        tags=[TAG],
        examples=examples.OFFER_UPDATE,
    )
    def patch(self, request: Request, offer_id: str) -> Response:
        principal = principal_of(request)
        serializer = OfferUpdateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = offer_update(principal=principal, offer_id=offer_id, changes=serializer.changes())
        return Response(_render(principal)(offer))


def _pause_view(paused: bool) -> type[PartnerOffersApi]:
    verb = "pause" if paused else "resume"

    class OfferPauseApi(PartnerOffersApi):
        @extend_schema(
            operation_id=f"offer_{verb}",
            summary=f"{verb.capitalize()} an offer",
            description=(
                "Pause an active offer (no activation or reward while paused)." if paused else "Resume a paused offer."
            )
            + " Anything else is 409 `invalid_state_transition`. Scope `offers:write`.",
            request=None,
            responses={200: OfferSerializer, **problem_responses(401, 403, 404, 409)},
            tags=[TAG],
            examples=examples.OFFER_RETRIEVE,
        )
        def post(self, request: Request, offer_id: str) -> Response:
            principal = principal_of(request)
            return idempotent_post(
                request,
                body=InputSerializer,  # takes no parameters: anything sent is refused (parameter_unknown)
                status=200,
                render=_render(principal),
                perform=lambda data, handle: offer_set_paused(principal=principal, offer_id=offer_id, paused=paused),
            )

    OfferPauseApi.__name__ = OfferPauseApi.__qualname__ = f"Offer{verb.capitalize()}Api"
    return OfferPauseApi


OfferPauseApi = _pause_view(True)
OfferResumeApi = _pause_view(False)


class OfferAudienceApi(PartnerOffersApi):
    @extend_schema(
        operation_id="offer_audience",
        summary="Estimate an offer's audience",
        description=(
            "How many holders who opted in to offers the targeting matches now (last 90 days' spending), in this "
            "environment (sandbox: the partner's own holders). A number only: never who. Scope `offers:write`."
        ),
        responses={200: AudienceSerializer, **problem_responses(401, 403, 404)},
        tags=[TAG],
        examples=examples.AUDIENCE,
    )
    def get(self, request: Request, offer_id: str) -> Response:
        principal = principal_of(request)
        offer = offer_get(principal=principal, offer_id=offer_id)
        now = clock.now(environment=principal.environment)
        return Response(audience_snapshot(offer, audience_estimate(principal=principal, offer=offer, now=now), now=now))
