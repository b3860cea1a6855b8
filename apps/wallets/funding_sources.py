"""Funding sources: the bank accounts and cards a holder's money comes from or goes to, in a fallback order.

- Validation: IBANs (country length and ISO 7064 mod-97 check digits), UK sort codes (6 digits) with account
  numbers (8 digits), cards (brand, last four, an expiry not in the past by the environment's clock). A full
  card number is refused wherever it shows up, and no error message ever repeats what was sent.
- Storage: a bank account's details are one encrypted JSON document (``apps.wallets.crypto``); only
  ``last4``, the country, the currency and the holder name are stored in clear. Card numbers are never stored.
- Services (the only writers): ``funding_source_add``, ``funding_source_remove``, ``funding_source_reorder``,
  ``funding_sources_reencrypt``; ``funding_source_fallback`` walks the order for a caller's attempt.
- Selectors: ``funding_source_list``, ``funding_source_get`` (scoped to a holder the caller already got
  through ``apps.wallets.selectors.holder_get``), ``bank_account_details`` (decrypts, for payouts only).

Positions are 1, 2, 3... over a holder's active sources, with no gaps; a removed source keeps its row (history
for the transfers that used it) with position 0, outside the order.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn

from django.db import transaction
from django.db.models import QuerySet

from apps.core import clock
from apps.core.errors import InvalidStateTransition, NotFound, error_type
from apps.wallets import crypto, currencies
from apps.wallets.models import FundingSource, WalletHolder

MAX_ACTIVE_SOURCES = 20
CARD_BRANDS = ("visa", "mastercard", "amex", "discover", "other")
MASK = "••••"


FundingSourceInvalid = error_type(
    "FundingSourceInvalid",
    "parameter_invalid",
    400,
    "Invalid request",
    "Some parameters are invalid.",
    doc="Invalid funding source details: 400 with one ``errors`` item per field at fault.",
)
FundingSourceLimitReached = error_type(
    "FundingSourceLimitReached",
    "funding_source_limit_reached",
    422,
    "Too many funding sources",
    f"A holder can have at most {MAX_ACTIVE_SOURCES} active funding sources; remove one first.",
)


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def _refuse(*errors: FieldError) -> NoReturn:
    first = errors[0]
    raise FundingSourceInvalid(
        f"Some parameters are invalid. {first.field}: {first.message}", errors=[e.as_dict() for e in errors]
    )


def _raise(errors: list[FieldError]) -> None:
    if errors:
        _refuse(*errors)


# --- Validation -------------------------------------------------------------------------------------------------
# Characters per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
    "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
    "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
    "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip

# The currency an account in that country is assumed to hold when the request names none.
_EURO = [
    "AD", "AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV", "MC", "ME",
    "MT", "NL", "PT", "SI", "SK", "SM", "VA", "XK",
]  # fmt: skip
COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(_EURO, "EUR"),
    **{"GB": "GBP", "GI": "GBP", "CH": "CHF", "LI": "CHF", "NO": "NOK", "SE": "SEK", "DK": "DKK", "PL": "PLN"},
    **{"CZ": "CZK", "HU": "HUF", "RO": "RON", "IS": "ISK", "TR": "TRY", "AE": "AED", "SA": "SAR", "QA": "QAR"},
    **{"KW": "KWD", "BH": "BHD", "JO": "JOD", "OM": "OMR", "TN": "TND", "IL": "ILS", "BR": "BRL"},
}

_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
_SORT_CODE = re.compile(r"[0-9]{6}|[0-9]{2}([- ])[0-9]{2}\1[0-9]{2}")
_ACCOUNT_NUMBER = re.compile(r"[0-9]{8}")
_LAST4 = re.compile(r"[0-9]{4}")
# 12 to 19 digits, optionally grouped by spaces or hyphens: what a full card number (PAN) looks like.
_PAN_LIKE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){11,18}(?![0-9])")
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
    """The IBAN without spaces, upper-case; raises ``_Invalid`` (code ``iban_invalid``) naming the reason."""
    iban = re.sub(r"\s+", "", value or "").upper()
    if not iban:
        raise _Invalid("parameter_missing", "Enter the IBAN.")
    if not _IBAN_SHAPE.fullmatch(iban):
        raise _Invalid("iban_invalid", "An IBAN is a country code, two check digits and up to 30 letters or digits.")
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
    code = (value or "").strip().upper() or COUNTRY_CURRENCY.get(country, "")
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


def _bank_account_fields(details: BankAccountDetails) -> dict[str, Any]:
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


def _card_fields(details: CardDetails, *, now: datetime) -> dict[str, Any]:
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
    year_ok = isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= now.year + 30
    if not month_ok:
        errors.append(FieldError("card.exp_month", "parameter_invalid", "Must be a month number from 1 to 12."))
    if not year_ok:
        errors.append(FieldError("card.exp_year", "parameter_invalid", "Must be a four-digit year, such as 2030."))
    if month_ok and year_ok and card_expired(exp_month=month, exp_year=year, now=now):
        field_name = "card.exp_year" if year < now.year else "card.exp_month"
        errors.append(FieldError(field_name, "card_expired", f"The card expired at the end of {month:02d}/{year}."))
    name = _check(errors, "card.holder_name", lambda: _validate_name(details.holder_name, required=False))
    _raise(errors)
    return {
        "kind": FundingSource.Kind.CARD,
        "brand": brand,
        "last4": last4,
        "exp_month": month,
        "exp_year": year,
        "account_holder_name": name,
    }


def _environment(holder: WalletHolder) -> Any:
    """The holder's ``Environment`` (for the sandbox clock); live holders have none and use real time."""
    if holder.partner_id is None:
        return None
    return holder.partner.environments.filter(kind=holder.environment).first()  # type: ignore[union-attr]


