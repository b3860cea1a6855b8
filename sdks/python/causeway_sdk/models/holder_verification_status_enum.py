from typing import Literal

HolderVerificationStatusEnum = Literal[
    "approved", "needs_review", "pending", "rejected"
]

HOLDER_VERIFICATION_STATUS_ENUM_VALUES: set[HolderVerificationStatusEnum] = {
    "approved",
    "needs_review",
    "pending",
    "rejected",
}


def check_holder_verification_status_enum(value: str) -> HolderVerificationStatusEnum:
    if value in HOLDER_VERIFICATION_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {HOLDER_VERIFICATION_STATUS_ENUM_VALUES!r}"
    )
