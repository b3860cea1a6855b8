"""Transfers: money moved between wallets, from funding sources into wallets and out to bank accounts, and
between currencies, always through the ledger.

A ``Transfer`` is a small state machine (``pending -> processing -> succeeded | failed``, ``pending -> held ->
pending | failed``, ``pending | held -> canceled``, ``succeeded -> reversed`` once fully reversed). Every change
of state writes a ``TransferStatusChange`` and its event in the transaction that posts its journals. The limits
table (``LimitRule``) and the FX rate table (``FxRate``) are staff-edited in the admin.
"""

from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.oauth_clients.models import Mandate
from apps.partners.models import Environment, Partner
from apps.wallets.models import FundingSource, Hold, Journal, Transaction, Wallet, WalletHolder


class FxRate(models.Model):
    """A mid-market rate: one ``base_currency`` buys ``rate`` of ``quote_currency``. ``rate`` is a decimal
    string (never a float); ``fee_bps`` is the fee in basis points of the source amount."""

    base_currency = models.CharField(max_length=3)
    quote_currency = models.CharField(max_length=3)
    rate = models.CharField(max_length=32, help_text="Decimal string, e.g. 1.0834 (units of quote per base).")
    fee_bps = models.PositiveIntegerField(default=50, help_text="Fee in basis points of the source amount.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["base_currency", "quote_currency"], name="transfers_fxrate_pair_unique"),
            models.CheckConstraint(
                condition=~models.Q(base_currency=models.F("quote_currency")), name="transfers_fxrate_two_currencies"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.base_currency}/{self.quote_currency} {self.rate}"


class FxQuote(BaseModel):
    """A price for converting ``source_amount`` of one currency into ``destination_amount`` of another, fee
    included (``fee_amount``, in the source currency, is part of ``source_amount``). Usable by one transfer,
    until ``expires_at``; the one-to-one ``Transfer.fx_quote`` makes "once" a database rule."""

    object_name = "fx_quote"

    public_id = PublicIdField(prefix="fxq")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="fx_quotes")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="fx_quotes")
    source_currency = models.CharField(max_length=3)
    destination_currency = models.CharField(max_length=3)
    source_amount = models.BigIntegerField()
    fee_amount = models.BigIntegerField(default=0)
    destination_amount = models.BigIntegerField()
    rate = models.CharField(max_length=32)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(source_amount__gt=0), name="transfers_fxquote_source_positive"),
            models.CheckConstraint(
                condition=models.Q(destination_amount__gt=0), name="transfers_fxquote_destination_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(fee_amount__gte=0, fee_amount__lt=models.F("source_amount")),
                name="transfers_fxquote_fee_within_source",
            ),
        ]


