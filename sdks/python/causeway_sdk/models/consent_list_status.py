from typing import Literal

ConsentListStatus = Literal[
    "", "authorized", "awaiting_authorization", "expired", "rejected", "revoked"
]

CONSENT_LIST_STATUS_VALUES: set[ConsentListStatus] = {
    "",
    "authorized",
    "awaiting_authorization",
    "expired",
    "rejected",
    "revoked",
}


def check_consent_list_status(value: str) -> ConsentListStatus:
    if value in CONSENT_LIST_STATUS_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CONSENT_LIST_STATUS_VALUES!r}"
    )
