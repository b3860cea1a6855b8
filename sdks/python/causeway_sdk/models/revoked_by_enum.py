from typing import Literal

RevokedByEnum = Literal["bank", "holder", "partner"]

REVOKED_BY_ENUM_VALUES: set[RevokedByEnum] = {
    "bank",
    "holder",
    "partner",
}


def check_revoked_by_enum(value: str) -> RevokedByEnum:
    if value in REVOKED_BY_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {REVOKED_BY_ENUM_VALUES!r}"
    )
