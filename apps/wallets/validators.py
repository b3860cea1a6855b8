"""Shape checks that need no database: funding source details (and the model fields they become:
``apps.wallets.funding_sources.funding_source_prepare`` calls these), and imported history items
(``apps.wallets.bulk``).

IBANs (country length and ISO 7064 mod-97 check digits), UK sort codes (6 digits) with account numbers (8
digits), cards (brand, last four, an expiry not in the past by the environment's clock). A full card number is
refused wherever it shows up, and no error message ever repeats what was sent. A bank account's details become
one encrypted JSON document (``apps.wallets.crypto``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NoReturn

from apps.core.errors import error_type
from apps.wallets import crypto, currencies
from apps.wallets.bank_registry import COUNTRY_CURRENCY, IBAN_LENGTHS
from apps.wallets.categories import is_category
from apps.wallets.ledger import CLEARING_CARD, FX, POINTS_ISSUANCE, SYSTEM_CODES
from apps.wallets.models import FundingSource, Transaction, Wallet

CARD_BRANDS = ("visa", "mastercard", "amex", "discover", "other")
# Expiry years a card may carry: a fixed range, so the API reference can state it and stays true every year.
CARD_EXP_YEAR_MIN, CARD_EXP_YEAR_MAX = 2000, 2075

FundingSourceInvalid = error_type(
    "FundingSourceInvalid",
    "parameter_invalid",
    400,
    "Invalid request",
    "Some parameters are invalid.",
    doc="Invalid funding source details: 400 with one ``errors`` item per field at fault.",
)
CardExpired = error_type(
    "CardExpired",
    "card_expired",
    422,
    "Card expired",
    "The card has expired.",
    base=FundingSourceInvalid,
    doc="A well-formed card whose expiry month is over (by the environment's clock): a fact about the card, not "
    "a malformed request, so a 422 (with any malformed field, the 400 lists it too).",
)

IbanRefused = error_type(
    "IbanRefused",
    "iban_invalid",
    422,
    "Invalid IBAN",
    "The IBAN is not valid.",
    base=FundingSourceInvalid,
    doc="An IBAN of the shape the schema states (two letters, two digits, up to 30 letters or digits) that is not "
    "a real one: its country issues no IBANs, it has the wrong length for its country, or its check digits do not "
    "match. A fact about the account number that no pattern can state, like an expired card, so a 422 (with any "
    "malformed field, the 400 lists it too).",
)


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def refuse(*errors: FieldError) -> NoReturn:
    first = errors[0]
    raise FundingSourceInvalid(
        f"Some parameters are invalid. {first.field}: {first.message}", errors=[e.as_dict() for e in errors]
    )


def _raise(errors: list[FieldError]) -> None:
    if errors:
        refuse(*errors)


# --- Validation -------------------------------------------------------------------------------------------------
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
# What the API reference states for each bank account field, as sent (spaces anywhere, any case for an IBAN): the
# shapes the checks below accept, so a request the schema allows fails only on the IBAN registry and check
# digits (422 ``iban_invalid``). Blank is "not given".
IBAN_PATTERN = r"^\s*(?:(?:[A-Za-z]\s*){2}(?:[0-9]\s*){2}(?:[A-Za-z0-9]\s*){1,30})?$"
SORT_CODE_PATTERN = r"^\s*(?:[0-9]{6}|[0-9]{2}-[0-9]{2}-[0-9]{2}|[0-9]{2} [0-9]{2} [0-9]{2})?\s*$"
ACCOUNT_NUMBER_PATTERN = r"^\s*(?:(?:[0-9]\s*){8})?$"
BANK_CURRENCY_PATTERN = (
    "^\\s*(?:" + "|".join(code for code in currencies.CODES if code != currencies.POINTS) + ")?\\s*$"
)
_SORT_CODE = re.compile(r"[0-9]{6}|[0-9]{2}([- ])[0-9]{2}\1[0-9]{2}")
_ACCOUNT_NUMBER = re.compile(r"[0-9]{8}")
_LAST4 = re.compile(r"[0-9]{4}")
# 12 to 19 digits, optionally grouped by spaces or hyphens: what a full card number (PAN) looks like.
PAN_PATTERN = r"(?<![0-9])[0-9](?:[ -]?[0-9]){11,18}(?![0-9])"
_PAN_LIKE = re.compile(PAN_PATTERN)
_PAN_REFUSED = "Send only the last four digits: full card numbers are refused and never stored."


class _Invalid(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def looks_like_card_number(value: Any) -> bool:
    return isinstance(value, str | int) and bool(_PAN_LIKE.search(str(value)))


def _iban_mod97(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97


def validate_iban(value: str) -> str:
    """The IBAN without spaces, upper-case; raises ``_Invalid`` naming the reason: ``parameter_invalid`` for a
    malformed one, ``iban_invalid`` for one of the right shape that is not a real IBAN."""
    iban = re.sub(r"\s+", "", value or "").upper()
    if not iban:
        raise _Invalid("parameter_missing", "Enter the IBAN.")
    if not _IBAN_SHAPE.fullmatch(iban):
        raise _Invalid(
            "parameter_invalid", "An IBAN is a country code, two check digits and up to 30 letters or digits."
        )
    country = iban[:2]
    expected = IBAN_LENGTHS.get(country)
    if expected is None:
        raise _Invalid("iban_invalid", "The IBAN's country code is not one that issues IBANs.")
    if len(iban) != expected:
        raise _Invalid("iban_invalid", f"An IBAN from {country} has {expected} characters; this one has {len(iban)}.")
    # Check digits 00, 01 and 99 never come out of the algorithm, though 00 and 01 pass the mod-97 test.
    if iban[2:4] in {"00", "01", "99"} or _iban_mod97(iban) != 1:
        raise _Invalid("iban_invalid", "The IBAN's check digits do not match: look for a mistyped character.")
    return iban


def validate_sort_code(value: str) -> str:
    """Six digits, also accepted as ``12-34-56`` or ``12 34 56``; returned as ``123456``."""
    text = (value or "").strip()
    if not text:
        raise _Invalid("parameter_missing", "Enter the sort code.")
    if not _SORT_CODE.fullmatch(text):
        raise _Invalid("sort_code_invalid", "A sort code is six digits, such as 12-34-56.")
    return re.sub(r"[- ]", "", text)


def validate_account_number(value: str) -> str:
    """A UK account number: eight digits (spaces ignored)."""
    text = re.sub(r"\s+", "", value or "")
    if not text:
        raise _Invalid("parameter_missing", "Enter the account number.")
    if not _ACCOUNT_NUMBER.fullmatch(text):
        raise _Invalid("account_number_invalid", "A UK account number is eight digits.")
    return text


def _validate_name(value: str, *, required: bool) -> str:
    name = " ".join((value or "").split())
    if not name:
        if required:
            raise _Invalid("parameter_missing", "Enter the name on the account.")
        return ""
    if len(name) > 200:
        raise _Invalid("parameter_invalid", "At most 200 characters.")
    if looks_like_card_number(name):
        raise _Invalid("card_number_refused", _PAN_REFUSED)
    return name


def _validate_currency(value: str, *, country: str) -> str:
    code = (value or "").strip() or COUNTRY_CURRENCY.get(country, "")
    if code and (not currencies.is_supported(code) or code == currencies.POINTS):
        raise _Invalid("currency_unsupported", "Not a currency a bank account can hold here.")
    return code


def card_expired(*, exp_month: int, exp_year: int, now: datetime) -> bool:
    """A card is valid through the last day of its expiry month."""
    return (exp_year, exp_month) < (now.year, now.month)


@dataclass(frozen=True)
class BankAccountDetails:
    """What a caller sends for a bank account: an IBAN, or a UK sort code and account number. The numbers are
    left out of ``repr`` so they cannot end up in a log line or a traceback through it."""

    account_holder_name: str
    iban: str = field(default="", repr=False)
    sort_code: str = field(default="", repr=False)
    account_number: str = field(default="", repr=False)
    currency: str = ""


@dataclass(frozen=True)
class CardDetails:
    """A card as a caller may send it: brand, last four digits, expiry. Never the number."""

    brand: str
    last4: str = field(repr=False)
    exp_month: int
    exp_year: int
    holder_name: str = ""


def _check(errors: list[FieldError], name: str, validate: Callable[[], Any]) -> Any:
    try:
        return validate()
    except _Invalid as invalid:
        errors.append(FieldError(name, invalid.code, invalid.message))
        return None


def bank_account_fields(details: BankAccountDetails) -> dict[str, Any]:
    """Validated model fields for a bank account (with the encrypted document), or ``FundingSourceInvalid``."""
    errors: list[FieldError] = []
    name = _check(
        errors, "bank_account.account_holder_name", lambda: _validate_name(details.account_holder_name, required=True)
    )
    uses_iban = bool((details.iban or "").strip())
    uses_uk = bool((details.sort_code or "").strip() or (details.account_number or "").strip())
    document: dict[str, str] = {}
    if uses_iban and uses_uk:
        errors.append(
            FieldError(
                "bank_account", "parameter_invalid", "Send either an IBAN or a sort code and account number, not both."
            )
        )
    elif uses_iban:
        iban = _check(errors, "bank_account.iban", lambda: validate_iban(details.iban))
        if iban:
            document = {"scheme": "iban", "iban": iban}
    elif uses_uk:
        sort_code = _check(errors, "bank_account.sort_code", lambda: validate_sort_code(details.sort_code))
        number = _check(errors, "bank_account.account_number", lambda: validate_account_number(details.account_number))
        if sort_code and number:
            document = {"scheme": "sort_code", "sort_code": sort_code, "account_number": number}
    else:
        errors.append(
            FieldError("bank_account", "parameter_missing", "Send an IBAN, or a sort code and an account number.")
        )
    country = document["iban"][:2] if document.get("scheme") == "iban" else "GB"
    currency = _check(errors, "bank_account.currency", lambda: _validate_currency(details.currency, country=country))
    if errors and all(error.code == "iban_invalid" for error in errors):
        raise IbanRefused(errors[0].message, errors=[error.as_dict() for error in errors])
    _raise(errors)
    account = document.get("iban") or document["account_number"]
    return {
        "kind": FundingSource.Kind.BANK_ACCOUNT,
        "account_encrypted": crypto.encrypt_json(document),
        "account_holder_name": name,
        "bank_country": country,
        "currency": currency,
        "last4": account[-4:],
    }


def card_fields(details: CardDetails, *, now: datetime) -> dict[str, Any]:
    errors: list[FieldError] = []
    brand = (details.brand or "").strip().lower()
    if brand not in CARD_BRANDS:
        errors.append(FieldError("card.brand", "parameter_invalid", f"Must be one of {', '.join(CARD_BRANDS)}."))
    last4 = str(details.last4 or "").strip()
    if looks_like_card_number(last4):
        errors.append(FieldError("card.last4", "card_number_refused", _PAN_REFUSED))
    elif not _LAST4.fullmatch(last4):
        errors.append(FieldError("card.last4", "parameter_invalid", "Must be the last four digits of the card."))
    month, year = details.exp_month, details.exp_year
    month_ok = isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12
    year_ok = isinstance(year, int) and not isinstance(year, bool) and CARD_EXP_YEAR_MIN <= year <= CARD_EXP_YEAR_MAX
    if not month_ok:
        errors.append(FieldError("card.exp_month", "parameter_invalid", "Must be a month number from 1 to 12."))
    if not year_ok:
        errors.append(FieldError("card.exp_year", "parameter_invalid", "Must be a four-digit year, such as 2030."))
    if month_ok and year_ok and card_expired(exp_month=month, exp_year=year, now=now):
        field_name = "card.exp_year" if year < now.year else "card.exp_month"
        errors.append(FieldError(field_name, "card_expired", f"The card expired at the end of {month:02d}/{year}."))
    name = _check(errors, "card.holder_name", lambda: _validate_name(details.holder_name, required=False))
    if errors and all(error.code == "card_expired" for error in errors):
        raise CardExpired(errors[0].message, errors=[error.as_dict() for error in errors])
    _raise(errors)
    return {
        "kind": FundingSource.Kind.CARD,
        "brand": brand,
        "last4": last4,
        "exp_month": month,
        "exp_year": year,
        "account_holder_name": name,
    }


# --- History items (apps.wallets.bulk) --------------------------------------------------------------------------
TRANSACTION_TYPES = frozenset(Transaction.Type.values)


InvalidHistory = error_type(
    "InvalidHistory", "history_invalid", 400, "Invalid history", doc="``errors`` names each bad item by its path."
)


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One past movement on ``wallet``.

    ``amount`` is signed minor units (money in positive). The journal balances it against the system account
    ``rail``. ``pending`` makes a card payment that has not posted yet (a hold); pending items must be the newest
    of their wallet. An ``fx`` item also moves ``counter_amount`` (opposite sign) on ``counter_wallet``, another
    wallet of the same holder, through the ``fx`` system account in both currencies.
    """

    wallet: Wallet
    booked_at: datetime
    amount: int
    type: str
    category: str
    description: str = ""
    counterparty: str = ""
    merchant_name: str = ""
    value_date: date | None = None
    rail: str = CLEARING_CARD
    pending: bool = False
    counter_wallet: Wallet | None = None
    counter_amount: int = 0


