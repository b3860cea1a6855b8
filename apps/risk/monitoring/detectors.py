"""The monitoring rules, each a pure function of a holder's window (``history.Window``) and its parameters
(``rules``), returning what it found. Nothing here reads or writes the database.

Every finding carries a ``dedupe_key`` made of its kind and the public id of the transaction that anchors it (the
first of a run of deposits, the inflow that left, the first movement after a dormant spell), so running the rules
again over the same postings, or over a window that has since grown, finds the same alert rather than a new one.
Its ``evidence`` lists the transactions that met the rule (``transactions``: public ids) and the numbers that made
them meet it (``figures``: amounts in minor units, counts, the rule's parameters): for bank staff only.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from apps.core.clock import rfc3339
from apps.risk.monitoring.history import Movement, Window
from apps.risk.monitoring.rules import Parameters
from apps.wallets.currencies import format_amount

STRUCTURING = "structuring"
RAPID_MOVEMENT = "rapid_movement"
DORMANT_REACTIVATED = "dormant_reactivated"
MULE_PATTERN = "mule_pattern"
KINDS = (STRUCTURING, RAPID_MOVEMENT, DORMANT_REACTIVATED, MULE_PATTERN)


@dataclass(frozen=True)
class Finding:
    """One alert to raise: ``alert_raise(holder=, kind=, summary=, evidence=, dedupe_key=)``."""

    kind: str
    summary: str
    evidence: dict[str, Any]
    dedupe_key: str


def _money(amount: int, currency: str) -> str:
    return f"{format_amount(amount, currency)} {currency}"


def _evidence(movements: list[Movement], **figures: Any) -> dict[str, Any]:
    """The transactions that met a rule (public ids, in booking order) and the numbers that made them meet it."""
    return {"transactions": [m.id for m in movements], "figures": figures}


def _by_currency(movements: list[Movement]) -> dict[str, list[Movement]]:
    grouped: dict[str, list[Movement]] = defaultdict(list)
    for movement in movements:
        grouped[movement.currency].append(movement)
    return grouped


def _since(window: Window, hours: int) -> list[Movement]:
    start = window.at - timedelta(hours=hours)
    return [m for m in window.movements if m.booked_at >= start]


def structuring(window: Window, params: Parameters) -> list[Finding]:
    """Several deposits just below the reporting threshold within the window: at least ``min_count`` credits of
    one currency, each at least ``threshold * (100 - margin_percent) / 100`` and below ``threshold``."""
    rule = params.structuring
    found = []
    for currency, credits in _by_currency([m for m in _since(window, rule.window_hours) if m.is_credit]).items():
        band = rule.band(currency)
        if band is None:
            continue
        low, threshold = band
        near = [m for m in credits if low <= m.amount < threshold]
        if len(near) < rule.min_count:
            continue
        total = sum(m.amount for m in near)
        found.append(
            Finding(
                kind=STRUCTURING,
                summary=(
                    f"{len(near)} deposits just below the {_money(threshold, currency)} reporting threshold within "
                    f"{rule.window_hours} h ({_money(total, currency)} in all)."
                ),
                evidence=_evidence(
                    near,
                    currency=currency,
                    reporting_threshold=threshold,
                    band_from=low,
                    window_hours=rule.window_hours,
                    count=len(near),
                    total=total,
                ),
                dedupe_key=f"{STRUCTURING}:{near[0].id}",
            )
        )
    return found


def rapid_movement(window: Window, params: Parameters) -> list[Finding]:
    """Most of an inflow leaving soon after it: a credit of at least ``min_inflow`` followed, within
    ``window_hours`` of it, by debits of the same wallet adding up to ``outflow_percent`` of it or more."""
    rule = params.rapid_movement
    span = timedelta(hours=rule.window_hours)
    movements = _since(window, rule.window_hours)
    found = []
    for inflow in movements:
        least = rule.min_inflow.get(inflow.currency)
        if least is None or not inflow.is_credit or inflow.amount < least:
            continue
        outflows = [
            m
            for m in movements
            if m.is_debit
            and m.wallet_id == inflow.wallet_id
            and (m.booked_at, m.seq) > (inflow.booked_at, inflow.seq)
            and m.booked_at <= inflow.booked_at + span
        ]
        left = -sum(m.amount for m in outflows)
        if left * 100 < inflow.amount * rule.outflow_percent:
            continue
        currency = inflow.currency
        found.append(
            Finding(
                kind=RAPID_MOVEMENT,
                summary=(
                    f"{_money(left, currency)} of a {_money(inflow.amount, currency)} inflow left within "
                    f"{rule.window_hours} h ({left * 100 // inflow.amount}%)."
                ),
                evidence=_evidence(
                    [inflow, *outflows],
                    currency=currency,
                    inflow=inflow.amount,
                    outflow_total=left,
                    outflow_percent=rule.outflow_percent,
                    window_hours=rule.window_hours,
                ),
                dedupe_key=f"{RAPID_MOVEMENT}:{inflow.id}",
            )
        )
    return found


def dormant_reactivated(window: Window, params: Parameters) -> list[Finding]:
    """A dormant holder suddenly active: the window's first movement comes ``dormant_days`` or more after the
    holder's previous one. A holder with no earlier movement at all is new, not dormant."""
    rule = params.dormant_reactivated
    previous = window.previous
    if previous is None or not window.movements:
        return []
    first = window.movements[0]
    gap = first.booked_at - previous.booked_at
    if gap < timedelta(days=rule.dormant_days):
        return []
    return [
        Finding(
            kind=DORMANT_REACTIVATED,
            summary=f"Active again after {gap.days} days without a movement ({len(window.movements)} since).",
            evidence=_evidence(
                [previous, *window.movements[:50]],
                dormant_days=rule.dormant_days,
                gap_days=gap.days,
                previous_at=rfc3339(previous.booked_at),
                active_again_at=rfc3339(first.booked_at),
            ),
            dedupe_key=f"{DORMANT_REACTIVATED}:{first.id}",
        )
    ]


