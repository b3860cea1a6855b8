from typing import Literal

MerchantCategoryEnum = Literal[
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

MERCHANT_CATEGORY_ENUM_VALUES: set[MerchantCategoryEnum] = {
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


def check_merchant_category_enum(value: str) -> MerchantCategoryEnum:
    if value in MERCHANT_CATEGORY_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {MERCHANT_CATEGORY_ENUM_VALUES!r}"
    )
