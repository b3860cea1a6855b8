"""django-oauth-toolkit's models, all swapped in here before the first migration.

Applications belong to a partner environment. Grants, access tokens, refresh tokens and ID tokens point at
the wallet holder's user (DOT's ``user``). A code and the tokens issued from it carry the holder's ``Consent``:
what the app may see and do (scopes, the chosen wallets, payment mandates) until the consent is revoked or
expires. A token sees only its consent's wallets, and a consent that is no longer ``authorized`` stops every
token bound to it on the next request.
"""

from django.db import models
from oauth2_provider.models import (
    AbstractAccessToken,
    AbstractApplication,
    AbstractDeviceGrant,
    AbstractGrant,
    AbstractIDToken,
    AbstractRefreshToken,
)

from apps.core.models import BaseModel, PublicIdField
from apps.partners.models import Environment, Partner
from apps.wallets.models import Wallet, WalletHolder


class Application(AbstractApplication):
    """An OAuth client (an "app" in the portal) of one partner environment."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="oauth_applications")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="oauth_applications")
    logo_url = models.URLField(max_length=500, blank=True)
    allowed_scopes = models.JSONField(
        default=list, blank=True, help_text="The most a token of this app can ever be granted (user-delegated scopes)."
    )

    def get_allowed_schemes(self) -> list[str]:
        """Sandbox apps may redirect to ``http://localhost`` / ``http://127.0.0.1`` (the validators allow plain
        http for exactly those hosts, and only in sandbox); live apps are https only, whatever the deployment."""
        schemes = ["https"]
        if self.environment.kind == "sandbox":
            schemes.append("http")
        return schemes

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        constraints = [
            models.UniqueConstraint(fields=["environment", "name"], name="oauth_clients_application_unique_name")
        ]


class Consent(BaseModel):
    """A holder's permission for one app: which scopes, over which of the holder's wallets, until when, and
    which payments (``Mandate``). ``awaiting_authorization -> authorized | rejected``; an authorized consent
    later becomes ``revoked`` (by the holder, the partner or the bank) or ``expired``. Every change appends a
    ``ConsentStatusChange``."""

    class Status(models.TextChoices):
        AWAITING_AUTHORIZATION = "awaiting_authorization"
        AUTHORIZED = "authorized"
        REJECTED = "rejected"
        REVOKED = "revoked"
        EXPIRED = "expired"

    object_name = "consent"

    public_id = PublicIdField(prefix="cons")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="consents")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="consents")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consents")
    holder = models.ForeignKey(WalletHolder, on_delete=models.CASCADE, related_name="consents")
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.AWAITING_AUTHORIZATION)
    scopes = models.JSONField(default=list, help_text="User-delegated scopes the holder granted.")
    wallets = models.ManyToManyField(Wallet, related_name="consents", blank=True)
    expires_at = models.DateTimeField()
    authorized_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=16, blank=True, help_text="holder, partner or bank")
    expiring_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When consent.expiring was recorded (once per consent)."
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "expires_at"], name="oauth_consent_status_expiry"),
            models.Index(fields=["holder", "status"], name="oauth_consent_holder_status"),
        ]


class ConsentStatusChange(models.Model):
    """One step of a consent's history: ``previous_status -> status``, why, by whom (``holder``, ``partner``,
    ``bank`` or ``system``) and when."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="status_changes")
    previous_status = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=32, choices=Consent.Status.choices)
    reason = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=16)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.previous_status or '-'} -> {self.status}"


class Mandate(BaseModel):
    """A payment the holder authorised under a consent.

    ``single_payment``: one transfer of exactly ``amount`` to ``payee`` (a ``wal_`` or ``fs_`` id), used once
    (``used_at``). ``standing``: any number of transfers to ``payee`` (empty: any payee), each at most
    ``max_per_payment`` and together at most ``max_per_period`` per ``period``; transfers above
    ``step_up_threshold`` need the holder's one-time code. ``period_start``/``period_used`` count the current
    period on the mandate's own row (locked with the wallets), so the check reads one row whatever the history."""

    class Kind(models.TextChoices):
        SINGLE_PAYMENT = "single_payment"
        STANDING = "standing"

    class Period(models.TextChoices):
        DAY = "day"
        WEEK = "week"
        MONTH = "month"

    object_name = "mandate"

    public_id = PublicIdField(prefix="mdt")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="mandates")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    payee = models.CharField(max_length=40, blank=True, help_text="wal_ or fs_ id; empty: any payee (standing).")
    payee_name = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField(null=True, blank=True, help_text="single_payment: the exact amount.")
    max_per_payment = models.BigIntegerField(null=True, blank=True)
    max_per_period = models.BigIntegerField(null=True, blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, blank=True)
    step_up_threshold = models.BigIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_used = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="single_payment", amount__gt=0)
                    | models.Q(kind="standing", max_per_payment__gt=0, max_per_period__gt=0)
                ),
                name="oauth_mandate_amounts",
            ),
        ]


class Grant(AbstractGrant):
    """An authorization code issued to an application for a holder, carrying the consent it was approved with.
    ``code`` holds the code's digest (``apps.oauth_clients.tokens.code_digest``), never the code. A code is
    marked ``used_at`` when exchanged rather than deleted, so a second exchange is recognised as a replay (and
    revokes what the first one issued) until the row is cleaned up with the other expired codes."""

    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractGrant.Meta):
        swappable = "OAUTH2_PROVIDER_GRANT_MODEL"


class AccessToken(AbstractAccessToken):
    """An access token; stored as DOT stores it (hashed, checksum-indexed). A token from the code flow carries
    its holder's consent; a client-credentials token has none (partner level)."""

    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta(AbstractAccessToken.Meta):
        swappable = "OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL"


class RefreshToken(AbstractRefreshToken):
    """A refresh token, rotated on use with reuse protection; it carries its consent to the tokens it issues."""

    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta(AbstractRefreshToken.Meta):
        swappable = "OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL"


class IDToken(AbstractIDToken):
    """An OpenID Connect ID token."""

    class Meta(AbstractIDToken.Meta):
        swappable = "OAUTH2_PROVIDER_ID_TOKEN_MODEL"


class DeviceGrant(AbstractDeviceGrant):
    """Swapped with the others so every DOT table lives here; the device flow itself is not enabled."""

    class Meta(AbstractDeviceGrant.Meta):
        swappable = "OAUTH2_PROVIDER_DEVICE_GRANT_MODEL"
