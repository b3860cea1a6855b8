from typing import Literal

WalletTransactionListTypeItem = Literal[
    "adjustment",
    "card_payment",
    "deposit",
    "fee",
    "fx",
    "points",
    "refund",
    "transfer",
    "withdrawal",
]

WALLET_TRANSACTION_LIST_TYPE_ITEM_VALUES: set[WalletTransactionListTypeItem] = {
    "adjustment",
    "card_payment",
    "deposit",
    "fee",
    "fx",
    "points",
    "refund",
    "transfer",
    "withdrawal",
}


def check_wallet_transaction_list_type_item(
    value: str,
) -> WalletTransactionListTypeItem:
    if value in WALLET_TRANSACTION_LIST_TYPE_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WALLET_TRANSACTION_LIST_TYPE_ITEM_VALUES!r}"
    )
