"""Wallet holders, wallets, funding sources and the double-entry ledger.

Money is an integer number of minor units with an ISO 4217 code. Every movement is a ``Journal`` of two or
more ``Entry`` rows summing to zero per currency; entries are append-only (database triggers refuse UPDATE
and DELETE). A wallet caches ``ledger_balance`` and ``available_balance``; both change only under the wallet's
row lock in the transaction that writes its entries or holds.
"""

from django.conf import settings
from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.partners.models import Partner

ENVIRONMENT_KINDS = [("sandbox", "sandbox"), ("live", "live")]


class WalletHolder(BaseModel):
    """A person who holds wallets. Sandbox holders belong to one partner's sandbox; live holders are the bank's
    customers (no partner), visible to a partner only through a consent."""

    class KycTier(models.TextChoices):
        UNVERIFIED = "unverified"
        BASIC = "basic"
        FULL = "full"

    class Status(models.TextChoices):
        ACTIVE = "active"
        FROZEN = "frozen"
        CLOSED = "closed"

    object_name = "wallet_holder"

    public_id = PublicIdField(prefix="ph")
    environment = models.CharField(max_length=10, choices=ENVIRONMENT_KINDS)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="holders")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="holder"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    kyc_tier = models.CharField(max_length=16, choices=KycTier.choices, default=KycTier.UNVERIFIED)
    # When kyc_tier last changed (environment clock): the transfer risk score's recent_kyc_change rule reads it
    # from the holder row the transfer's lock already loads (docs/risk.md).
    kyc_changed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Holder-level sign-in and consent rules (set by the sandbox seed for the user_mfa and user_consent_expiring
    # personas, docs/sandbox.md): a one-time code at every sign-in on the consent screen, even without an
    # authenticator app; and a consent lifetime in hours instead of CONSENT_DEFAULT_DAYS.
    sign_in_code_required = models.BooleanField(
        default=False, help_text="Ask for a one-time code at every consent-screen sign-in."
    )
    consent_lifetime_hours = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Consents this holder grants last this many hours (default: CONSENT_DEFAULT_DAYS).",
    )
    # The holder's choice that their spending may be used for insights and offers (docs/offers.md): off until
    # they turn it on in their dashboard or grant insights:read / offers:* on the consent screen; turning it off
    # takes effect on the next read (every insights, audience and eligibility read filters on it).
    personalisation = models.BooleanField(
        default=False, help_text="The holder lets their spending be used for insights and offers."
    )
    personalisation_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(environment="sandbox", partner__isnull=False))
                | models.Q(environment="live", partner__isnull=True),
                name="wallets_holder_sandbox_has_partner",
            ),
            models.CheckConstraint(
                condition=models.Q(kyc_tier__in=["unverified", "basic", "full"]), name="wallets_holder_kyc_tier"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "frozen", "closed"]), name="wallets_holder_status"
            ),
        ]
        indexes = [models.Index(fields=["partner", "environment", "-id"], name="wallets_holder_list")]


class Wallet(BaseModel):
    """One currency's balance of one holder (at most one open wallet per currency; ``XPT`` is points)."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        FROZEN = "frozen"
        CLOSED = "closed"

    object_name = "wallet"

    public_id = PublicIdField(prefix="wal")
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="wallets")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    ledger_balance = models.BigIntegerField(default=0)
    available_balance = models.BigIntegerField(default=0)
    # Not indexed: every posting updates it, and an index on it would make each balance update a non-HOT
    # update that rewrites all of the wallet's index entries.
    last_transaction = models.ForeignKey(
        "Transaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "currency"],
                condition=~models.Q(status="closed"),
                name="wallets_wallet_one_open_per_currency",
            ),
            # A holder wallet never goes below zero, and holds never make more available than the ledger holds.
            models.CheckConstraint(
                condition=models.Q(ledger_balance__gte=0), name="wallets_wallet_ledger_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(available_balance__gte=0), name="wallets_wallet_available_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(available_balance__lte=models.F("ledger_balance")),
                name="wallets_wallet_available_within_ledger",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "frozen", "closed"]), name="wallets_wallet_status"
            ),
        ]


class LedgerAccount(models.Model):
    """An account of the book: one per wallet, plus system accounts per currency (clearing per external rail,
    fees, FX, points issuance). System accounts keep no cached balance: caching it would serialise every
    transfer on one row. Sandbox system accounts belong to the partner, so a sandbox purge stays inside it."""

    class Kind(models.TextChoices):
        WALLET = "wallet"
        SYSTEM = "system"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    wallet = models.OneToOneField(Wallet, null=True, blank=True, on_delete=models.PROTECT, related_name="account")
    code = models.CharField(max_length=40, blank=True, help_text="System accounts: clearing:card, fees, fx, ...")
    currency = models.CharField(max_length=3)
    environment = models.CharField(max_length=10, choices=ENVIRONMENT_KINDS)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="wallet", wallet__isnull=False, code=""))
                | models.Q(kind="system", wallet__isnull=True) & ~models.Q(code=""),
                name="wallets_account_kind_shape",
            ),
            models.UniqueConstraint(
                fields=["environment", "partner", "code", "currency"],
                condition=models.Q(kind="system"),
                name="wallets_account_one_system_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code or self.wallet_id}:{self.currency}"


class Journal(models.Model):
    """One movement of money: two or more entries that sum to zero per currency. Corrections are new journals
    that reverse old ones (``reverses``), never edits."""

    kind = models.CharField(max_length=32)
    description = models.CharField(max_length=500, blank=True)
    environment = models.CharField(max_length=10, choices=ENVIRONMENT_KINDS)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Indexed only where set (wallets_journal_reverses): almost no journal reverses another.
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals", db_index=False
    )
    posted_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["reverses"], name="wallets_journal_reverses", condition=models.Q(reverses__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"journal {self.pk} ({self.kind})"


class Entry(models.Model):
    """One side of a journal: a signed amount in minor units on one account. Append-only."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries")
    # Indexed by wallets_entry_account (account, id), which serves lookups by account alone as well.
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries", db_index=False)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    class Meta:
        verbose_name_plural = "entries"
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="wallets_entry_not_zero")]
        indexes = [models.Index(fields=["account", "id"], name="wallets_entry_account")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} on {self.account_id}"


