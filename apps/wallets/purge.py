"""The ledger's sandbox purge path: a partner's sandbox holders, wallets, funding sources, holds, transactions,
journals and entries removed in one transaction, with the ledger's append-only guard lifted for that transaction
only (``ledger.sandbox_purge_allowed``). A sandbox reset calls it; nothing in live ever does.

Rows of higher layers that point at these (transfers, consents) must be gone first: the caller removes them in the
same transaction. The partner's sandbox system accounts stay (they keep no balance; their entries go).
"""

from django.db import transaction

from apps.partners.models import Partner
from apps.wallets import ledger
from apps.wallets.models import Entry, Hold, Journal, LedgerAccount, Transaction, Wallet, WalletHolder


def sandbox_ledger_purge(*, partner: Partner) -> int:
    """Delete everything ``partner``'s sandbox book holds; returns how many holders went. Must run inside the
    caller's transaction (the purge switch is per transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the sandbox purge runs inside its caller's transaction")
    holders = WalletHolder.objects.filter(partner=partner, environment="sandbox")
    wallets = Wallet.objects.filter(holder__partner=partner, holder__environment="sandbox")
    journals = Journal.objects.filter(partner=partner, environment="sandbox")
    with ledger.sandbox_purge_allowed():
        Hold.objects.filter(wallet__in=wallets).delete()
        wallets.update(last_transaction=None)
        Transaction.objects.filter(wallet__in=wallets).delete()
        Entry.objects.filter(journal__in=journals).delete()
        journals.exclude(reverses=None).update(reverses=None)
        journals.delete()
        LedgerAccount.objects.filter(wallet__in=wallets).delete()
        wallets.delete()
        count = holders.count()
        holders.delete()
    return count
