"""Payment authorisation requests: the ``authorization_details`` parameter of an authorize request (RFC 9396).

A JSON array of objects, each one of::

    {"type": "payment", "payee": "wal_...|fs_...", "amount": 1000, "currency": "USD"}
    {"type": "mandate", "payee": "wal_..." (optional), "currency": "USD", "max_per_payment": 5000,
     "max_per_period": 20000, "period": "day|week|month", "step_up_threshold": 3000 (optional),
     "expires_at": "2027-01-01T00:00:00Z" (optional)}

``parse`` checks the shape only (no database): it returns the ``MandateSpec``s or raises ``DetailsInvalid``
with the problems in the API's ``errors[]`` shape. Whether a payee exists is the authorization service's check.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime

from apps.core import clock
from apps.wallets import currencies

MAX_DETAILS = 5
PERIODS = ("day", "week", "month")
PAYEE_PREFIXES = ("wal_", "fs_")
_FIELDS = {
    "payment": ({"type", "payee", "amount", "currency"}, {"type", "payee", "amount", "currency"}),
    "mandate": (
        {"type", "currency", "max_per_payment", "max_per_period", "period"},
        {"type", "payee", "currency", "max_per_payment", "max_per_period", "period", "step_up_threshold", "expires_at"},
    ),
}


class DetailsInvalid(ValueError):
    """``authorization_details`` is not a list of valid payment or mandate objects; ``problems`` says why."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(p["message"] for p in problems))


@dataclass(frozen=True)
class MandateSpec:
    """One requested payment authorisation, shape-checked. ``kind`` is the ``Mandate.Kind`` value."""

    kind: str  # "single_payment" | "standing"
    currency: str
    payee: str = ""
    amount: int | None = None
    max_per_payment: int | None = None
    max_per_period: int | None = None
    period: str = ""
    step_up_threshold: int | None = None
    expires_at: datetime | None = None

    def describe(self, payee_name: str = "") -> str:
        """The request in plain words, for the consent screen."""
        to = f" to {payee_name or self.payee}" if self.payee else " to any payee"
        if self.kind == "single_payment":
            assert self.amount is not None
            return f"Make one payment of {_money(self.amount, self.currency)}{to}"
        assert self.max_per_payment is not None and self.max_per_period is not None
        text = (
            f"Make payments{to}: at most {_money(self.max_per_payment, self.currency)} each and "
            f"{_money(self.max_per_period, self.currency)} per {self.period}"
        )
        if self.step_up_threshold is not None:
            text += f"; payments above {_money(self.step_up_threshold, self.currency)} need your approval each time"
        if self.expires_at is not None:
            text += f"; until {self.expires_at:%d %b %Y}"
        return text


def _money(amount: int, currency: str) -> str:
    return f"{currencies.format_amount(amount, currency)} {currency}"


def _problem(index: int, name: str, code: str, message: str) -> dict[str, str]:
    return {"field": f"authorization_details[{index}].{name}", "code": code, "message": message}


def _positive_int(item: dict[str, Any], name: str, index: int, problems: list[dict[str, str]]) -> int | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(_problem(index, name, "invalid", f"{name} must be a positive integer in minor units."))
        return None
    return value


def _one(item: Any, index: int, now: datetime) -> tuple[MandateSpec | None, list[dict[str, str]]]:
    if not isinstance(item, dict):
        return None, [_problem(index, "type", "invalid", "Each authorization detail must be an object.")]
    kind = item.get("type")
    if kind not in _FIELDS:
        return None, [_problem(index, "type", "invalid", 'type must be "payment" or "mandate".')]
    required, allowed = _FIELDS[kind]
    problems = [_problem(index, name, "required", f"{name} is required.") for name in sorted(required - item.keys())]
    problems += [
        _problem(index, name, "unknown", f"{name} is not a field of {kind}.") for name in sorted(item.keys() - allowed)
    ]
    currency: str = item.get("currency", "")
    if "currency" in item and (not isinstance(currency, str) or not currencies.is_supported(currency)):
        problems.append(_problem(index, "currency", "invalid", "currency must be a supported ISO 4217 code."))
    payee = item.get("payee", "")
    if payee is None:
        payee = ""
    if payee and (not isinstance(payee, str) or not payee.startswith(PAYEE_PREFIXES) or len(payee) > 40):
        problems.append(_problem(index, "payee", "invalid", "payee must be a wal_ or fs_ id."))
    numbers = {
        name: _positive_int(item, name, index, problems)
        for name in ("amount", "max_per_payment", "max_per_period", "step_up_threshold")
    }
    period = item.get("period", "")
    if "period" in item and period not in PERIODS:
        problems.append(_problem(index, "period", "invalid", 'period must be "day", "week" or "month".'))
    expires_at = None
    if item.get("expires_at") is not None:
        raw = item["expires_at"]
        expires_at = parse_datetime(raw) if isinstance(raw, str) else None
        if expires_at is None or expires_at.tzinfo is None:
            problems.append(_problem(index, "expires_at", "invalid", "expires_at must be an RFC 3339 time."))
            expires_at = None
        elif expires_at <= now:
            problems.append(_problem(index, "expires_at", "in_past", "expires_at must be in the future."))
    mpp, mpd = numbers["max_per_payment"], numbers["max_per_period"]
    if mpp is not None and mpd is not None and mpp > mpd:
        problems.append(_problem(index, "max_per_payment", "above_period", "max_per_payment exceeds max_per_period."))
    if problems:
        return None, problems
    if kind == "payment":
        return MandateSpec(kind="single_payment", currency=currency, payee=payee, amount=numbers["amount"]), []
    return (
        MandateSpec(
            kind="standing",
            currency=currency,
            payee=payee,
            max_per_payment=mpp,
            max_per_period=mpd,
            period=period,
            step_up_threshold=numbers["step_up_threshold"],
            expires_at=expires_at.astimezone(UTC) if expires_at else None,
        ),
        [],
    )


def parse(raw: str | list[Any] | None, *, now: datetime | None = None) -> list[MandateSpec]:
    """The payment authorisations requested by ``raw`` (the parameter's JSON text, or the decoded list; empty or
    None: none). Raises ``DetailsInvalid`` listing every problem."""
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise DetailsInvalid(
                [{"field": "authorization_details", "code": "invalid_json", "message": "Not valid JSON."}]
            ) from None
    if not isinstance(raw, list) or not raw:
        raise DetailsInvalid(
            [{"field": "authorization_details", "code": "invalid", "message": "Must be a non-empty JSON array."}]
        )
    if len(raw) > MAX_DETAILS:
        raise DetailsInvalid(
            [{"field": "authorization_details", "code": "too_many", "message": f"At most {MAX_DETAILS} entries."}]
        )
    now = now or clock.now()
    specs: list[MandateSpec] = []
    problems: list[dict[str, str]] = []
    for index, item in enumerate(raw):
        spec, found = _one(item, index, now)
        problems += found
        if spec is not None:
            specs.append(spec)
    if problems:
        raise DetailsInvalid(problems)
    return specs
