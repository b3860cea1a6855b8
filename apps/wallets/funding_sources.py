"""Funding sources: the bank accounts and cards a holder's money comes from or goes to, in a fallback order.

- Validation of the details (IBANs, sort codes and account numbers, cards; never a full card number) is
  ``apps.wallets.validators``. A bank account's details are stored as one encrypted JSON document
  (``apps.wallets.crypto``); only ``last4``, the country, the currency and the holder name are stored in clear.
- Services (the only writers): ``funding_source_add``, ``funding_source_remove``, ``funding_source_reorder``,
  ``funding_sources_reencrypt``; ``funding_source_fallback`` walks the order for a caller's attempt.
- Selectors: ``funding_source_list``, ``funding_source_get`` (scoped to a holder the caller already got
  through ``apps.wallets.selectors.holder_get``), ``bank_account_details`` (decrypts, for payouts only).

Positions are 1, 2, 3... over a holder's active sources, with no gaps; a removed source keeps its row (history
for the transfers that used it) with position 0, outside the order.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from apps.core import clock
from apps.core.errors import InvalidStateTransition, NotFound, error_type, referenced_object_missing
from apps.wallets import crypto
from apps.wallets.models import FundingSource, WalletHolder
from apps.wallets.snapshots import MASK as MASK  # where the mask is defined; importers read it here too
from apps.wallets.snapshots import masked as masked
from apps.wallets.validators import (
    BankAccountDetails,
    CardDetails,
    FieldError,
    bank_account_fields,
    card_expired,
    card_fields,
    refuse,
)

MAX_ACTIVE_SOURCES = 20


FundingSourceLimitReached = error_type(
    "FundingSourceLimitReached",
    "funding_source_limit_reached",
    422,
    "Too many funding sources",
    f"A holder can have at most {MAX_ACTIVE_SOURCES} active funding sources; remove one first.",
)
FundingSourceOrderIncomplete = error_type(
    "FundingSourceOrderIncomplete",
    "order_incomplete",
    409,
    "Order incomplete",
    "The order leaves out active funding sources of this holder: list every one (GET the list first).",
    doc="A reorder that leaves out some of the holder's active sources: it does not match their current state "
    "(one may have been added since the list was read), so a 409.",
)


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
            refuse(FieldError("bank_account", "parameter_missing", "Send the bank account's details."))
        fields = bank_account_fields(bank_account)
    elif kind == FundingSource.Kind.CARD:
        if card is None:
            refuse(FieldError("card", "parameter_missing", "Send the card's brand, last four digits and expiry."))
        fields = card_fields(card, now=now or clock.now(environment=_environment(holder)))
    else:
        refuse(FieldError("type", "parameter_invalid", "Must be bank_account or card."))
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

    Raises ``FundingSourceInvalid`` (400, field errors; nothing written) for bad details (its subclass
    ``CardExpired``, 422, for a well-formed card that has expired) or a
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
    first tried first. An id that is not one of them raises ``NotFound`` (404 on ``order``, like any id the
    caller cannot see); a repeated one ``FundingSourceInvalid`` (400); leaving one out
    ``FundingSourceOrderIncomplete`` (409: the list does not match the holder's sources now). None changes
    anything."""
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
        raise referenced_object_missing(
            "order", f"{len(unknown)} of the ids are not active funding sources of this holder."
        )
    elif missing:
        message = f"List every active funding source of this holder; missing: {', '.join(missing)}."
        raise FundingSourceOrderIncomplete(
            message, errors=[{"field": "order", "code": "order_incomplete", "message": message}]
        )
    if message:
        refuse(FieldError("order", "order_invalid", message))
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


def bank_account_details(source: FundingSource) -> dict[str, str]:
    """The decrypted account details (``{"scheme": "iban", "iban"}`` or ``{"scheme": "sort_code", "sort_code",
    "account_number"}``) for the code that pays out to it. Never log the result or put it in a response."""
    if source.kind != FundingSource.Kind.BANK_ACCOUNT:
        raise ValueError("Only bank accounts have account details.")
    return crypto.decrypt_json(source.account_encrypted)
