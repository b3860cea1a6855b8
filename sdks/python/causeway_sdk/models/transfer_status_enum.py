from typing import Literal

TransferStatusEnum = Literal[
    "canceled", "failed", "held", "pending", "processing", "reversed", "succeeded"
]

TRANSFER_STATUS_ENUM_VALUES: set[TransferStatusEnum] = {
    "canceled",
    "failed",
    "held",
    "pending",
    "processing",
    "reversed",
    "succeeded",
}


def check_transfer_status_enum(value: str) -> TransferStatusEnum:
    if value in TRANSFER_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSFER_STATUS_ENUM_VALUES!r}"
    )
