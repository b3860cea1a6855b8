"""What a transfer made with a holder-bound credential (an OAuth token bound to the holder's consent) needs
beyond the scope: wallets it may pay from and to, and the mandate that authorises the payment
(``apps.oauth_clients.services.payments``), written with the transfer.

A p2p transfer's source must be one of the consent's wallets; its destination may be another of them, or any
wallet of the environment (in sandbox, of the partner's holders) when a mandate covers paying it: the mandate's
payee, or anyone under a standing mandate for any payee. A top-up and an FX transfer stay between the consent's
wallets, and a payout goes to the holder's own bank account (the service's own checks).
"""

from apps.core.principal import Principal
from apps.oauth_clients.services.payments import Payment, holder_bound, payment_authorise
from apps.transfers.postings import by_field, lock_named_wallets
from apps.transfers.states import Change
from apps.wallets.models import Wallet
from apps.wallets.selectors import payment_wallet_keys
from apps.wallets.store import lock_wallets


def lock_p2p_wallets(principal: Principal, *, source: str, destination: str) -> dict[str, Wallet]:
    """Lock a p2p transfer's two wallets in primary-key order; return them by field (``source``,
    ``destination``). A wallet the principal may not pay from or to is a 404 naming the field."""
    named = {"source": source, "destination": destination}
    if not holder_bound(principal) or destination in (principal.wallet_ids or ()):
        return lock_named_wallets(principal, named)
    keys = payment_wallet_keys(principal=principal, source=source, destination=destination)
    return by_field({wallet.public_id: wallet for wallet in lock_wallets(keys.values()).values()}, named)


def authorise(principal: Principal, change: Change, *, payee: str) -> None:
    """Find the mandate that authorises ``change``'s transfer to ``payee`` (the destination's public id) for a
    holder-bound ``principal``; record it on the transfer and queue its update with the transfer's writes.
    Runs after the transfer's wallets (and an FX quote) are locked and before anything is written; a partner-level
    credential needs no mandate. Raises the payment authorisation's refusals."""
    transfer = change.transfer
    authorisation = payment_authorise(
        principal=principal,
        payment=Payment(payee=payee, amount=transfer.amount, currency=transfer.currency),
        now=change.now,
    )
    if authorisation is not None:
        transfer.mandate = authorisation.mandate
        change.updates.append(authorisation.update)
