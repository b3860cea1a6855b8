from typing import Literal

KindEnum = Literal["single_payment", "standing"]

KIND_ENUM_VALUES: set[KindEnum] = {
    "single_payment",
    "standing",
}


def check_kind_enum(value: str) -> KindEnum:
    if value in KIND_ENUM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KIND_ENUM_VALUES!r}")
