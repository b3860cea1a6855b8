"""Transfer limits and review rules, per KYC tier and currency (``LimitRule``). Reads only.

The transfer service calls ``limits_check`` under the wallet lock, before it writes anything, and then
``review_reason`` to decide whether the transfer waits for staff review:

- **per transfer**: ``amount <= per_transfer_max``;
- **daily / monthly**: the holder's transfers in the currency over the rolling 24 hours / 30 days before
  ``now``, plus this one, stay within ``daily_max`` / ``monthly_max``;
- **velocity**: the holder's transfers in any currency over the last ``velocity_window_seconds``, plus this
  one, are at most ``velocity_max_count``.

A transfer counts against ``Transfer.holder`` (the paying holder; the receiving one for a top-up) at its
``initiated_at`` (the environment's clock), in its source ``currency`` and ``amount``, unless it ``failed`` or
was ``canceled``; a reversal does not give the volume back. What counts is kept per hour and per day in the
holder's usage buckets (``apps.transfers.usage``), so a check reads a bounded number of rows whatever the
holder's history. A currency without a rule for the tier (loyalty points ``XPT``, or a currency nobody
configured) has no limits at all.

The rules table is small and staff-edited: each process keeps it for ``RULE_CACHE_SECONDS``; the admin clears
the saving process's copy on commit (``limits_cache_clear``), the others pick an edit up within that time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apps.core import clock
from apps.core.errors import error_type
from apps.transfers import usage
from apps.transfers.caches import TableCache
from apps.transfers.models import LimitRule, Transfer
from apps.wallets import currencies
from apps.wallets.models import WalletHolder

RULE_CACHE_SECONDS = 30.0
DAY = timedelta(hours=24)
MONTH = timedelta(days=30)
# Transfers that reached the counterparty: a holder who has had one of these to someone knows them.
COMPLETED = (Transfer.Status.SUCCEEDED, Transfer.Status.REVERSED)

# Review reasons (stored in ``Transfer.review_reason``, shown to partners and staff): stable codes. A sanctions
# screening hit is ``compliance_hold`` (apps.transfers.screening), which says nothing of what matched.
REVIEW_COMPLIANCE = "compliance_hold"
REVIEW_OVER_THRESHOLD = "over_review_threshold"
REVIEW_NEW_COUNTERPARTY = "new_counterparty"
# Held because the transfer's risk score reached RISK_REVIEW_SCORE (apps.transfers.scoring, docs/risk.md).
REVIEW_RISK = "review"


LimitExceeded = error_type(
    "LimitExceeded",
    "limit_exceeded",
    422,
    "Limit exceeded",
    "This transfer exceeds the holder's limits.",
    doc=(
        "A limit would be broken. ``extra`` says which (``limit``: ``per_transfer``, ``daily``, ``monthly`` or "
        "``velocity``), the limit (``limit_amount`` money, or ``limit_count``), what already counts against it "
        "(``used``), its window (``window_seconds``) and when the transfer would fit (``resets_at``, RFC 3339, or "
        "null when waiting does not help)."
    ),
)


# --- Rules ------------------------------------------------------------------------------------------------------
def _load_rules() -> dict[tuple[str, str], LimitRule]:
    return {(rule.kyc_tier, rule.currency): rule for rule in LimitRule.objects.all()}


_rules: TableCache[tuple[str, str], LimitRule] = TableCache(_load_rules, ttl_seconds=RULE_CACHE_SECONDS)


def limits_cache_clear() -> None:
    """Forget this process's copy of the rules (the admin calls it on commit; tests between cases)."""
    _rules.clear()


def limit_rule_for(*, kyc_tier: str, currency: str) -> LimitRule | None:
    """The rule for ``kyc_tier`` in ``currency``, or None when that currency has no limits for the tier.

    Served from the in-process copy of the table (at most ``RULE_CACHE_SECONDS`` old): the returned object is
    shared, so treat it as read-only.
    """
    return _rules.get().get((kyc_tier, currency))


# --- Limits -----------------------------------------------------------------------------------------------------
def _money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def _text(amount: int, currency: str) -> str:
    return f"{currencies.format_amount(amount, currency)} {currency}"


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return unit if count == 1 else f"{count} {unit}s"
    return "second" if seconds == 1 else f"{seconds} seconds"


