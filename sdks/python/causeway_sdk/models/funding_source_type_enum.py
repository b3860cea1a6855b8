from typing import Literal

FundingSourceTypeEnum = Literal["bank_account", "card"]

FUNDING_SOURCE_TYPE_ENUM_VALUES: set[FundingSourceTypeEnum] = {
    "bank_account",
    "card",
}


def check_funding_source_type_enum(value: str) -> FundingSourceTypeEnum:
    if value in FUNDING_SOURCE_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FUNDING_SOURCE_TYPE_ENUM_VALUES!r}"
    )
