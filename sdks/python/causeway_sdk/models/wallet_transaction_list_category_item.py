from typing import Literal

WalletTransactionListCategoryItem = Literal[
    "cash",
    "dining",
    "education",
    "entertainment",
    "fees",
    "groceries",
    "health",
    "income",
    "other",
    "points",
    "refund",
    "rent",
    "salary",
    "shopping",
    "transfer",
    "transport",
    "travel",
    "utilities",
]

WALLET_TRANSACTION_LIST_CATEGORY_ITEM_VALUES: set[WalletTransactionListCategoryItem] = {
    "cash",
    "dining",
    "education",
    "entertainment",
    "fees",
    "groceries",
    "health",
    "income",
    "other",
    "points",
    "refund",
    "rent",
    "salary",
    "shopping",
    "transfer",
    "transport",
    "travel",
    "utilities",
}


def check_wallet_transaction_list_category_item(
    value: str,
) -> WalletTransactionListCategoryItem:
    if value in WALLET_TRANSACTION_LIST_CATEGORY_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WALLET_TRANSACTION_LIST_CATEGORY_ITEM_VALUES!r}"
    )