def _used(
    holder_id: int,
    windows: tuple[usage.Window, ...],
    *,
    adding: tuple[int, ...],
    maxima: tuple[int, ...],
    probe: usage.Probe | None,
) -> tuple[list[int | None], list[usage.Bound], int | None]:
    """What already counts in each of ``windows`` (daily and monthly by amount, the last, velocity, by number)
    where adding ``adding`` may break ``maxima``; None where the buckets' upper bound shows it cannot. And the
    bounds themselves, and ``probe``'s value. One query, plus one for the edge hours' transfers when a bound that
    does not clear its limit is not exact."""
    bounds, probed = usage.bounds(holder_id=holder_id, windows=windows, probe=probe)
    last = len(windows) - 1
    over = [
        (bound.count if index == last else bound.amount) + adding[index] > maxima[index]
        for index, bound in enumerate(bounds)
    ]
    if not any(over):
        return [None] * len(windows), bounds, probed
    if any(o and not bound.exact for o, bound in zip(over, bounds, strict=True)):
        totals = usage.exact(holder_id=holder_id, windows=windows, bounds=bounds)
    else:
        totals = [(bound.amount, bound.count) for bound in bounds]
    used = [
        (count if index == last else amount) if over[index] else None for index, (amount, count) in enumerate(totals)
    ]
    return used, bounds, probed


@dataclass(frozen=True)
class Checked:
    """What ``limits_usage_check`` found: the ``rule`` applied (None: no limits in the currency for the tier)
    and, when there is one, what the buckets it read show (upper bounds: a window's first hour taken whole):
    the holder's counted transfers in the currency over 30 days (``month_amount``, ``month_count``, this one
    not included) and in the velocity window in any currency (``recent_count``, this one included); and what a
    caller's ``probe`` read in the same statement (``probed`` False: it was not sent, read it yourself)."""

    rule: LimitRule | None
    month_amount: int | None = None
    month_count: int | None = None
    recent_count: int | None = None
    # Whether the probe was sent (with the buckets' query, so only when there is a rule) and what it read.
    probed: bool = False
    probe_value: int | None = None


def _fits_at(
    holder: WalletHolder, window: usage.Window, *, excess: int, period: timedelta, by_count: bool
) -> datetime | None:
    """When enough of the transfers counted in ``window`` (oldest first) has left it to free ``excess`` (an
    amount, or a number of transfers): the moment the last one needed leaves it. None when all of them leaving
    would not be enough. Runs only once a limit has been hit: one query."""
    initiated_at = usage.freed_at(holder_id=holder.pk, window=window, excess=excess, by_count=by_count)
    # Counted while initiated_at > now - period: it leaves the window at exactly initiated_at + period.
    return None if initiated_at is None else initiated_at + period


def limits_check(*, holder: WalletHolder, currency: str, amount: int, now: datetime) -> LimitRule | None:
    """``limits_usage_check``'s rule alone."""
    return limits_usage_check(holder=holder, currency=currency, amount=amount, now=now).rule


