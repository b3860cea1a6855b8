from typing import Literal

ResetStatusEnum = Literal["pending", "succeeded"]

RESET_STATUS_ENUM_VALUES: set[ResetStatusEnum] = {
    "pending",
    "succeeded",
}


def check_reset_status_enum(value: str) -> ResetStatusEnum:
    if value in RESET_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {RESET_STATUS_ENUM_VALUES!r}"
    )
