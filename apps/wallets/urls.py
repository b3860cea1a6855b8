from django.urls import path

from apps.wallets.apis.funding_sources import (
    FundingSourceDetailApi,
    FundingSourceListCreateApi,
    FundingSourceReorderApi,
)
from apps.wallets.apis.wallets import (
    TransactionRetrieveApi,
    WalletBalanceApi,
    WalletHolderListApi,
    WalletHolderRetrieveApi,
    WalletListApi,
    WalletRetrieveApi,
    WalletTransactionListApi,
)

urlpatterns = [
    path("wallet_holders", WalletHolderListApi.as_view(), name="wallet-holder-list"),
    path("wallet_holders/<str:holder_id>", WalletHolderRetrieveApi.as_view(), name="wallet-holder-retrieve"),
    path("wallets", WalletListApi.as_view(), name="wallet-list"),
    path("wallets/<str:wallet_id>", WalletRetrieveApi.as_view(), name="wallet-retrieve"),
    path("wallets/<str:wallet_id>/balances", WalletBalanceApi.as_view(), name="wallet-balance-retrieve"),
    path("wallets/<str:wallet_id>/transactions", WalletTransactionListApi.as_view(), name="wallet-transaction-list"),
    path("transactions/<str:transaction_id>", TransactionRetrieveApi.as_view(), name="transaction-retrieve"),
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
