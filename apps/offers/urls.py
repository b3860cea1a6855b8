from django.urls import path

from apps.offers.apis import offers, points, wallet_offers
from apps.offers.apis.insights import HolderInsightsApi

urlpatterns = [
    path("wallet_holders/<str:holder_id>/insights", HolderInsightsApi.as_view(), name="wallet-holder-insights"),
    path("wallet_holders/<str:holder_id>/offers", wallet_offers.HolderOfferListApi.as_view(), name="holder-offers"),
    path(
        "wallet_holders/<str:holder_id>/offers/<str:offer_id>/activate",
        wallet_offers.HolderOfferActivateApi.as_view(),
        name="holder-offer-activate",
    ),
    path("points/programme", points.ProgrammeApi.as_view(), name="points-programme"),
    path("points/redemptions", points.PointsRedemptionCreateApi.as_view(), name="points-redemptions"),
    path("offers", offers.OfferListCreateApi.as_view(), name="offer-list"),
    path("offers/<str:offer_id>", offers.OfferDetailApi.as_view(), name="offer-detail"),
    path("offers/<str:offer_id>/pause", offers.OfferPauseApi.as_view(), name="offer-pause"),
    path("offers/<str:offer_id>/resume", offers.OfferResumeApi.as_view(), name="offer-resume"),
    path("offers/<str:offer_id>/audience", offers.OfferAudienceApi.as_view(), name="offer-audience"),
]
