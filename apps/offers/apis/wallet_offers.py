"""Offers in a holder's wallet: ``GET /v1/wallet_holders/{id}/offers`` (``offers:read``) lists the offers the
holder may use, ``POST /v1/wallet_holders/{id}/offers/{offer}/activate`` (``offers:write``) saves one. Only for
holders who opted in (403 ``personalisation_off``); an OAuth token the holder granted the scope to, or a sandbox
secret key over its own sandbox holders."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core import clock
from apps.core.idempotent_post import idempotent_post
from apps.core.openapi import problem_responses
from apps.core.pagination import list_serializer
from apps.core.principal import principal_of
from apps.core.scopes import OFFERS_READ, OFFERS_WRITE
from apps.core.serializers import InputSerializer
from apps.offers.apis import examples
from apps.offers.models import OfferActivation
from apps.offers.selectors.insights import require_personalisation
from apps.offers.selectors.offers import holder_offers
from apps.offers.serializers import WalletOfferSerializer
from apps.offers.services.activation import offer_activate
from apps.offers.snapshots import wallet_offer_snapshot
from apps.wallets.apis.base import HolderDataApi
from apps.wallets.selectors import holder_get

TAG = "Offers"
# Not paged: the whole list in one page (has_more is always false).
WalletOfferListSerializer = list_serializer("WalletOfferList", WalletOfferSerializer)


class HolderOfferListApi(HolderDataApi):
    required_scopes = (OFFERS_READ,)

    @extend_schema(
        operation_id="wallet_holder_offer_list",
        summary="Offers for a holder",
        description=(
            "The partner's offers this holder may use now: active, inside their window, and matching the holder's "
            "last 90 days of spending (targeting), plus the ones the holder activated. Not paged (a partner has "
            "few live offers). Only for holders who opted in (403 `personalisation_off`). Scope `offers:read`."
        ),
        responses={200: WalletOfferListSerializer, **problem_responses(401, 403, 404)},
        tags=[TAG],
        examples=examples.WALLET_OFFER_LIST,
    )
    def get(self, request: Request, holder_id: str) -> Response:
        principal = principal_of(request)
        holder = holder_get(principal=principal, holder_id=holder_id)
        require_personalisation(holder)
        now = clock.now(environment=principal.environment)
        offers = holder_offers(principal=principal, holder=holder, now=now)
        data = [wallet_offer_snapshot(offer, activation, now=now) for offer, activation in offers]
        return Response({"object": "list", "data": data, "has_more": False, "next_cursor": None})


class HolderOfferActivateApi(HolderDataApi):
    required_scopes = (OFFERS_WRITE,)

    @extend_schema(
        operation_id="wallet_holder_offer_activate",
        summary="Activate an offer for a holder",
        description=(
            "Save the offer to the holder's wallet: their next card payment at the merchant that meets the offer "
            "earns the reward. Activating again returns the same activation. A paused, exhausted, ended or "
            "not-yet-started offer, or one not targeted at this holder, is 422 `offer_not_available`; a holder "
            "who has not opted in is 403 `personalisation_off`. Accepts `Idempotency-Key`. Scope `offers:write`."
        ),
        request=None,
        responses={200: WalletOfferSerializer, **problem_responses(401, 403, 404, 409, 422)},
        tags=[TAG],
        examples=examples.WALLET_OFFER_ACTIVATE,
    )
    def post(self, request: Request, holder_id: str, offer_id: str) -> Response:
        principal = principal_of(request)
        now = clock.now(environment=principal.environment)

        def render(activation: OfferActivation) -> dict:
            return wallet_offer_snapshot(activation.offer, activation, now=now)

        return idempotent_post(
            request,
            body=InputSerializer,  # takes no parameters: anything sent is refused (parameter_unknown)
            status=200,
            render=render,
            perform=lambda data, handle: offer_activate(principal=principal, holder_id=holder_id, offer_id=offer_id),
        )
