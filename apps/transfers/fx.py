"""FX: prices from the rate table, and quotes that fix a price for one transfer.

A price converts a source amount into a destination amount at the pair's mid-market rate (``FxRate``), after a
fee in the source currency. All arithmetic is exact on integers and ``Decimal`` (never float):

- ``fee = max(1, ceil(source_amount * fee_bps / 10000))``, in the source currency's minor units;
- ``destination_amount = floor((source_amount - fee) * rate * 10 ** (destination_exponent - source_exponent))``.

Rounding always favours the book: the fee rounds up and the destination rounds down, so converting and
converting back never creates money. A quote (``fxq_``) records one price until ``expires_at``
(``FX_QUOTE_TTL_SECONDS`` in the environment's clock) and is usable by one transfer: the transfer service locks
the quote row after the wallets, calls ``fx_quote_check_usable`` and sets ``used_at`` in its own transaction.

The rate table is small and staff-edited: each process keeps it for ``RATE_CACHE_SECONDS``; the admin clears
the saving process's copy on commit (``fx_rates_cache_clear``), the others pick an edit up within that time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from apps.core import clock
from apps.core.errors import BadRequest, NotFound, error_type
from apps.core.principal import Principal
from apps.transfers.caches import TableCache
from apps.transfers.models import FxQuote, FxRate
from apps.transfers.snapshots import fx_quote_snapshot as fx_quote_snapshot  # importers read it here too
from apps.wallets import currencies
from apps.wallets.services import InvalidAmount, UnsupportedCurrency

# JSON numbers above 2**53 - 1 lose precision in JavaScript clients: no price may need one.
MAX_AMOUNT = 2**53 - 1
RATE_CACHE_SECONDS = 30.0
BPS = 10_000


QuoteExpired = error_type(
    "QuoteExpired",
    "quote_expired",
    422,
    "Quote expired",
    "This FX quote has expired. Create a new quote and use it before its expires_at.",
)
QuoteUsed = error_type(
    "QuoteUsed",
    "quote_used",
    422,
    "Quote used",
    "This FX quote was already used by a transfer. Each quote is usable once: create a new one.",
)
FxRateUnavailable = error_type(
    "FxRateUnavailable",
    "fx_rate_unavailable",
    422,
    "FX rate unavailable",
    "There is no FX rate for this currency pair.",
)
SameCurrency = error_type(
    "SameCurrency", "same_currency", 422, "Same currency", "The source and destination currencies must differ."
)
AmountTooSmall = error_type(
    "AmountTooSmall", "amount_too_small", 422, "Amount too small", "The amount is too small to convert after the fee."
)


@dataclass(frozen=True, slots=True)
class FxPrice:
    """One conversion: ``source_amount`` (fee included) buys ``destination_amount``. ``rate`` is the decimal
    string it was priced at; ``fee_amount`` is in the source currency and always less than ``source_amount``."""

    source_currency: str
    destination_currency: str
    source_amount: int
    destination_amount: int
    fee_amount: int
    rate: str
    fee_bps: int


# --- The rate table ---------------------------------------------------------------------------------------------
def _load_rates() -> dict[tuple[str, str], tuple[str, int]]:
    rows = FxRate.objects.values_list("base_currency", "quote_currency", "rate", "fee_bps")
    return {(base, quote): (rate, fee_bps) for base, quote, rate, fee_bps in rows}


_rates: TableCache[tuple[str, str], tuple[str, int]] = TableCache(_load_rates, ttl_seconds=RATE_CACHE_SECONDS)


def fx_rates_cache_clear() -> None:
    """Forget this process's copy of the rate table (the admin calls it on commit; tests between cases)."""
    _rates.clear()


def parse_rate(value: str) -> Decimal | None:
    """The rate ``value`` as a finite, positive ``Decimal``, or None when it is not one."""
    try:
        rate = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return rate if rate.is_finite() and rate > 0 else None


# --- Prices -----------------------------------------------------------------------------------------------------
def _currency(code: str, field: str) -> str:
    if not isinstance(code, str) or not currencies.is_supported(code):
        raise UnsupportedCurrency(
            f"{code!r} is not a supported ISO 4217 currency.",
            errors=[{"field": field, "code": "currency_unsupported", "message": "Unsupported currency."}],
        )
    return code


