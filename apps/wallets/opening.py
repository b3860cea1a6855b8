"""Opening holders and wallets: one at a time (``holder_create``, ``wallet_open``) or many at once
(``holders_open``, for seeding a sandbox). ``apps.wallets.services`` re-exports the single ones.

Every wallet is opened with its ledger account (kind ``wallet``, the wallet's currency, environment and partner);
a holder has at most one open wallet per currency (the unique constraint decides under concurrency). Opening
moves no money and records no events.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from apps.core import store
from apps.core.errors import error_type
from apps.partners.models import Partner
from apps.wallets import currencies, hooks
from apps.wallets.models import LedgerAccount, Wallet, WalletHolder

UnsupportedCurrency = error_type("UnsupportedCurrency", "currency_unsupported", 400, "Unsupported currency")
WalletExists = error_type("WalletExists", "wallet_exists", 409, "Wallet exists")


@transaction.atomic
def holder_create(
    *,
    environment: str,
    partner: Partner | None,
    name: str,
    email: str = "",
    kyc_tier: str = WalletHolder.KycTier.UNVERIFIED,
    user: Any = None,
    sign_in_code_required: bool = False,
    consent_lifetime_hours: int | None = None,
) -> WalletHolder:
    """Create a holder: sandbox holders belong to ``partner``'s sandbox; live holders have no partner.
    ``sign_in_code_required`` and ``consent_lifetime_hours`` are the holder-level sign-in and consent rules
    (``WalletHolder``). The holder-created hooks run on it (``hooks``: a sanctions hit freezes it)."""
    holder = WalletHolder.objects.create(
        environment=environment,
        partner=partner,
        name=name,
        email=email,
        kyc_tier=kyc_tier,
        user=user,
        sign_in_code_required=sign_in_code_required,
        consent_lifetime_hours=consent_lifetime_hours,
    )
    return hooks.holder_created(holder)


@transaction.atomic(durable=True)
def wallet_open(*, holder: WalletHolder, currency: str) -> Wallet:
    """Open the holder's wallet in ``currency`` with its ledger account. One open wallet per currency."""
    return wallet_open_inner(holder=holder, currency=currency)


def wallet_open_inner(*, holder: WalletHolder, currency: str) -> Wallet:
    """``wallet_open`` inside a caller's transaction."""
    currency = _supported(currency)
    if holder.wallets.filter(currency=currency).exclude(status=Wallet.Status.CLOSED).exists():
        raise WalletExists(f"The holder already has an open {currency} wallet.")
    try:
        # The check above races with a concurrent open; the unique constraint decides, and the loser gets the 409.
        with transaction.atomic():
            wallet = Wallet.objects.create(holder=holder, currency=currency)
    except IntegrityError as exc:
        raise WalletExists(f"The holder already has an open {currency} wallet.") from exc
    _account(wallet).save(force_insert=True)
    return wallet


@dataclass(frozen=True)
class NewHolder:
    """A holder to open with ``holders_open``: ``holder_create``'s fields and the currencies of its wallets."""

    name: str
    currencies: tuple[str, ...]
    email: str = ""
    kyc_tier: str = WalletHolder.KycTier.UNVERIFIED
    user: Any = None
    sign_in_code_required: bool = False
    consent_lifetime_hours: int | None = None


def holders_open(
    *, environment: str, partner: Partner | None, holders: Sequence[NewHolder]
) -> list[tuple[WalletHolder, dict[str, Wallet]]]:
    """Create ``holders`` with their wallets and ledger accounts in one write inside the caller's transaction
    (``holder_create`` then ``wallet_open_inner`` for each, without their round trips); returns each holder with
    its wallets by currency, in order. New holders have no wallets yet, so "one open wallet per currency" is a
    duplicate in the list. Raises ``UnsupportedCurrency`` or ``WalletExists`` before writing anything."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("holders_open must run inside the caller's transaction")
    opened: list[tuple[WalletHolder, dict[str, Wallet]]] = []
    for new in holders:
        holder = store.new(
            WalletHolder,
            environment=environment,
            partner=partner,
            name=new.name,
            email=new.email,
            kyc_tier=new.kyc_tier,
            user=new.user,
            sign_in_code_required=new.sign_in_code_required,
            consent_lifetime_hours=new.consent_lifetime_hours,
        )
        wallets: dict[str, Wallet] = {}
        for code in map(_supported, new.currencies):
            if code in wallets:
                raise WalletExists(f"The holder would have two open {code} wallets.")
            wallets[code] = store.new(Wallet, holder=holder, currency=code)
        opened.append((holder, wallets))
    new_wallets = [wallet for _, wallets in opened for wallet in wallets.values()]
    # One write: every key is drawn before any row goes in, so wallets and accounts carry their owners' keys.
    store.write(
        store.Insert([holder for holder, _ in opened]),
        store.Insert(new_wallets),
        store.Insert([_account(wallet) for wallet in new_wallets]),
    )
    for holder, _ in opened:  # as holder_create does (a sanctions hit freezes the holder)
        hooks.holder_created(holder)
    return opened


def _supported(currency: str) -> str:
    currency = (currency or "").upper()
    if not currencies.is_supported(currency):
        raise UnsupportedCurrency(
            f"{currency!r} is not a supported ISO 4217 currency.",
            errors=[{"field": "currency", "code": "currency_unsupported", "message": "Unsupported currency."}],
        )
    return currency


def _account(wallet: Wallet) -> LedgerAccount:
    """The wallet's ledger account, unsaved."""
    holder = wallet.holder
    return store.new(
        LedgerAccount,
        kind=LedgerAccount.Kind.WALLET,
        wallet=wallet,
        currency=wallet.currency,
        environment=holder.environment,
        partner=holder.partner,
    )
