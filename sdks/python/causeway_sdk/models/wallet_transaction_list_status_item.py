from typing import Literal

WalletTransactionListStatusItem = Literal["pending", "posted", "reversed"]

WALLET_TRANSACTION_LIST_STATUS_ITEM_VALUES: set[WalletTransactionListStatusItem] = {
    "pending",
    "posted",
    "reversed",
}


def check_wallet_transaction_list_status_item(
    value: str,
) -> WalletTransactionListStatusItem:
    if value in WALLET_TRANSACTION_LIST_STATUS_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WALLET_TRANSACTION_LIST_STATUS_ITEM_VALUES!r}"
    )
