"""Reads of transfers. A transfer belongs to the partner and environment whose credential created it; anything
else does not exist (``NotFound``, 404). A holder-bound credential (an OAuth token, once consents exist) sees
only transfers touching its wallets."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from apps.core.errors import NotFound, referenced_object_missing
from apps.core.principal import Principal
from apps.transfers.models import Transfer, TransferReversal
from apps.transfers.snapshots import transfer_detail_snapshot
from apps.wallets.models import Entry, Wallet
from apps.wallets.selectors import wallet_visibility

_RELATED = ("environment", "source_wallet", "destination_wallet", "funding_source", "fx_quote", "mandate")


def _visible(principal: Principal) -> Q:
    q = Q(partner=principal.partner, environment=principal.environment)
    if principal.holder is not None:
        q &= Q(holder=principal.holder) | Q(destination_wallet__holder=principal.holder)
    return q


@dataclass(frozen=True)
class TransferFilters:
    """Validated filters of the transfer list: each set matches any of its values; bounds are inclusive."""

    statuses: frozenset[str] | None = None
    types: frozenset[str] | None = None
    wallet: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def transfer_list(*, principal: Principal, filters: TransferFilters | None = None) -> QuerySet[Transfer]:
    """The principal's transfers, filtered. ``wallet`` matches transfers from or to that wallet; a wallet the
    principal cannot see is a mistake in the request (``NotFound`` on ``wallet``), not an empty list."""
    transfers = Transfer.objects.filter(_visible(principal)).select_related(*_RELATED)
    f = filters or TransferFilters()
    if f.statuses:
        transfers = transfers.filter(status__in=sorted(f.statuses))
    if f.types:
        transfers = transfers.filter(type__in=sorted(f.types))
    if f.wallet:
        wallet_pk = (
            Wallet.objects.filter(wallet_visibility(principal), public_id=f.wallet).values_list("pk", flat=True).first()
        )
        if wallet_pk is None:
            raise referenced_object_missing("wallet", f"No such wallet: {f.wallet!r}.")
        transfers = transfers.filter(Q(source_wallet_id=wallet_pk) | Q(destination_wallet_id=wallet_pk))
    if f.created_from is not None:
        transfers = transfers.filter(created_at__gte=f.created_from)
    if f.created_to is not None:
        transfers = transfers.filter(created_at__lte=f.created_to)
    return transfers


def transfer_get(*, principal: Principal, transfer_id: str) -> Transfer:
    transfer = Transfer.objects.filter(_visible(principal), public_id=transfer_id).select_related(*_RELATED).first()
    if transfer is None:
        raise NotFound(f"No such transfer: {transfer_id!r}.")
    return transfer


def transfer_detail(*, principal: Principal, transfer_id: str) -> dict[str, Any]:
    """The transfer with its journal lines (settlement and reversals) and status history."""
    transfer = transfer_get(principal=principal, transfer_id=transfer_id)
    reversals = dict(TransferReversal.objects.filter(transfer=transfer).values_list("journal_id", "public_id"))
    journal_ids = [pk for pk in [transfer.journal_id, *reversals] if pk is not None]
    entries = list(
        Entry.objects.filter(journal_id__in=journal_ids)
        .select_related("journal", "account__wallet")
        .order_by("journal_id", "pk")
    )
    return transfer_detail_snapshot(
        transfer,
        status_changes=list(transfer.status_changes.order_by("pk")),
        entries=entries,
        reversal_by_journal=reversals,
    )


def reversal_list(*, principal: Principal, transfer: Transfer) -> QuerySet[TransferReversal]:
    """The reversals of ``transfer`` (which the caller got from ``transfer_get``)."""
    return TransferReversal.objects.filter(transfer=transfer).select_related("transfer__environment")
