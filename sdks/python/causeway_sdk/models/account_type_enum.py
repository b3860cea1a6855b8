from typing import Literal

AccountTypeEnum = Literal["system", "wallet"]

ACCOUNT_TYPE_ENUM_VALUES: set[AccountTypeEnum] = {
    "system",
    "wallet",
}


def check_account_type_enum(value: str) -> AccountTypeEnum:
    if value in ACCOUNT_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ACCOUNT_TYPE_ENUM_VALUES!r}"
    )
