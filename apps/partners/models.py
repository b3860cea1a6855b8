"""Tenancy: partners, their environments, their members, and their secret API keys."""

from datetime import timedelta

from django.conf import settings
from django.db import models

from apps.core import versioning
from apps.core.models import BaseModel, PublicIdField


class Partner(BaseModel):
    """A fintech organisation that builds on Causeway. It always has a sandbox environment and gets a
    live one once bank staff approve it. ``api_version`` is the dated API version pinned at sign-up
    (the latest then; docs/versioning.md), which the partner upgrades from the portal."""

    object_name = "partner"

    public_id = PublicIdField(prefix="pt")
    name = models.CharField(max_length=200)
    api_version = models.CharField(max_length=10, default=versioning.latest)
    mfa_required = models.BooleanField(
        default=False, help_text="Members must set up two-factor authentication before using the portal."
    )

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        # Staff pages (admin lists, choices) name a partner the way people know it; the id is on its page.
        return self.name or self.public_id


class Environment(BaseModel):
    """One of a partner's two worlds. Every key, client, holder, wallet, transfer, event and endpoint
    belongs to exactly one environment; a credential never sees another environment's objects.

    ``clock_offset`` moves the sandbox clock (``apps.core.clock.now``); it is always zero in live.
    ``seed_status`` follows the seeding of a sandbox's fake bank data in the worker (``none`` when it was never
    asked for); ``seed_holders`` and ``seed_anchor`` are what it was seeded with, so a reset seeds the same data.
    ``sandbox_fault`` is the fault the partner asked to be injected into its own sandbox requests
    (``apps.core.faults``: ``latency=300, status=503, rate=0.1``); empty when off, and always empty in live.
    """

    class Kind(models.TextChoices):
        SANDBOX = "sandbox"
        LIVE = "live"

    class SeedStatus(models.TextChoices):
        NONE = "none"
        PENDING = "pending"
        SEEDING = "seeding"
        READY = "ready"
        FAILED = "failed"

    object_name = "environment"

    public_id = PublicIdField(prefix="env")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="environments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    clock_offset = models.DurationField(default=timedelta(0))
    seed_status = models.CharField(max_length=10, choices=SeedStatus.choices, default=SeedStatus.NONE)
    seed_holders = models.PositiveIntegerField(default=0)
    seed_anchor = models.DateField(null=True, blank=True)
    seed_updated_at = models.DateTimeField(null=True, blank=True)
    sandbox_fault = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "kind"], name="partners_environment_one_per_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=["sandbox", "live"]), name="partners_environment_kind"),
            models.CheckConstraint(
                condition=models.Q(kind="sandbox") | models.Q(clock_offset=timedelta(0)),
                name="partners_environment_live_clock_is_real",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="sandbox") | models.Q(sandbox_fault=""),
                name="partners_environment_live_has_no_faults",
            ),
            models.CheckConstraint(
                condition=models.Q(seed_status__in=["none", "pending", "seeding", "ready", "failed"]),
                name="partners_environment_seed_status",
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

    object_name = "membership"

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
    ``explorer`` marks the short-lived sandbox key the portal's API explorer mints for one portal session
    (``apps.partners.services.explorer``): it is not listed with the team's keys, not counted against their limit
    and never announced as expiring.
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
    expiring_notified_at = models.DateTimeField(null=True, blank=True)
    rolled_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rolled_from",
        help_text="The key that replaced this one when it was rolled.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explorer = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["partner", "environment", "-created_at"], name="partners_apikey_list")]
        constraints = [
            # The explorer's key acts only on the sandbox, and never for longer than its session allows.
            models.CheckConstraint(
                condition=models.Q(explorer=False) | models.Q(expires_at__isnull=False),
                name="partners_apikey_explorer_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.redacted})"


class Invitation(BaseModel):
    """An e-mailed invitation to join a partner's team with a role. Only the token's digest is stored."""

    object_name = "invitation"

    public_id = PublicIdField(prefix="inv")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Membership.Role.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="partners_invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "developer", "viewer"]), name="partners_invitation_role"
            ),
        ]


class LiveAccessRequest(BaseModel):
    """A partner owner's request for live access, with the company details bank staff review."""

    class Status(models.TextChoices):
        PENDING = "pending"
        APPROVED = "approved"
        REJECTED = "rejected"

    object_name = "live_access_request"

    public_id = PublicIdField(prefix="lar")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="live_access_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    legal_name = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=64)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    website = models.URLField(max_length=300)
    use_case = models.TextField(max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner"], condition=models.Q(status="pending"), name="partners_live_access_one_pending"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]), name="partners_live_access_status"
            ),
        ]


class AuditEvent(models.Model):
    """A security-relevant action (sign-in, MFA, members, keys, apps, live access, webhook endpoints), kept
    for owners and admins. Written by ``apps.partners.services.audit.record`` only; never updated."""

    object_name = "audit_event"

    public_id = PublicIdField(prefix="aud")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    environment = models.CharField(max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["partner", "-id"], name="partners_audit_feed"),
            # A staff case page's trail: the views and decisions of one case (partner-less rows).
            models.Index(fields=["target_id", "-id"], name="partners_audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class RequestLog(models.Model):
    """One ``/v1/`` request made with a partner credential, as the portal's request log shows it.

    Lives in the ``aux`` database on the embedded default (so it never waits behind money), hence plain ids
    instead of foreign keys. Bodies are truncated and redacted before they are stored.
    """

    aux_database = True
    object_name = "request_log"

    public_id = PublicIdField(prefix="log")
    partner_id_public = models.CharField(max_length=40)
    environment = models.CharField(max_length=10)
    credential_id = models.CharField(max_length=64)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=512)
    query = models.CharField(max_length=1024, blank=True)
    status = models.PositiveSmallIntegerField()
    latency_ms = models.PositiveIntegerField()
    request_id = models.CharField(max_length=128, db_index=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=64, blank=True)
    request_body = models.TextField(blank=True)
    response_body = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    sandbox_fault = models.CharField(
        max_length=100, blank=True, help_text="The fault the Causeway-Sandbox-Fault header injected, if any."
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["partner_id_public", "environment", "-id"], name="partners_reqlog_feed")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
