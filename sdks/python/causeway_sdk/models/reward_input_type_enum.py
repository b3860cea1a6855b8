from typing import Literal

RewardInputTypeEnum = Literal["cashback_fixed", "cashback_percent", "points"]

REWARD_INPUT_TYPE_ENUM_VALUES: set[RewardInputTypeEnum] = {
    "cashback_fixed",
    "cashback_percent",
    "points",
}


def check_reward_input_type_enum(value: str) -> RewardInputTypeEnum:
    if value in REWARD_INPUT_TYPE_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {REWARD_INPUT_TYPE_ENUM_VALUES!r}"
    )