class Transaction(BaseModel):
    """A wallet's movement as partners see it (``txn_``). Pending card payments are holds; they post later."""

    class Status(models.TextChoices):
        PENDING = "pending"
        POSTED = "posted"
        REVERSED = "reversed"

    class Type(models.TextChoices):
        CARD_PAYMENT = "card_payment"
        TRANSFER = "transfer"
        DEPOSIT = "deposit"
        WITHDRAWAL = "withdrawal"
        FEE = "fee"
        FX = "fx"
        REFUND = "refund"
        POINTS = "points"
        ADJUSTMENT = "adjustment"

    object_name = "transaction"

    public_id = PublicIdField(prefix="txn")
    # Indexed by the feed indexes (wallet, -id) and (wallet, status, -id).
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="transactions", db_index=False)
    journal = models.ForeignKey(Journal, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions")
    type = models.CharField(max_length=20, choices=Type.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    amount = models.BigIntegerField(help_text="Signed: money in is positive, money out negative.")
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=500, blank=True)
    counterparty = models.CharField(max_length=200, blank=True)
    merchant_name = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=20)
    balance_after = models.BigIntegerField(null=True, blank=True)
    booked_at = models.DateTimeField()
    value_date = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="wallets_transaction_not_zero"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "posted", "reversed"]), name="wallets_transaction_status"
            ),
        ]
        indexes = [
            models.Index(fields=["wallet", "-id"], name="wallets_txn_feed"),
            models.Index(fields=["wallet", "status", "-id"], name="wallets_txn_feed_status"),
            # Insights and offer targeting read a holder's window of history by date (a bounded range).
            models.Index(fields=["wallet", "booked_at"], name="wallets_txn_booked"),
        ]


class Hold(BaseModel):
    """Money set aside on a wallet (a pending card payment, a payout in flight): it lowers the available
    balance, not the ledger balance, until it is captured (posted) or released."""

    class Status(models.TextChoices):
        HELD = "held"
        CAPTURED = "captured"
        RELEASED = "released"

    object_name = "hold"

    public_id = PublicIdField(prefix="hld")
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="holds")
    amount = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    transaction = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="hold")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="wallets_hold_positive")]


class FundingSource(BaseModel):
    """Where a holder's money comes from or goes to: a bank account (details stored encrypted, shown masked as
    ``••••1234``) or a card (brand, last four and expiry only: a full card number never enters the database).
    ``position`` orders the fallback: when the first source fails, the next is tried."""

    class Kind(models.TextChoices):
        BANK_ACCOUNT = "bank_account"
        CARD = "card"

    class Status(models.TextChoices):
        ACTIVE = "active"
        REMOVED = "removed"

    object_name = "funding_source"

    public_id = PublicIdField(prefix="fs")
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="funding_sources")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    position = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, blank=True)
    # Bank accounts: the account details as an encrypted JSON document; only the masked form is readable.
    account_encrypted = models.TextField(blank=True)
    account_holder_name = models.CharField(max_length=200, blank=True)
    bank_country = models.CharField(max_length=2, blank=True)
    # Cards.
    brand = models.CharField(max_length=20, blank=True)
    exp_month = models.PositiveSmallIntegerField(null=True, blank=True)
    exp_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last4 = models.CharField(max_length=4)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="bank_account") & ~models.Q(account_encrypted=""))
                | models.Q(kind="card", account_encrypted="", exp_month__isnull=False, exp_year__isnull=False),
                name="wallets_funding_source_shape",
            ),
        ]
        indexes = [models.Index(fields=["holder", "status", "position"], name="wallets_fs_order")]
