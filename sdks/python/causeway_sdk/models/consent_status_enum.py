from typing import Literal

ConsentStatusEnum = Literal[
    "authorized", "awaiting_authorization", "expired", "rejected", "revoked"
]

CONSENT_STATUS_ENUM_VALUES: set[ConsentStatusEnum] = {
    "authorized",
    "awaiting_authorization",
    "expired",
    "rejected",
    "revoked",
}


def check_consent_status_enum(value: str) -> ConsentStatusEnum:
    if value in CONSENT_STATUS_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CONSENT_STATUS_ENUM_VALUES!r}"
    )
