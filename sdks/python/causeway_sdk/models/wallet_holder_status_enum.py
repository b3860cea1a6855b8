from typing import Literal

WalletHolderStatusEnum = Literal["active", "closed", "frozen"]

WALLET_HOLDER_STATUS_ENUM_VALUES: set[WalletHolderStatusEnum] = {
    "active",
    "closed",
    "frozen",
}


def check_wallet_holder_status_enum(value: str) -> WalletHolderStatusEnum:
    if value in WALLET_HOLDER_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {WALLET_HOLDER_STATUS_ENUM_VALUES!r}"
    )
