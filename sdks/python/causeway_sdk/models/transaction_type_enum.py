from typing import Literal

TransactionTypeEnum = Literal[
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

TRANSACTION_TYPE_ENUM_VALUES: set[TransactionTypeEnum] = {
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


def check_transaction_type_enum(value: str) -> TransactionTypeEnum:
    if value in TRANSACTION_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSACTION_TYPE_ENUM_VALUES!r}"
    )