def mule_pattern(window: Window, params: Parameters) -> list[Finding]:
    """Many small payments in from distinct senders: credits of one currency of at most ``max_amount`` each from
    ``min_senders`` or more different senders within the window (a sender is the paying holder of a transfer, or
    the named sender of a deposit; unnamed ones are not counted as distinct)."""
    rule = params.mule_pattern
    found = []
    for currency, credits in _by_currency([m for m in _since(window, rule.window_hours) if m.is_credit]).items():
        most = rule.max_amount.get(currency)
        if most is None:
            continue
        small = [m for m in credits if m.amount <= most]
        senders = {m.sender for m in small if m.sender}
        if len(senders) < rule.min_senders:
            continue
        total = sum(m.amount for m in small)
        found.append(
            Finding(
                kind=MULE_PATTERN,
                summary=(
                    f"{len(small)} payments of at most {_money(most, currency)} from {len(senders)} different "
                    f"senders within {rule.window_hours} h ({_money(total, currency)} in all)."
                ),
                evidence=_evidence(
                    small,
                    currency=currency,
                    max_amount=most,
                    window_hours=rule.window_hours,
                    senders=len(senders),
                    count=len(small),
                    total=total,
                ),
                dedupe_key=f"{MULE_PATTERN}:{small[0].id}",
            )
        )
    return found


DETECTORS: tuple[Callable[[Window, Parameters], list[Finding]], ...] = (
    structuring,
    rapid_movement,
    dormant_reactivated,
    mule_pattern,
)


def detect(window: Window, params: Parameters) -> list[Finding]:
    """Every rule's findings over ``window``, in the order of ``KINDS``."""
    return [finding for detector in DETECTORS for finding in detector(window, params)]
