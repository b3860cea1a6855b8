from django.urls import path

from apps.transfers.apis.fx import FxQuoteCreateApi, FxQuoteRetrieveApi
from apps.transfers.apis.transfers import (
    TransferCancelApi,
    TransferListCreateApi,
    TransferRetrieveApi,
    TransferReversalListCreateApi,
)

urlpatterns = [
    path("transfers", TransferListCreateApi.as_view(), name="transfer-list"),
    path("transfers/<str:transfer_id>", TransferRetrieveApi.as_view(), name="transfer-retrieve"),
    path("transfers/<str:transfer_id>/cancel", TransferCancelApi.as_view(), name="transfer-cancel"),
    path("transfers/<str:transfer_id>/reversals", TransferReversalListCreateApi.as_view(), name="transfer-reversals"),
    path("fx/quotes", FxQuoteCreateApi.as_view(), name="fx-quote-create"),
    path("fx/quotes/<str:quote_id>", FxQuoteRetrieveApi.as_view(), name="fx-quote-retrieve"),
]
