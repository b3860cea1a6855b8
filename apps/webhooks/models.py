"""Webhook endpoints, one delivery row per (event, endpoint), and every attempt made to deliver it.

At-least-once is carried by the database, never by the broker alone: a ``WebhookDelivery`` is ``pending`` with a
``next_attempt_at`` until an attempt succeeds or the schedule runs out. Whoever posts it first takes a lease on
the row (``lease_until``, ``claim_token``) with a conditional update, so two workers never post one delivery at
once, and a worker that dies leaves a lease that simply runs out for the sweeper to pick the row up again.
"""

from django.db import models

from apps.core.models import BaseModel, PublicIdField
from apps.events.models import Event
from apps.partners.models import Environment, Partner


class WebhookEndpoint(BaseModel):
    """A partner's URL that receives the events it subscribes to (``enabled_events``: types, or ``["*"]``).

    The signing secret (``whsec_`` + base64 of 32 random bytes, Standard Webhooks format) is stored encrypted with
    the field encryption keys and shown only on create and rotate. After a rotation the previous secret keeps
    signing, beside the new one, until ``previous_secret_expires_at``. ``failing_since`` is the start of the
    current run of failed attempts (cleared by any success); an endpoint failing for
    ``WEBHOOK_DISABLE_AFTER_DAYS`` is disabled.
    """

    object_name = "webhook_endpoint"

    class DisabledReason(models.TextChoices):
        MANUAL = "manual"
        GONE = "gone"
        FAILING = "failing"

    public_id = PublicIdField(prefix="we")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_endpoints")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.CharField(max_length=2048)
    description = models.CharField(max_length=500, blank=True)
    enabled_events = models.JSONField(default=list)
    api_version = models.CharField(max_length=10)
    metadata = models.JSONField(default=dict, blank=True)
    secret_encrypted = models.TextField()
    previous_secret_encrypted = models.TextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=16, choices=DisabledReason.choices, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["partner", "environment", "-id"], name="webhooks_endpoint_list")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disabled_at__isnull=True, disabled_reason="")
                | models.Q(disabled_at__isnull=False, disabled_reason__in=["manual", "gone", "failing"]),
                name="webhooks_endpoint_disabled_reason",
            )
        ]

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None

    def subscribes_to(self, event_type: str) -> bool:
        return subscribes(self.enabled_events, event_type)


def subscribes(enabled_events: list[str], event_type: str) -> bool:
    """Whether an endpoint with ``enabled_events`` (types, or ``["*"]``) receives ``event_type``."""
    return "*" in enabled_events or event_type in enabled_events


class WebhookDelivery(BaseModel):
    """One event owed to one endpoint. ``attempts`` counts the attempts of the current round (a resend or a
    replay starts a new round); the ``WebhookAttempt`` rows keep every attempt ever made."""

    object_name = "webhook_delivery"

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"
        CANCELED = "canceled"

    public_id = PublicIdField(prefix="whd")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=64, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhooks_delivery_one_per_event_endpoint"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "delivered", "failed", "canceled"]),
                name="webhooks_delivery_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="pending") | models.Q(next_attempt_at__isnull=False),
                name="webhooks_delivery_pending_is_scheduled",
            ),
        ]
        indexes = [
            # The sweeper's and the draining worker's scan: only pending rows, oldest due first.
            models.Index(
                fields=["next_attempt_at"], name="webhooks_delivery_due", condition=models.Q(status="pending")
            ),
            models.Index(fields=["endpoint", "-id"], name="webhooks_delivery_log"),
        ]
        verbose_name_plural = "webhook deliveries"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, how long, what came back (status and a capped excerpt) or what went wrong.
    ``error`` is a stable code (``timeout``, ``connection_failed``, ``http_status``, ``url_forbidden``...)."""

    object_name = "webhook_attempt"

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=64, blank=True)
    response_excerpt = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["endpoint", "-started_at"], name="webhooks_attempt_endpoint"),
            models.Index(fields=["delivery", "id"], name="webhooks_attempt_delivery"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.outcome}"
