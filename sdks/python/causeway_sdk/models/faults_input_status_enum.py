from typing import Literal

FaultsInputStatusEnum = Literal[429, 500, 503]

FAULTS_INPUT_STATUS_ENUM_VALUES: set[FaultsInputStatusEnum] = {
    429,
    500,
    503,
}


def check_faults_input_status_enum(value: int) -> FaultsInputStatusEnum:
    if value in FAULTS_INPUT_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FAULTS_INPUT_STATUS_ENUM_VALUES!r}"
    )