def _amount(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0 or value > MAX_AMOUNT:
        raise InvalidAmount(
            f"{field} must be a positive integer in minor units, at most {MAX_AMOUNT}.",
            errors=[{"field": field, "code": "amount_invalid", "message": "Must be a positive integer."}],
        )
    return value


@dataclass(frozen=True, slots=True)
class _Pricing:
    """``destination = (source - fee) * multiplier // divisor``: the rate and the exponents as one exact fraction."""

    fee_bps: int
    multiplier: int
    divisor: int

    def fee(self, source: int) -> int:
        return max(1, -(-source * self.fee_bps // BPS))

    def destination(self, source: int) -> int:
        net = source - self.fee(source)
        return net * self.multiplier // self.divisor if net > 0 else 0


def _pricing(*, rate: Decimal, fee_bps: int, source_currency: str, destination_currency: str) -> _Pricing:
    numerator, denominator = rate.as_integer_ratio()
    shift = currencies.exponent(destination_currency) - currencies.exponent(source_currency)
    if shift >= 0:
        return _Pricing(fee_bps=fee_bps, multiplier=numerator * 10**shift, divisor=denominator)
    return _Pricing(fee_bps=fee_bps, multiplier=numerator, divisor=denominator * 10**-shift)


def _smallest_source_for(pricing: _Pricing, destination: int) -> int:
    """The least source amount whose price reaches ``destination``. The price never falls as the source grows
    (the fee rises by at most one minor unit per unit of source while ``fee_bps <= 10000``), so a binary search
    over ``[1, hi]`` finds it."""
    hi = max(2, -(-destination * pricing.divisor // pricing.multiplier) * 2)
    while pricing.destination(hi) < destination:
        if hi > MAX_AMOUNT:
            raise InvalidAmount(
                f"destination_amount needs a source amount above {MAX_AMOUNT}.",
                errors=[{"field": "destination_amount", "code": "amount_invalid", "message": "Too large."}],
            )
        hi *= 2
    lo = 1
    while lo < hi:
        mid = (lo + hi) // 2
        if pricing.destination(mid) >= destination:
            hi = mid
        else:
            lo = mid + 1
    return lo


def fx_price(
    *,
    source_currency: str,
    destination_currency: str,
    source_amount: int | None = None,
    destination_amount: int | None = None,
) -> FxPrice:
    """Price a conversion from ``source_currency`` into ``destination_currency``. Reads only.

    Give exactly one amount, in minor units. With ``source_amount``, the price is what it buys (fee included
    in it). With ``destination_amount``, the price is the smallest source amount that buys at least that much,
    and the destination it actually buys (which may exceed the one asked for by rounding).

    Invariants: ``0 < fee_amount < source_amount``; ``destination_amount > 0``; both amounts at most
    ``MAX_AMOUNT``; the destination is never rounded up.

    Raises ``UnsupportedCurrency`` (400), ``SameCurrency`` (422: a pair with no rate), ``BadRequest``
    ``parameter_invalid`` (400) unless exactly one amount is given, ``InvalidAmount`` (400) for an amount that
    is not a positive integer within ``MAX_AMOUNT``, ``FxRateUnavailable`` (422) when the pair has no usable
    rate and ``AmountTooSmall`` (422) when the fee leaves nothing to convert or the result is under one minor
    unit.
    """
    _currency(source_currency, "source_currency")
    _currency(destination_currency, "destination_currency")
    if source_currency == destination_currency:
        raise SameCurrency(
            f"Both currencies are {source_currency}: an FX quote converts between two different currencies.",
            errors=[{"field": "destination_currency", "code": "same_currency", "message": "Must differ."}],
        )
    if (source_amount is None) == (destination_amount is None):
        message = "Send exactly one of source_amount and destination_amount."
        raise BadRequest(
            message,
            code="parameter_invalid",
            errors=[
                {"field": name, "code": "parameter_invalid", "message": message}
                for name in ("source_amount", "destination_amount")
            ],
        )
    entry = _rates.get().get((source_currency, destination_currency))
    rate = parse_rate(entry[0]) if entry is not None else None
    if entry is None or rate is None or not 0 <= entry[1] < BPS:
        raise FxRateUnavailable(f"There is no FX rate from {source_currency} to {destination_currency}.")
    rate_text, fee_bps = format(rate, "f"), entry[1]
    pricing = _pricing(
        rate=rate, fee_bps=fee_bps, source_currency=source_currency, destination_currency=destination_currency
    )
    if source_amount is not None:
        source = _amount(source_amount, "source_amount")
    else:
        source = _smallest_source_for(pricing, _amount(destination_amount, "destination_amount"))
        if source > MAX_AMOUNT:
            raise InvalidAmount(
                f"destination_amount needs a source amount above {MAX_AMOUNT}.",
                errors=[{"field": "destination_amount", "code": "amount_invalid", "message": "Too large."}],
            )
    destination = pricing.destination(source)
    if destination <= 0:
        raise AmountTooSmall(
            f"{currencies.format_amount(source, source_currency)} {source_currency} buys less than one minor unit of "
            f"{destination_currency} after the fee.",
            errors=[{"field": "source_amount", "code": "amount_too_small", "message": "Too small to convert."}],
        )
    if destination > MAX_AMOUNT:
        raise InvalidAmount(
            f"The converted amount would exceed {MAX_AMOUNT} minor units of {destination_currency}.",
            errors=[{"field": "source_amount", "code": "amount_invalid", "message": "Too large."}],
        )
    return FxPrice(
        source_currency=source_currency,
        destination_currency=destination_currency,
        source_amount=source,
        destination_amount=destination,
        fee_amount=pricing.fee(source),
        rate=rate_text,
        fee_bps=fee_bps,
    )


# --- Quotes -----------------------------------------------------------------------------------------------------
def fx_quote_create(
    *,
    principal: Principal,
    source_currency: str,
    destination_currency: str,
    source_amount: int | None = None,
    destination_amount: int | None = None,
) -> FxQuote:
    """Price the conversion (``fx_price``) and record it as a quote of ``principal``'s partner and environment,
    usable once until ``now + FX_QUOTE_TTL_SECONDS`` in the environment's clock. Writes one row.

    Raises what ``fx_price`` raises; nothing is written then.
    """
    price = fx_price(
        source_currency=source_currency,
        destination_currency=destination_currency,
        source_amount=source_amount,
        destination_amount=destination_amount,
    )
    expires_at = clock.now(environment=principal.environment) + timedelta(seconds=settings.FX_QUOTE_TTL_SECONDS)
    return FxQuote.objects.create(
        partner=principal.partner,
        environment=principal.environment,
        source_currency=price.source_currency,
        destination_currency=price.destination_currency,
        source_amount=price.source_amount,
        fee_amount=price.fee_amount,
        destination_amount=price.destination_amount,
        rate=price.rate,
        expires_at=expires_at,
    )


def fx_quote_get(*, principal: Principal, quote_id: str) -> FxQuote:
    """The quote ``quote_id`` of ``principal``'s partner and environment (with its environment loaded).

    Raises ``NotFound`` (404) for an unknown id and for another partner's or environment's quote alike.
    """
    quote = (
        FxQuote.objects.select_related("environment")
        .filter(partner=principal.partner, environment=principal.environment, public_id=quote_id)
        .first()
    )
    if quote is None:
        raise NotFound(f"No such FX quote: {quote_id!r}.")
    return quote


def fx_quote_check_usable(*, quote: FxQuote, now: datetime) -> None:
    """Refuse a quote that a transfer may not use at ``now`` (the environment's clock). Reads only.

    The caller holds the quote's row lock (taken after the wallets' locks), so the answer stays true until it
    sets ``used_at`` in the same transaction. Raises ``QuoteUsed`` (422) when ``used_at`` is set or a transfer
    already points at the quote, else ``QuoteExpired`` (422) once ``now >= expires_at``.
    """
    if quote.used_at is not None or _has_transfer(quote):
        raise QuoteUsed(f"FX quote {quote.public_id} was already used by a transfer; create a new quote.")
    if now >= quote.expires_at:
        raise QuoteExpired(
            f"FX quote {quote.public_id} expired at {clock.rfc3339(quote.expires_at)}; create a new quote.",
            extra={"expires_at": clock.rfc3339(quote.expires_at)},
        )


def _has_transfer(quote: FxQuote) -> bool:
    try:
        return quote.transfer is not None
    except FxQuote.transfer.RelatedObjectDoesNotExist:
        return False
