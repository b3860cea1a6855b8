"""Tenancy: partners, their environments, their members, and their secret API keys."""

from datetime import timedelta

from django.conf import settings
from django.db import models

from apps.core.models import BaseModel, PublicIdField


class Partner(BaseModel):
    """A fintech organisation that builds on Causeway. It always has a sandbox environment and gets a
    live one once bank staff approve it. ``api_version`` is the dated API version pinned at sign-up."""

    object_name = "partner"

    public_id = PublicIdField(prefix="pt")
    name = models.CharField(max_length=200)
    api_version = models.CharField(max_length=10, default="2026-11-01")

    class Meta:
        ordering = ["-pk"]


class Environment(BaseModel):
    """One of a partner's two worlds. Every key, client, holder, wallet, transfer, event and endpoint
    belongs to exactly one environment; a credential never sees another environment's objects.

    ``clock_offset`` moves the sandbox clock (``apps.core.clock.now``); it is always zero in live.
    """

    class Kind(models.TextChoices):
        SANDBOX = "sandbox"
        LIVE = "live"

    object_name = "environment"

    public_id = PublicIdField(prefix="env")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="environments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    clock_offset = models.DurationField(default=timedelta(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind"], name="partners_environment_one_per_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=["sandbox", "live"]), name="partners_environment_kind"),
            models.CheckConstraint(
                condition=models.Q(kind="sandbox") | models.Q(clock_offset=timedelta(0)),
                name="partners_environment_live_clock_is_real",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}:{self.kind}"


class Membership(BaseModel):
    """A user's membership of a partner team, with a role (owner, admin, developer, viewer)."""

    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        DEVELOPER = "developer"
        VIEWER = "viewer"

    public_id = PublicIdField(prefix="mem")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="partners_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "admin", "developer", "viewer"]), name="partners_membership_role"
            ),
        ]


class ApiKey(BaseModel):
    """A secret API key (``cw_sk_sandbox_...`` / ``cw_sk_live_...``) for one partner environment.

    Only the SHA-256 digest of the key is stored (keys carry ~238 random bits, so a fast hash is safe);
    the key itself is shown once at creation. ``scopes`` empty means every partner-level scope; a
    restricted key lists a subset. ``redacted`` (prefix and last four) is what the portal shows.
    """

    object_name = "api_key"

    public_id = PublicIdField(prefix="key")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    redacted = models.CharField(max_length=40)
    scopes = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["partner", "environment", "-created_at"], name="partners_apikey_list")]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.redacted})"
