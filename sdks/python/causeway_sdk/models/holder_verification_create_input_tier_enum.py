from typing import Literal

HolderVerificationCreateInputTierEnum = Literal["basic", "full"]

HOLDER_VERIFICATION_CREATE_INPUT_TIER_ENUM_VALUES: set[
    HolderVerificationCreateInputTierEnum
] = {
    "basic",
    "full",
}


def check_holder_verification_create_input_tier_enum(
    value: str,
) -> HolderVerificationCreateInputTierEnum:
    if value in HOLDER_VERIFICATION_CREATE_INPUT_TIER_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {HOLDER_VERIFICATION_CREATE_INPUT_TIER_ENUM_VALUES!r}"
    )
