from typing import Literal

FailureCodeEnum = Literal[
    "bank_account_closed",
    "bank_rejected",
    "funding_source_declined",
    "insufficient_funds_at_bank",
]

FAILURE_CODE_ENUM_VALUES: set[FailureCodeEnum] = {
    "bank_account_closed",
    "bank_rejected",
    "funding_source_declined",
    "insufficient_funds_at_bank",
}


def check_failure_code_enum(value: str) -> FailureCodeEnum:
    if value in FAILURE_CODE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FAILURE_CODE_ENUM_VALUES!r}"
    )
