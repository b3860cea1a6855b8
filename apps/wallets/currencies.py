"""Currencies a wallet can hold, with their ISO 4217 minor-unit exponents. Amounts are integers in minor units
(1099 USD = 10.99; 1099 JPY = 1099 yen; 1099 KWD = 1.099). ``XPT`` is the loyalty-points currency."""

POINTS = "XPT"

EXPONENTS: dict[str, int] = {
    "AED": 2, "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "CZK": 2, "DKK": 2,
    "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0,
    "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2, "QAR": 2,
    "RON": 2, "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UGX": 0, "USD": 2,
    "VND": 0, "ZAR": 2,
    POINTS: 0,
}  # fmt: skip


CODES = sorted(EXPONENTS)


def is_supported(code: str) -> bool:
    return code in EXPONENTS


def exponent(code: str) -> int:
    return EXPONENTS[code]


def format_amount(amount: int, code: str) -> str:
    """``format_amount(1099, "USD") == "10.99"`` (for people, never for arithmetic)."""
    places = EXPONENTS[code]
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**places) if places else (abs(amount), 0)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