def funding_source_prepare(
    *,
    holder: WalletHolder,
    kind: str,
    position: int,
    bank_account: BankAccountDetails | None = None,
    card: CardDetails | None = None,
    now: datetime | None = None,
) -> FundingSource:
    """A validated, encrypted, **unsaved** funding source: ``funding_source_add`` saves one; bulk seeding
    saves many with ``bulk_create`` after numbering the positions itself. Raises ``FundingSourceInvalid``."""
    if kind == FundingSource.Kind.BANK_ACCOUNT:
        if bank_account is None:
            _refuse(FieldError("bank_account", "parameter_missing", "Send the bank account's details."))
        fields = _bank_account_fields(bank_account)
    elif kind == FundingSource.Kind.CARD:
        if card is None:
            _refuse(FieldError("card", "parameter_missing", "Send the card's brand, last four digits and expiry."))
        fields = _card_fields(card, now=now or clock.now(environment=_environment(holder)))
    else:
        _refuse(FieldError("type", "parameter_invalid", "Must be bank_account or card."))
    return FundingSource(holder=holder, position=position, status=FundingSource.Status.ACTIVE, **fields)


# --- Services ---------------------------------------------------------------------------------------------------
def _lock_holder(holder: WalletHolder) -> WalletHolder:
    """Every change to a holder's order takes the holder's row lock first, so positions never collide."""
    return WalletHolder.objects.select_for_update(no_key=True).get(pk=holder.pk)


def _active(holder: WalletHolder) -> QuerySet[FundingSource]:
    return (
        FundingSource.objects.filter(holder=holder, status=FundingSource.Status.ACTIVE)
        .select_related("holder")
        .order_by("position", "pk")
    )


def _renumber(sources: list[FundingSource]) -> None:
    changed = []
    for position, source in enumerate(sources, start=1):
        if source.position != position:
            source.position = position
            changed.append(source)
    if changed:
        FundingSource.objects.bulk_update(changed, ["position"])


@transaction.atomic
def funding_source_add(
    *,
    holder: WalletHolder,
    kind: str,
    bank_account: BankAccountDetails | None = None,
    card: CardDetails | None = None,
) -> FundingSource:
    """Add a bank account or a card at the end of the holder's fallback order.

    Raises ``FundingSourceInvalid`` (400, field errors; nothing written) for bad details, an expired card or a
    full card number; ``InvalidStateTransition`` (409) for a closed holder; ``FundingSourceLimitReached`` (422)
    beyond ``MAX_ACTIVE_SOURCES``.
    """
    prepared = funding_source_prepare(holder=holder, kind=kind, position=0, bank_account=bank_account, card=card)
    locked = _lock_holder(holder)
    if locked.status == WalletHolder.Status.CLOSED:
        raise InvalidStateTransition(f"Wallet holder {locked.public_id} is closed.")
    count = _active(locked).count()
    if count >= MAX_ACTIVE_SOURCES:
        raise FundingSourceLimitReached()
    prepared.position = count + 1  # positions are packed 1..count, so the end is count + 1
    prepared.save()
    return prepared


