from typing import Literal

TransactionStatusEnum = Literal["pending", "posted", "reversed"]

TRANSACTION_STATUS_ENUM_VALUES: set[TransactionStatusEnum] = {
    "pending",
    "posted",
    "reversed",
}


def check_transaction_status_enum(value: str) -> TransactionStatusEnum:
    if value in TRANSACTION_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSACTION_STATUS_ENUM_VALUES!r}"
    )
