from typing import Literal

TransactionCategoryEnum = Literal[
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

TRANSACTION_CATEGORY_ENUM_VALUES: set[TransactionCategoryEnum] = {
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


def check_transaction_category_enum(value: str) -> TransactionCategoryEnum:
    if value in TRANSACTION_CATEGORY_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSACTION_CATEGORY_ENUM_VALUES!r}"
    )