def limits_usage_check(
    *, holder: WalletHolder, currency: str, amount: int, now: datetime, probe: usage.Probe | None = None
) -> Checked:
    """Refuse a transfer of ``amount`` (minor units of ``currency``) by ``holder`` at ``now`` (the
    environment's clock) that would break one of the holder's limits. Reads only; returns the rule applied
    (pass it to ``review_reason``; None when ``currency`` has no limits for the holder's tier) with what the
    buckets showed (``Checked``, for the risk score: no further read). ``probe``, a caller's one-row read, rides
    in the buckets' statement (apps.transfers.usage.Probe).

    The caller holds the lock of the wallet the volume is counted on, so two transfers of the holder in one
    currency are checked one after the other; velocity counts every currency, so transfers in two currencies
    at the same instant may both pass it. Checks run in the order per transfer, daily, monthly, velocity, and
    the first one broken is reported. One query of the holder's usage buckets (``apps.transfers.usage``),
    whatever its history; one more for the transfers of a window's first hour when the buckets leave a limit in
    doubt, and, only when a rolling limit is broken, one for when it resets.

    Raises ``LimitExceeded`` (422).
    """
    rule = limit_rule_for(kyc_tier=holder.kyc_tier, currency=currency)
    if rule is None:
        return Checked(rule=None)
    tier = holder.kyc_tier
    if amount > rule.per_transfer_max:
        raise LimitExceeded(
            f"This transfer of {_text(amount, currency)} exceeds the per-transfer limit of "
            f"{_text(rule.per_transfer_max, currency)} for {tier} holders.",
            extra={
                "limit": "per_transfer",
                "limit_amount": _money(rule.per_transfer_max, currency),
                "used": None,
                "window_seconds": None,
                "resets_at": None,
                "kyc_tier": tier,
            },
        )
    velocity_window = timedelta(seconds=rule.velocity_window_seconds)
    windows = (
        usage.Window(now - DAY, currency),
        usage.Window(now - MONTH, currency),
        usage.Window(now - velocity_window, None),
    )
    maxima = (rule.daily_max, rule.monthly_max, rule.velocity_max_count)
    used, bounds, probed = _used(holder.pk, windows, adding=(amount, amount, 1), maxima=maxima, probe=probe)
    for index, name, label, span, window, maximum in (
        (0, "daily", "daily limit", "24 hours", DAY, rule.daily_max),
        (1, "monthly", "30-day limit", "30 days", MONTH, rule.monthly_max),
    ):
        spent = used[index]
        if spent is None or spent + amount <= maximum:
            continue
        resets_at = _fits_at(holder, windows[index], excess=spent + amount - maximum, period=window, by_count=False)
        detail = (
            f"This transfer of {_text(amount, currency)} would exceed the {label} of {_text(maximum, currency)} "
            f"for {tier} holders: {_text(spent, currency)} already counts against it over the last {span}."
        )
        detail += f" It fits from {clock.rfc3339(resets_at)}." if resets_at else " Waiting will not make it fit."
        raise LimitExceeded(
            detail,
            extra={
                "limit": name,
                "limit_amount": _money(maximum, currency),
                "used": _money(spent, currency),
                "window_seconds": int(window.total_seconds()),
                "resets_at": clock.rfc3339(resets_at),
                "kyc_tier": tier,
            },
        )
    recent = used[2]
    if recent is not None and recent + 1 > rule.velocity_max_count:
        resets_at = _fits_at(
            holder, windows[2], excess=recent + 1 - rule.velocity_max_count, period=velocity_window, by_count=True
        )
        detail = (
            f"The holder has made {recent} transfers in the last "
            f"{_duration(rule.velocity_window_seconds)}, the most allowed for {tier} holders."
        )
        detail += f" Try again from {clock.rfc3339(resets_at)}." if resets_at else ""
        raise LimitExceeded(
            detail,
            extra={
                "limit": "velocity",
                "limit_count": rule.velocity_max_count,
                "used": recent,
                "window_seconds": rule.velocity_window_seconds,
                "resets_at": clock.rfc3339(resets_at),
                "kyc_tier": tier,
            },
        )
    month = bounds[1]
    return Checked(
        rule=rule,
        month_amount=month.amount,
        month_count=month.count,
        recent_count=bounds[2].count + 1,
        probed=probe is not None,
        probe_value=probed,
    )


# --- Review -----------------------------------------------------------------------------------------------------
def review_reason(
    *,
    transfer_type: str,
    holder: WalletHolder,
    counterparty_holder: WalletHolder | None,
    amount: int,
    currency: str,
    rule: LimitRule | None,
) -> str:
    """Why a transfer that passed ``limits_check`` and sanctions screening must wait for staff review, or ``""``
    when it need not. Reads only; the first rule that applies wins, cheapest first:

    1. ``over_review_threshold``: ``amount > rule.review_threshold``;
    2. ``new_counterparty`` (``p2p`` only): ``amount >= rule.new_counterparty_review_amount`` and the
       counterparty is another holder that ``holder`` has never had a succeeded or reversed transfer to (one
       EXISTS query, made only when the amount is large enough).

    ``rule`` is what ``limits_check`` returned for ``currency`` (None: no amount-based review). Raises
    ``ValueError`` when ``rule`` is for another currency.
    """
    if rule is not None and rule.currency != currency:
        raise ValueError(f"rule is for {rule.currency}, the transfer is in {currency}")
    if rule is None:
        return ""
    if amount > rule.review_threshold:
        return REVIEW_OVER_THRESHOLD
    if (
        transfer_type == Transfer.Type.P2P
        and counterparty_holder is not None
        and counterparty_holder.pk != holder.pk
        and amount >= rule.new_counterparty_review_amount
        and not Transfer.objects.filter(
            holder=holder, destination_wallet__holder=counterparty_holder, status__in=COMPLETED
        ).exists()
    ):
        return REVIEW_NEW_COUNTERPARTY
    return ""
