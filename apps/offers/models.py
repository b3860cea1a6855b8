"""Offers, their activations and redemptions, the partner's offers funding, and points redemptions.

Budgets are money: each partner environment funds its offers through a system account on the ledger
(``offers_funding``, one per currency); ``OfferFunding`` counts what was funded and what offers' budgets have
set aside, so an offer's budget is always covered and a reward never takes the account below zero. An offer's
``spent`` never exceeds its budget (a database check too); every reward and claw-back is a ledger journal.
"""

from django.conf import settings
from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.partners.models import Environment, Partner
from apps.wallets.models import Journal, Transaction, Wallet, WalletHolder


class OfferFunding(BaseModel):
    """What a partner environment has put into its offers funding account in one currency (``funded``) and how
    much of it offers' budgets have set aside (``allocated``). Changed only under this row's lock."""

    object_name = "offer_funding"

    public_id = PublicIdField(prefix="ofd")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    funded = models.BigIntegerField(default=0)
    allocated = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["environment", "currency"], name="offers_funding_one_per_currency"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="offers_funding_allocated_positive"),
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("funded")), name="offers_funding_covers_budgets"
            ),
        ]


class OfferFundingPayment(BaseModel):
    """A partner's payment for its live offers, recorded by bank staff (``ofp_``): the journal that put it into the
    offers funding account and who recorded it. One per payment reference and environment, so recording the same
    payment twice moves nothing the second time."""

    object_name = "offer_funding_payment"

    public_id = PublicIdField(prefix="ofp")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField()
    payment_reference = models.CharField(max_length=100, help_text="The partner's payment, as the bank received it.")
    note = models.CharField(max_length=500, blank=True)
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["environment", "payment_reference"], name="offers_funding_payment_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="offers_funding_payment_positive"),
        ]


class Offer(BaseModel):
    """A partner's offer (``off_``): a reward for a card payment at a merchant, within a budget."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        PAUSED = "paused"
        EXHAUSTED = "exhausted"
        ENDED = "ended"

    class RewardType(models.TextChoices):
        CASHBACK_PERCENT = "cashback_percent"
        CASHBACK_FIXED = "cashback_fixed"
        POINTS = "points"

    object_name = "offer"

    public_id = PublicIdField(prefix="off")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merchant_name = models.CharField(max_length=200)
    merchant_category = models.CharField(max_length=20, blank=True)
    reward_type = models.CharField(max_length=20, choices=RewardType.choices)
    # cashback_percent: hundredths of a percent (250 = 2.5%); cashback_fixed: minor units; points: points.
    reward_value = models.BigIntegerField()
    reward_cap = models.BigIntegerField(null=True, blank=True)
    min_spend = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    per_holder_limit = models.PositiveIntegerField(default=1)
    budget = models.BigIntegerField()
    budget_currency = models.CharField(max_length=3)
    spent = models.BigIntegerField(default=0)
    redemptions = models.PositiveIntegerField(default=0)
    target_categories = models.JSONField(default=list, blank=True)
    target_min_spend_90d = models.BigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(reward_value__gt=0), name="offers_offer_reward_positive"),
            models.CheckConstraint(condition=models.Q(budget__gt=0), name="offers_offer_budget_positive"),
            models.CheckConstraint(
                condition=models.Q(spent__gte=0, spent__lte=models.F("budget")), name="offers_offer_within_budget"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "paused", "exhausted", "ended"]), name="offers_offer_status"
            ),
        ]
        indexes = [models.Index(fields=["environment", "-id"], name="offers_offer_list")]


class OfferActivation(BaseModel):
    """An offer saved to a holder's wallet; ``redemptions`` counts its rewards (at most the offer's limit)."""

    object_name = "offer_activation"

    public_id = PublicIdField(prefix="ofa")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="activations")
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="+")
    redemptions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "holder"], name="offers_activation_once")]
        indexes = [models.Index(fields=["holder", "-id"], name="offers_activation_holder")]


class OfferRedemption(BaseModel):
    """One reward: at most one per card transaction, whatever retries or concurrent postings (unique
    ``card_transaction``). A reversal of the card payment claws it back (``clawed_back``)."""

    class Status(models.TextChoices):
        CREDITED = "credited"
        CLAWED_BACK = "clawed_back"

    object_name = "offer_redemption"

    public_id = PublicIdField(prefix="ofr")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemption_rows")
    activation = models.ForeignKey(OfferActivation, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(WalletHolder, on_delete=models.PROTECT, related_name="+")
    card_transaction = models.OneToOneField(Transaction, on_delete=models.PROTECT, related_name="offer_redemption")
    reward_transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CREDITED)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="offers_redemption_positive")]


class PointsRedemption(BaseModel):
    """Points (``XPT``) a holder moved into the partner's own programme (``rdm_``) at the partner's rate."""

    object_name = "points_redemption"

    public_id = PublicIdField(prefix="rdm")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey(WalletHolder, on_delete=models.PROTECT, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="+")
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="+")
    points = models.BigIntegerField()
    programme = models.CharField(max_length=100, help_text="The programme's name when the points were redeemed.")
    rate = models.CharField(max_length=20, help_text="Programme units per point, a decimal string.")
    value = models.CharField(max_length=40, help_text="points x rate, in the programme's units.")
    reference = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(points__gt=0), name="offers_points_positive")]


class PointsProgramme(BaseModel):
    """The partner's own programme that holders' points (``XPT``) are redeemed into, with its published rate:
    how many of the programme's units one point is worth."""

    object_name = "points_programme"

    public_id = PublicIdField(prefix="ppg")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    environment = models.OneToOneField(Environment, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    rate = models.CharField(max_length=20, help_text="Programme units per point, a positive decimal string.")