class LimitRule(models.Model):
    """What one holder may move per KYC tier and currency: per transfer, over a rolling 24 h and a rolling 30
    days, how many transfers in a velocity window, and above which amounts a transfer waits for staff review."""

    kyc_tier = models.CharField(max_length=16, choices=WalletHolder.KycTier.choices)
    currency = models.CharField(max_length=3)
    per_transfer_max = models.BigIntegerField(help_text="Minor units.")
    daily_max = models.BigIntegerField(help_text="Rolling 24 hours, minor units.")
    monthly_max = models.BigIntegerField(help_text="Rolling 30 days, minor units.")
    review_threshold = models.BigIntegerField(help_text="Transfers above this amount are held for review.")
    new_counterparty_review_amount = models.BigIntegerField(
        help_text="A first transfer to a new counterparty at or above this amount is held for review."
    )
    velocity_max_count = models.PositiveIntegerField(default=30, help_text="Transfers per velocity window.")
    velocity_window_seconds = models.PositiveIntegerField(default=3600)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kyc_tier", "currency"], name="transfers_limitrule_tier_currency_unique"),
            models.CheckConstraint(
                condition=models.Q(per_transfer_max__gt=0, daily_max__gt=0, monthly_max__gt=0),
                name="transfers_limitrule_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kyc_tier} {self.currency}"


class Transfer(BaseModel):
    """Money moved for a partner: ``p2p`` (wallet to wallet), ``top_up`` (funding source into a wallet, settled
    by the bank rail), ``payout`` (wallet to a bank account, held at once and settled by the rail) or ``fx``
    (between two wallets of one holder with an ``FxQuote``).

    ``holder`` is whose limits it counts against (the paying holder; the receiving one for a top-up).
    ``next_action_at`` (in the environment's clock) is when the rail acts next, ``lease_until`` the claim a
    worker holds on that step: with the beat sweeper they make settlement at-least-once without the broker.
    """

    class Type(models.TextChoices):
        P2P = "p2p"
        TOP_UP = "top_up"
        PAYOUT = "payout"
        FX = "fx"

    class Status(models.TextChoices):
        PENDING = "pending"
        HELD = "held"
        PROCESSING = "processing"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELED = "canceled"
        REVERSED = "reversed"

    object_name = "transfer"

    public_id = PublicIdField(prefix="tr")
    # partner and holder are the first columns of the list and limits indexes; environment and journal are
    # never looked up alone. Each index costs every insert (see docs/architecture.md, "Write path").
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="transfers", db_index=False)
    environment = models.ForeignKey(Environment, on_delete=models.PROTECT, related_name="transfers", db_index=False)
    type = models.CharField(max_length=10, choices=Type.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    holder = models.ForeignKey(WalletHolder, on_delete=models.PROTECT, related_name="transfers", db_index=False)
    source_wallet = models.ForeignKey(
        Wallet, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing_transfers"
    )
    destination_wallet = models.ForeignKey(
        Wallet, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    funding_source = models.ForeignKey(
        FundingSource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
        help_text="The source of a top-up or the destination of a payout.",
    )
    funding_source_explicit = models.BooleanField(
        default=False, help_text="A top-up named its source; otherwise the rail may fall back to the next one."
    )
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    destination_amount = models.BigIntegerField(null=True, blank=True)
    destination_currency = models.CharField(max_length=3, blank=True)
    fee_amount = models.BigIntegerField(default=0)
    fx_quote = models.OneToOneField(FxQuote, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer")
    amount_reversed = models.BigIntegerField(default=0)
    description = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)
    review_reason = models.CharField(max_length=64, blank=True)
    # The risk score at creation (apps.risk.scoring; docs/risk.md): null only for transfers made before scoring.
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_level = models.CharField(max_length=16, blank=True)
    risk_reasons = models.JSONField(default=list, blank=True, help_text="Generic reason codes (docs/risk.md).")
    funding_attempts = models.JSONField(
        default=list,
        blank=True,
        help_text="Top-ups and payouts: each funding source the rail was asked to use, in order "
        '({"source", "outcome": "succeeded"|"failed", "failure_code", "at"}).',
    )
    hold = models.OneToOneField(Hold, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer")
    pending_transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_transfer"
    )
    journal = models.ForeignKey(
        Journal, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    mandate = models.ForeignKey(
        Mandate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
        db_index=False,
        help_text="The holder's payment mandate that authorised it (transfers made with an OAuth token).",
    )
    initiated_at = models.DateTimeField(help_text="Creation time in the environment's clock (limits use it).")
    next_action_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="transfers_transfer_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_reversed__gte=0, amount_reversed__lte=models.F("amount")),
                name="transfers_transfer_reversed_within_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(type__in=["p2p", "top_up", "payout", "fx"]), name="transfers_transfer_type"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "held", "processing", "succeeded", "failed", "canceled", "reversed"]
                ),
                name="transfers_transfer_status",
            ),
            # Each type names exactly the parties it moves money between.
            models.CheckConstraint(
                condition=models.Q(
                    type="p2p", source_wallet__isnull=False, destination_wallet__isnull=False, funding_source=None
                )
                | models.Q(
                    type="top_up", source_wallet=None, destination_wallet__isnull=False, funding_source__isnull=False
                )
                | models.Q(
                    type="payout", source_wallet__isnull=False, destination_wallet=None, funding_source__isnull=False
                )
                | models.Q(
                    type="fx",
                    source_wallet__isnull=False,
                    destination_wallet__isnull=False,
                    fx_quote__isnull=False,
                    funding_source=None,
                ),
                name="transfers_transfer_parties",
            ),
            models.CheckConstraint(
                condition=~models.Q(source_wallet=models.F("destination_wallet")),
                name="transfers_transfer_two_wallets",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_score__isnull=True) | models.Q(risk_score__lte=100),
                name="transfers_transfer_risk_score_range",
            ),
            # Reversed means fully reversed; a succeeded transfer may be partly reversed.
            models.CheckConstraint(
                condition=~models.Q(status="reversed") | models.Q(amount_reversed=models.F("amount")),
                name="transfers_transfer_reversed_is_full",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "environment", "-id"], name="transfers_list"),
            models.Index(fields=["partner", "environment", "status", "-id"], name="transfers_list_status"),
            models.Index(fields=["holder", "initiated_at"], name="transfers_limits"),
            models.Index(fields=["status", "next_action_at"], name="transfers_due"),
            # Only transfers made under a mandate pay for this index on insert.
            models.Index(fields=["mandate"], name="transfers_mandate", condition=models.Q(mandate__isnull=False)),
        ]


class TransferStatusChange(models.Model):
    """One step of a transfer's life: from ``previous_status`` to ``status``, when (environment clock), why
    (``reason``: a failure code, a review rule, ``staff_release``...) and by whom (``actor``)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="status_changes")
    previous_status = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=12)
    reason = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=200, blank=True, help_text="api_key:<id>, system, staff:<email>.")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.previous_status or '-'} -> {self.status}"


class TransferReversal(BaseModel):
    """Money of a succeeded transfer sent back (``trr_``), fully or in part: never more than remains. Its
    journal mirrors the reversed share of the transfer's journal."""

    object_name = "transfer_reversal"

    public_id = PublicIdField(prefix="trr")
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="reversals")
    amount = models.BigIntegerField()
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="transfers_reversal_amount_positive")
        ]


class TransferUsage(models.Model):
    """What one holder's counted transfers add up to in one currency over one UTC hour or day (``span``) of the
    environment's clock: their ``amount`` and their number (``count``). The limits read these buckets instead of
    the holder's history (``apps.transfers.usage``). A transfer is added to its hour and its day in the
    transaction that creates it and taken out again in the one that fails or cancels it."""

    class Span(models.TextChoices):
        HOUR = "hour"
        DAY = "day"

    # The unique index leads with the holder: no index of its own.
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="transfer_usage", db_index=False)
    span = models.CharField(max_length=4, choices=Span.choices)
    period_start = models.DateTimeField(help_text="Start of the hour or day (UTC) in the environment's clock.")
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField(default=0, help_text="Minor units of currency.")
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Every read is a range of one holder's hours or days, in one currency or in all of them.
            models.UniqueConstraint(
                fields=["holder", "span", "period_start", "currency"], name="transfers_usage_bucket_unique"
            ),
            models.CheckConstraint(condition=models.Q(span__in=["hour", "day"]), name="transfers_usage_span"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, count__gte=0), name="transfers_usage_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.currency} {self.span} {self.period_start:%Y-%m-%dT%H}"