@transaction.atomic
def funding_source_remove(*, funding_source: FundingSource) -> FundingSource:
    """Take a source out of the order: its row stays (status ``removed``, position 0) for the history of the
    transfers that used it, and the remaining sources close the gap. Raises ``InvalidStateTransition`` (409)
    when it was already removed."""
    _lock_holder(funding_source.holder)
    source = FundingSource.objects.get(pk=funding_source.pk)
    if source.status != FundingSource.Status.ACTIVE:
        raise InvalidStateTransition(f"Funding source {source.public_id} is already removed.")
    source.status = FundingSource.Status.REMOVED
    source.position = 0
    source.save(update_fields=["status", "position", "updated_at"])
    _renumber(list(_active(source.holder)))
    return source


@transaction.atomic
def funding_source_reorder(*, holder: WalletHolder, order: list[str]) -> list[FundingSource]:
    """Set the fallback order: ``order`` lists the public ids of **all** the holder's active sources, each once,
    first tried first. Anything else raises ``FundingSourceInvalid`` (400) and changes nothing."""
    locked = _lock_holder(holder)
    active = {source.public_id: source for source in _active(locked)}
    listed = [str(item) for item in order]
    unknown = [item for item in listed if item not in active]
    missing = [public_id for public_id in active if public_id not in listed]
    message = ""
    if len(set(listed)) != len(listed):
        message = "Each funding source may appear only once."
    elif unknown:
        # Unknown values are counted, not repeated: the field may hold anything a caller pasted into it.
        message = f"{len(unknown)} of the ids are not active funding sources of this holder."
    elif missing:
        message = f"List every active funding source of this holder; missing: {', '.join(missing)}."
    if message:
        _refuse(FieldError("order", "order_invalid", message))
    sources = [active[public_id] for public_id in listed]
    _renumber(sources)
    return sources


def funding_source_fallback(*, holder: WalletHolder, attempt: Callable[[FundingSource], bool]) -> FundingSource | None:
    """Try the holder's active sources in order until ``attempt(source)`` returns True; return that source, or
    None when every one failed (or there are none). Cards past their expiry are skipped. The order is read once,
    before the first attempt. ``attempt`` owns its side effects and its errors: an exception it raises stops
    the walk and propagates (a bug is not a declined payment)."""
    now = clock.now(environment=_environment(holder))
    for source in funding_source_list(holder=holder):
        if source.kind == FundingSource.Kind.CARD and card_expired(
            exp_month=source.exp_month or 0, exp_year=source.exp_year or 0, now=now
        ):
            continue
        if attempt(source):
            return source
    return None


def funding_sources_reencrypt(*, batch_size: int = 500) -> int:
    """After a new key was put first in ``FIELD_ENCRYPTION_KEYS``: re-encrypt every bank account still under
    an older key, so the old keys can be dropped. Returns how many rows changed. Safe to re-run."""
    changed = 0
    queryset = FundingSource.objects.filter(kind=FundingSource.Kind.BANK_ACCOUNT).order_by("pk")
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).only("pk", "account_encrypted")[:batch_size])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        stale = [row for row in batch if not crypto.encrypted_with_current_key(row.account_encrypted)]
        for row in stale:
            row.account_encrypted = crypto.reencrypt(row.account_encrypted)
        with transaction.atomic():
            FundingSource.objects.bulk_update(stale, ["account_encrypted"])
        changed += len(stale)


# --- Selectors --------------------------------------------------------------------------------------------------
def funding_source_list(*, holder: WalletHolder) -> QuerySet[FundingSource]:
    """The holder's active sources in fallback order. ``holder`` comes from ``selectors.holder_get``, which
    decided visibility."""
    return _active(holder)


def funding_source_get(*, holder: WalletHolder, funding_source_id: str) -> FundingSource:
    source = funding_source_list(holder=holder).filter(public_id=funding_source_id).first()
    if source is None:
        raise NotFound(f"No such funding source: {funding_source_id!r}.")
    return source


def masked(source: FundingSource) -> str:
    return f"{MASK}{source.last4}"


def bank_account_details(source: FundingSource) -> dict[str, str]:
    """The decrypted account details (``{"scheme": "iban", "iban"}`` or ``{"scheme": "sort_code", "sort_code",
    "account_number"}``) for the code that pays out to it. Never log the result or put it in a response."""
    if source.kind != FundingSource.Kind.BANK_ACCOUNT:
        raise ValueError("Only bank accounts have account details.")
    return crypto.decrypt_json(source.account_encrypted)
