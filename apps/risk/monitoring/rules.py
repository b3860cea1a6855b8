"""The monitoring rules' parameters: defaults here, overridden key by key by ``settings.RISK_MONITORING``.

Amounts are minor units per currency; a rule does not look at a currency it has no amount for (and never at
loyalty points). Windows are in hours of the posting's own clock (the sandbox clock in a sandbox).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

# 10,000.00 in the currencies whose reporting threshold is usually that round number.
_TEN_THOUSAND = {"USD": 1_000_000, "EUR": 1_000_000, "GBP": 1_000_000, "CHF": 1_000_000, "CAD": 1_000_000}

DEFAULTS: dict[str, Any] = {
    "enabled": True,
    # The most rows one run reads (the newest of the window); a window with more is cut and the cut logged.
    "max_rows": 1000,
    "structuring": {
        "reporting_threshold": _TEN_THOUSAND,
        "margin_percent": 10,  # "just below": at least threshold * (100 - margin) / 100, below the threshold
        "min_count": 3,
        "window_hours": 24,
    },
    "rapid_movement": {
        "min_inflow": {code: amount // 10 for code, amount in _TEN_THOUSAND.items()},  # 1,000.00
        "outflow_percent": 80,
        "window_hours": 24,
    },
    "dormant_reactivated": {"dormant_days": 180},
    "mule_pattern": {
        "max_amount": {code: amount // 100 for code, amount in _TEN_THOUSAND.items()},  # 100.00
        "min_senders": 5,
        "window_hours": 24,
    },
}


@dataclass(frozen=True)
class Structuring:
    reporting_threshold: dict[str, int]
    margin_percent: int
    min_count: int
    window_hours: int

    def band(self, currency: str) -> tuple[int, int] | None:
        """The amounts that count as just below the threshold in ``currency``: ``low <= amount < high``."""
        threshold = self.reporting_threshold.get(currency)
        if threshold is None:
            return None
        return -(-threshold * (100 - self.margin_percent) // 100), threshold


@dataclass(frozen=True)
class RapidMovement:
    min_inflow: dict[str, int]
    outflow_percent: int
    window_hours: int


@dataclass(frozen=True)
class DormantReactivated:
    dormant_days: int


@dataclass(frozen=True)
class MulePattern:
    max_amount: dict[str, int]
    min_senders: int
    window_hours: int


@dataclass(frozen=True)
class Parameters:
    enabled: bool
    max_rows: int
    structuring: Structuring
    rapid_movement: RapidMovement
    dormant_reactivated: DormantReactivated
    mule_pattern: MulePattern

    @property
    def window_hours(self) -> int:
        """The window one run reads: the longest of the rules' windows."""
        return max(self.structuring.window_hours, self.rapid_movement.window_hours, self.mule_pattern.window_hours)


def enabled() -> bool:
    """Whether monitoring is on (read on every posting, so without building the parameters)."""
    overrides: dict[str, Any] = getattr(settings, "RISK_MONITORING", {}) or {}
    return bool(overrides.get("enabled", DEFAULTS["enabled"]))


def parameters() -> Parameters:
    """The parameters in force: ``DEFAULTS`` with ``settings.RISK_MONITORING`` laid over them, rule by rule."""
    overrides: dict[str, Any] = getattr(settings, "RISK_MONITORING", {}) or {}

    def rule(name: str) -> dict[str, Any]:
        return {**DEFAULTS[name], **overrides.get(name, {})}

    return Parameters(
        enabled=bool(overrides.get("enabled", DEFAULTS["enabled"])),
        max_rows=int(overrides.get("max_rows", DEFAULTS["max_rows"])),
        structuring=Structuring(**rule("structuring")),
        rapid_movement=RapidMovement(**rule("rapid_movement")),
        dormant_reactivated=DormantReactivated(**rule("dormant_reactivated")),
        mule_pattern=MulePattern(**rule("mule_pattern")),
    )
