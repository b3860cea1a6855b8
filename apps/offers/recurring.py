"""Recurring payments detected in a holder's history (pure: no database), for the insights endpoint.

A series is the posted movements of one direction (money in or out) at one merchant (its name, else the
counterparty) in one category. It is recurring with a cadence when it has enough occurrences and every gap
between two of them is one period of that cadence give or take its tolerance, or two periods (one skipped
occurrence: a month without rent), with most gaps a single period. Dates may drift inside the tolerance (a
salary paid on the Friday before a weekend); amounts may vary (a utility bill): the typical amount is the
median. A series whose last occurrence is more than two periods before the end of the window has stopped.
"""

import calendar
import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Cadence:
    name: str
    days: float
    tolerance: float
    min_occurrences: int


CADENCES = (
    Cadence("weekly", 7.0, 1.5, 4),
    Cadence("monthly", 30.44, 4.5, 3),
    Cadence("yearly", 365.25, 12.0, 2),
)


@dataclass(frozen=True)
class Movement:
    """One posted movement: ``amount`` signed (money in positive), at ``at``."""

    merchant: str
    category: str
    amount: int
    at: datetime


@dataclass(frozen=True)
class Recurring:
    merchant: str
    category: str
    direction: str  # "in" | "out"
    amount: int  # typical (median) absolute amount, minor units
    cadence: str
    occurrences: int
    last_at: datetime
    next_expected_at: datetime


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _next(cadence: Cadence, last: datetime) -> datetime:
    if cadence.name == "monthly":
        return _add_months(last, 1)
    if cadence.name == "yearly":
        return _add_months(last, 12)
    return last + timedelta(days=7)


def _fits(cadence: Cadence, gaps: list[float]) -> bool:
    singles = 0
    for gap in gaps:
        if abs(gap - cadence.days) <= cadence.tolerance:
            singles += 1
        elif abs(gap - 2 * cadence.days) > cadence.tolerance * 1.5:
            return False
    return singles * 2 > len(gaps)


def detect(movements: list[Movement], *, end: datetime) -> list[Recurring]:
    """The recurring series among ``movements`` still alive at ``end``, largest typical amount first."""
    series: dict[tuple[str, str, str], list[Movement]] = defaultdict(list)
    for movement in movements:
        if movement.merchant:
            direction = "in" if movement.amount > 0 else "out"
            series[(direction, movement.merchant, movement.category)].append(movement)
    found = []
    for (direction, merchant, category), items in series.items():
        items.sort(key=lambda m: m.at)
        gaps = [(b.at - a.at).total_seconds() / 86400 for a, b in itertools.pairwise(items)]
        for cadence in CADENCES:
            if len(items) < cadence.min_occurrences or not _fits(cadence, gaps):
                continue
            last = items[-1].at
            if (end - last).total_seconds() / 86400 > 2 * cadence.days + cadence.tolerance:
                break
            found.append(
                Recurring(
                    merchant=merchant,
                    category=category,
                    direction=direction,
                    amount=int(statistics.median(abs(m.amount) for m in items)),
                    cadence=cadence.name,
                    occurrences=len(items),
                    last_at=last,
                    next_expected_at=_next(cadence, last),
                )
            )
            break
    found.sort(key=lambda r: (-r.amount, r.merchant))
    return found
