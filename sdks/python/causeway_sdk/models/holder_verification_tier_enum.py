from typing import Literal

HolderVerificationTierEnum = Literal["basic", "full"]

HOLDER_VERIFICATION_TIER_ENUM_VALUES: set[HolderVerificationTierEnum] = {
    "basic",
    "full",
}


def check_holder_verification_tier_enum(value: str) -> HolderVerificationTierEnum:
    if value in HOLDER_VERIFICATION_TIER_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {HOLDER_VERIFICATION_TIER_ENUM_VALUES!r}"
    )
