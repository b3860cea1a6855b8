from typing import Literal

WalletStatusEnum = Literal["active", "closed", "frozen"]

WALLET_STATUS_ENUM_VALUES: set[WalletStatusEnum] = {
    "active",
    "closed",
    "frozen",
}


def check_wallet_status_enum(value: str) -> WalletStatusEnum:
    if value in WALLET_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WALLET_STATUS_ENUM_VALUES!r}"
    )
