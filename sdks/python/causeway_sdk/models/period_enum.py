from typing import Literal

PeriodEnum = Literal["day", "month", "week"]

PERIOD_ENUM_VALUES: set[PeriodEnum] = {
    "day",
    "month",
    "week",
}


def check_period_enum(value: str) -> PeriodEnum:
    if value in PERIOD_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {PERIOD_ENUM_VALUES!r}"
    )
