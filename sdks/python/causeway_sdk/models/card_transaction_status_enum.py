from typing import Literal

CardTransactionStatusEnum = Literal["pending", "posted", "reversed"]

CARD_TRANSACTION_STATUS_ENUM_VALUES: set[CardTransactionStatusEnum] = {
    "pending",
    "posted",
    "reversed",
}


def check_card_transaction_status_enum(value: str) -> CardTransactionStatusEnum:
    if value in CARD_TRANSACTION_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CARD_TRANSACTION_STATUS_ENUM_VALUES!r}"
    )
