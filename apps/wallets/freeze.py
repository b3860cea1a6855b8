"""Freezing a wallet: it keeps its money and history but moves nothing (postings refuse it with
``wallet_frozen``). The sandbox's ``user_frozen`` persona is seeded this way; bank staff freeze and unfreeze from a
case, with four-eyes approval."""

from django.db import transaction

from apps.core.errors import InvalidStateTransition
from apps.wallets.models import Wallet
from apps.wallets.store import lock_wallets


@transaction.atomic
def wallet_freeze(*, wallet: Wallet) -> Wallet:
    """Freeze an active wallet under its lock. Raises ``InvalidStateTransition`` (409) for a frozen or closed one."""
    locked = lock_wallets([wallet.pk])[wallet.pk]
    if locked.status != Wallet.Status.ACTIVE:
        raise InvalidStateTransition(f"Wallet {locked.public_id} is {locked.status}.")
    locked.status = Wallet.Status.FROZEN
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def wallet_unfreeze(*, wallet: Wallet) -> Wallet:
    """Let a frozen wallet move money again, under its lock (the bank staff's four-eyes decision,
    docs/staff-guide.md). Raises ``InvalidStateTransition`` (409) unless it is frozen."""
    locked = lock_wallets([wallet.pk])[wallet.pk]
    if locked.status != Wallet.Status.FROZEN:
        raise InvalidStateTransition(f"Wallet {locked.public_id} is {locked.status}, not frozen.")
    locked.status = Wallet.Status.ACTIVE
    locked.save(update_fields=["status", "updated_at"])
    return locked
