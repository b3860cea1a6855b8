from typing import Literal

FundingSourceStatusEnum = Literal["active", "removed"]

FUNDING_SOURCE_STATUS_ENUM_VALUES: set[FundingSourceStatusEnum] = {
    "active",
    "removed",
}


def check_funding_source_status_enum(value: str) -> FundingSourceStatusEnum:
    if value in FUNDING_SOURCE_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FUNDING_SOURCE_STATUS_ENUM_VALUES!r}"
    )