def is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value != 0


def history_item_errors(index: int, item: HistoryItem) -> list[dict[str, str]]:
    """Shape checks that need no database: each problem as a problem+json field error."""
    errors: list[dict[str, str]] = []

    def refuse(field: str, code: str, message: str) -> None:
        errors.append({"field": f"items[{index}].{field}", "code": code, "message": message})

    if not is_amount(item.amount):
        refuse("amount", "amount_invalid", "The amount must be a non-zero integer in minor units.")
    if item.type not in TRANSACTION_TYPES:
        refuse("type", "type_invalid", f"Unknown transaction type {item.type!r}.")
    if not is_category(item.category):
        refuse("category", "category_invalid", f"Unknown category {item.category!r}.")
    if not isinstance(item.booked_at, datetime) or item.booked_at.tzinfo is None:
        refuse("booked_at", "datetime_invalid", "booked_at must be a timezone-aware datetime.")
    if item.value_date is not None and (not isinstance(item.value_date, date) or isinstance(item.value_date, datetime)):
        refuse("value_date", "date_invalid", "value_date must be a date.")
    if item.rail not in SYSTEM_CODES:
        refuse("rail", "rail_invalid", f"Unknown system account {item.rail!r}.")
    points = item.wallet.currency == currencies.POINTS
    if points and item.rail != POINTS_ISSUANCE:
        refuse("rail", "rail_invalid", "Points move only against the points issuance account.")
    if not points and item.rail == POINTS_ISSUANCE:
        refuse("rail", "rail_invalid", "Only points wallets move against the points issuance account.")
    if item.pending:
        if item.type != Transaction.Type.CARD_PAYMENT or (is_amount(item.amount) and item.amount > 0):
            refuse("pending", "pending_invalid", "Only card payments (money out) can be pending.")
        if item.counter_wallet is not None:
            refuse("pending", "pending_invalid", "An FX item cannot be pending.")
    is_fx = item.type == Transaction.Type.FX
    if is_fx != (item.counter_wallet is not None):
        refuse("counter_wallet", "counter_wallet_invalid", "FX items, and only they, need a counter wallet.")
    if item.counter_wallet is not None:
        counter = item.counter_wallet
        if not is_amount(item.counter_amount) or (
            is_amount(item.amount) and (item.amount > 0) == (item.counter_amount > 0)
        ):
            refuse("counter_amount", "amount_invalid", "The counter amount must be non-zero, of the opposite sign.")
        if counter.holder_id != item.wallet.holder_id or counter.pk == item.wallet.pk:
            refuse("counter_wallet", "counter_wallet_invalid", "The counter wallet must be another of the holder's.")
        if currencies.POINTS in (counter.currency, item.wallet.currency) or counter.currency == item.wallet.currency:
            refuse("counter_wallet", "currency_mismatch", "FX moves between two money currencies.")
        if item.rail != FX:
            refuse("rail", "rail_invalid", "FX items move through the fx system account.")
    elif item.counter_amount:
        refuse("counter_amount", "amount_invalid", "Only FX items have a counter amount.")
    return errors
