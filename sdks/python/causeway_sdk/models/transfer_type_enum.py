from typing import Literal

TransferTypeEnum = Literal["fx", "p2p", "payout", "top_up"]

TRANSFER_TYPE_ENUM_VALUES: set[TransferTypeEnum] = {
    "fx",
    "p2p",
    "payout",
    "top_up",
}


def check_transfer_type_enum(value: str) -> TransferTypeEnum:
    if value in TRANSFER_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TRANSFER_TYPE_ENUM_VALUES!r}"
    )
