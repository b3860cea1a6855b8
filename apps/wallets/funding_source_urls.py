from django.urls import path

from apps.wallets.funding_source_apis import FundingSourceDetailApi, FundingSourceListCreateApi, FundingSourceReorderApi

urlpatterns = [
    path(
        "wallet_holders/<str:holder_id>/funding_sources",
        FundingSourceListCreateApi.as_view(),
        name="funding-source-list",
    ),
    # Before the detail route, which would otherwise take "reorder" for an id.
    path(
        "wallet_holders/<str:holder_id>/funding_sources/reorder",
        FundingSourceReorderApi.as_view(),
        name="funding-source-reorder",
    ),
    path(
        "wallet_holders/<str:holder_id>/funding_sources/<str:funding_source_id>",
        FundingSourceDetailApi.as_view(),
        name="funding-source-detail",
    ),
]
