"""Who a holder has had transfers with (``CounterpartySeen``), for the risk score's ``new_counterparty`` rule:
one read by key and one upsert written with the transfer, whatever the holder's history. Counterparties are
named by public id: the other holder (``ph_...``) of a p2p transfer, the bank account or card (``fs_...``) of a
top-up or payout. A transfer counts from its creation, whatever becomes of it."""

from datetime import datetime
from functools import lru_cache
from typing import Any

from apps.core import store
from apps.risk.models import CounterpartySeen

# Sentinels stand for a call's values while the read is compiled (apps.core.store.compile).
_HOLDER, _COUNTERPARTY = -(10**15), "\x01counterparty"


@lru_cache(maxsize=1)
def _seen() -> store.Compiled:
    queryset = CounterpartySeen.objects.filter(holder_id=_HOLDER, counterparty=_COUNTERPARTY).values_list("transfers")
    return store.compile(queryset[:1], [_HOLDER, _COUNTERPARTY])


def counterparty_seen(*, holder_id: int, counterparty: str) -> bool:
    """Whether the holder has had a transfer with ``counterparty`` before (one indexed read of at most one row)."""
    return bool(store.run(_seen(), [holder_id, counterparty]))


def counterparty_seen_query(*, holder_id: int, counterparty: str) -> tuple[str, list[Any]]:
    """``counterparty_seen``'s read as SQL and parameters, for a caller to send inside a statement it makes anyway
    (a single row's ``transfers``, or no row: the counterparty is new)."""
    compiled = _seen()
    return compiled.sql, compiled.bind([holder_id, counterparty])


def counterparty_increment(*, holder_id: int, counterparty: str, at: datetime) -> store.Increment:
    """One more transfer of the holder with ``counterparty`` at ``at`` (its row created if needed), for the
    creating service to write with the transfer."""
    row = store.new(CounterpartySeen, holder_id=holder_id, counterparty=counterparty, first_seen_at=at, transfers=1)
    return store.Increment([row], key=("holder", "counterparty"), add=("transfers",))
