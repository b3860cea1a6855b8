from typing import Literal

KycTierEnum = Literal["basic", "full", "unverified"]

KYC_TIER_ENUM_VALUES: set[KycTierEnum] = {
    "basic",
    "full",
    "unverified",
}


def check_kyc_tier_enum(value: str) -> KycTierEnum:
    if value in KYC_TIER_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {KYC_TIER_ENUM_VALUES!r}"
    )
