from django.urls import path

from apps.transfers.apis import (
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
]
