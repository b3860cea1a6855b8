"""Bulk history import: many past journals posted in one transaction, with the invariants of ``journal_post``.

Seeding a sandbox writes months of history for many wallets at once; posting it one ``journal_post`` at a time
costs a dozen queries per transaction. ``history_import`` validates everything first, computes the running
balances in memory and then writes journals, entries and transactions with a few ``COPY`` (or ``bulk_create``)
calls (``history``: the checks and balances; ``rows``: the writing):

- every journal balances per currency against a system account (``clearing:card``, ``clearing:bank``, ``fees``,
  ``fx``, ``points_issuance``), so ``reconcile()`` stays clean; PostgreSQL checks them all at the end of the
  entries' ``COPY`` (``ledger.whole_journals``), not once per entry at commit;
- the wallets are locked in primary-key order (``ledger.lock_wallets``) and re-read under the lock; no item may
  take a wallet's ledger or available balance below zero, in booking order;
- transactions are written in booking order, so the posting sequence (the feed's keyset) matches ``booked_at``;
  each carries its ``balance_after``; ``Journal.posted_at`` is the item's booking time;
- pending card payments (the newest items of a wallet) become real holds through ``holds_place_inner`` (the
  hold service, all of them in one write), so they can be captured or released later like any other hold.

Imported posted history records no events. Events announce changes as they happen; history is the state a
sandbox starts from. Replaying months of ``transaction.posted`` and ``wallet.balance_updated`` would flood the
partner's webhook endpoints with notifications about the past (hundreds of thousands for a full seed) and double
the rows written; partners read the history through the API. The holds at the end are current state and
record their events like any hold.

History is a sandbox thing: live wallets are refused, because backdated money without events has no place in a
real customer's book.
"""

from apps.wallets.bulk.history import history_import, history_import_inner
from apps.wallets.validators import HistoryItem

__all__ = ["HistoryItem", "history_import", "history_import_inner"]
