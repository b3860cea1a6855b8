"""``/v1/sandbox/...`` (included in config/urls.py under ``v1``)."""

from django.urls import path

from sandbox.apis import consents, faults, lifecycle, offers, simulations, transfers

urlpatterns = [
    path("sandbox/reset", lifecycle.ResetApi.as_view(), name="sandbox-reset"),
    path("sandbox/clock", lifecycle.ClockApi.as_view(), name="sandbox-clock"),
    path("sandbox/clock/advance", lifecycle.ClockAdvanceApi.as_view(), name="sandbox-clock-advance"),
    path("sandbox/deposits", simulations.DepositApi.as_view(), name="sandbox-deposits"),
    path("sandbox/card_transactions", simulations.CardTransactionCreateApi.as_view(), name="sandbox-cards"),
    path(
        "sandbox/card_transactions/<str:card_transaction_id>/post",
        simulations.CardTransactionPostApi.as_view(),
        name="sandbox-card-post",
    ),
    path(
        "sandbox/card_transactions/<str:card_transaction_id>/reverse",
        simulations.CardTransactionReverseApi.as_view(),
        name="sandbox-card-reverse",
    ),
    path("sandbox/transfers/<str:transfer_id>/settle", transfers.TransferSettleApi.as_view(), name="sandbox-settle"),
    path("sandbox/transfers/<str:transfer_id>/fail", transfers.TransferFailApi.as_view(), name="sandbox-fail"),
    path(
        "sandbox/consents/<str:consent_id>/expire", consents.ConsentExpireApi.as_view(), name="sandbox-consent-expire"
    ),
    path("sandbox/offer_funding", offers.OfferFundingApi.as_view(), name="sandbox-offer-funding"),
    path("sandbox/webhooks/fire", simulations.FireApi.as_view(), name="sandbox-webhooks-fire"),
    path("sandbox/faults", faults.FaultsApi.as_view(), name="sandbox-faults"),
]
