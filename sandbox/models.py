"""Objects that exist only in a sandbox: simulated card payments (``ctx_``)."""

from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.partners.models import Environment, Partner
from apps.wallets.models import Hold, Wallet


class CardTransaction(BaseModel):
    """A simulated card payment at a merchant: authorised as a hold on the wallet (a pending transaction), then
    posted (the hold is captured) or reversed (released). Moving the sandbox clock posts the card payments
    still pending ``sandbox.clock.CARD_POSTING_DELAY`` after their authorisation."""

    class Status(models.TextChoices):
        PENDING = "pending"
        POSTED = "posted"
        REVERSED = "reversed"

    object_name = "sandbox_card_transaction"

    public_id = PublicIdField(prefix="ctx")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    wallet = models.ForeignKey(Wallet, on_delete=models.CASCADE, related_name="+")
    hold = models.OneToOneField(Hold, on_delete=models.CASCADE, related_name="+")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    merchant_name = models.CharField(max_length=200)
    merchant_category = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    authorized_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="sandbox_card_transaction_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "posted", "reversed"]),
                name="sandbox_card_transaction_status",
            ),
        ]
