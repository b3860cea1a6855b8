from typing import Literal

RiskReasonEnum = Literal[
    "amount_unusual",
    "cross_border",
    "new_account",
    "new_counterparty",
    "recent_kyc_change",
    "sandbox_test",
    "velocity",
]

RISK_REASON_ENUM_VALUES: set[RiskReasonEnum] = {
    "amount_unusual",
    "cross_border",
    "new_account",
    "new_counterparty",
    "recent_kyc_change",
    "sandbox_test",
    "velocity",
}


def check_risk_reason_enum(value: str) -> RiskReasonEnum:
    if value in RISK_REASON_ENUM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {RISK_REASON_ENUM_VALUES!r}"
    )
