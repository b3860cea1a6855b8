from typing import Literal

DisabledReasonEnum = Literal["failing", "gone", "manual"]

DISABLED_REASON_ENUM_VALUES: set[DisabledReasonEnum] = {
    "failing",
    "gone",
    "manual",
}


def check_disabled_reason_enum(value: str) -> DisabledReasonEnum:
    if value in DISABLED_REASON_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DISABLED_REASON_ENUM_VALUES!r}"
    )
