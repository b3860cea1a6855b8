"""The transfer risk score (docs/risk.md, "Risk score"): a pure function of plain values, so the rules are
written once, read in one place and tested without a database.

``score(inputs)`` adds the weight of every rule that applies, caps the sum at 100 and names the level. The caller
gathers ``inputs`` in bounded time under the transfer's locks (``apps.transfers.scoring``): nothing here reads.
Reason codes are generic on purpose: they are shown to partners and say which kind of pattern counted, never any
monitoring or screening detail (sanctions hits are ``compliance_hold``, outside the score).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# Reason codes, in the order they are listed on a transfer.
AMOUNT_UNUSUAL = "amount_unusual"
VELOCITY = "velocity"
NEW_COUNTERPARTY = "new_counterparty"
CROSS_BORDER = "cross_border"
NEW_ACCOUNT = "new_account"
RECENT_KYC_CHANGE = "recent_kyc_change"
SANDBOX_TEST = "sandbox_test"

# What each rule adds to the score. No two of velocity, new counterparty, new account and recent KYC change
# reach ``high`` without an unusual amount or a cross-border corridor.
WEIGHTS: dict[str, int] = {
    AMOUNT_UNUSUAL: 40,
    CROSS_BORDER: 25,
    VELOCITY: 20,
    NEW_COUNTERPARTY: 15,
    NEW_ACCOUNT: 10,
    RECENT_KYC_CHANGE: 10,
    SANDBOX_TEST: 90,
}
REASONS: tuple[str, ...] = tuple(WEIGHTS)
MAX_SCORE = 100

# amount_unusual: more than this many times the holder's average transfer in the currency over 30 days, once
# the holder has made at least ``AMOUNT_HISTORY_MIN`` transfers in it over those 30 days.
AMOUNT_FACTOR = 5
AMOUNT_HISTORY_MIN = 3
# velocity: this one makes at least this share of the tier's velocity limit in its window.
VELOCITY_SHARE = 0.5
# new_account and recent_kyc_change: within this long before the transfer.
NEW_ACCOUNT_AGE = timedelta(days=7)
KYC_CHANGE_AGE = timedelta(days=7)

# Levels by score: the lowest score of each, highest first.
LOW, ELEVATED, HIGH = "low", "elevated", "high"
LEVELS: tuple[tuple[int, str], ...] = ((70, HIGH), (40, ELEVATED), (0, LOW))
LEVEL_NAMES: tuple[str, ...] = (LOW, ELEVATED, HIGH)


@dataclass(frozen=True)
class RiskInputs:
    """What the rules look at, gathered by the caller. ``None`` means "not known", and a rule that needs it
    does not apply.

    - ``amount``: the transfer's amount (minor units of its currency);
    - ``month_amount``, ``month_count``: the holder's counted transfers in that currency over the 30 days before
      (as the usage buckets give them);
    - ``recent_count``, ``velocity_max``: the holder's transfers in the tier's velocity window, this one
      included, and the tier's velocity limit;
    - ``counterparty_seen``: whether the holder has had a transfer with this counterparty before (None: the
      transfer has no counterparty, an FX between own wallets);
    - ``cross_border``: the counterparty's bank is in a country whose currency is not the wallet's;
    - ``holder_created_at``, ``kyc_changed_at``, ``now``: the holder's age and its last KYC tier change;
    - ``sandbox_test``: the sandbox's documented trigger.
    """

    amount: int
    now: datetime
    holder_created_at: datetime
    month_amount: int | None = None
    month_count: int | None = None
    recent_count: int | None = None
    velocity_max: int | None = None
    counterparty_seen: bool | None = None
    cross_border: bool = False
    kyc_changed_at: datetime | None = None
    sandbox_test: bool = False


@dataclass(frozen=True)
class Risk:
    """A transfer's risk: ``score`` 0-100, its ``level`` and the ``reasons`` that added to it."""

    score: int
    level: str
    reasons: tuple[str, ...]


def level_for(score: int) -> str:
    return next(level for floor, level in LEVELS if score >= floor)


def _amount_unusual(inputs: RiskInputs) -> bool:
    count, total = inputs.month_count, inputs.month_amount
    if count is None or total is None or count < AMOUNT_HISTORY_MIN:
        return False
    # amount > factor * total / count, without division.
    return inputs.amount * count > AMOUNT_FACTOR * total


def _velocity(inputs: RiskInputs) -> bool:
    if inputs.recent_count is None or not inputs.velocity_max:
        return False
    return inputs.recent_count >= VELOCITY_SHARE * inputs.velocity_max


def applies(inputs: RiskInputs) -> tuple[str, ...]:
    """The reason codes whose rules apply to ``inputs``, in ``REASONS`` order."""
    checks = {
        AMOUNT_UNUSUAL: _amount_unusual(inputs),
        CROSS_BORDER: inputs.cross_border,
        VELOCITY: _velocity(inputs),
        NEW_COUNTERPARTY: inputs.counterparty_seen is False,
        NEW_ACCOUNT: inputs.now - inputs.holder_created_at < NEW_ACCOUNT_AGE,
        RECENT_KYC_CHANGE: inputs.kyc_changed_at is not None and inputs.now - inputs.kyc_changed_at < KYC_CHANGE_AGE,
        SANDBOX_TEST: inputs.sandbox_test,
    }
    return tuple(reason for reason in REASONS if checks[reason])


def score(inputs: RiskInputs) -> Risk:
    """The risk of a transfer described by ``inputs``: the weights of the rules that apply, capped at 100."""
    reasons = applies(inputs)
    total = min(MAX_SCORE, sum(WEIGHTS[reason] for reason in reasons))
    return Risk(score=total, level=level_for(total), reasons=reasons)
