"""django-oauth-toolkit's models, all swapped in here before the first migration.

Applications belong to a partner environment. Grants, access tokens, refresh tokens and ID tokens point at
the wallet holder's user (DOT's ``user``); the consent issue adds the consent they carry.
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

from apps.partners.models import Environment, Partner


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


class Grant(AbstractGrant):
    """An authorization code issued to an application for a holder."""

    class Meta(AbstractGrant.Meta):
        swappable = "OAUTH2_PROVIDER_GRANT_MODEL"


class AccessToken(AbstractAccessToken):
    """An access token; stored as DOT stores it (checksum-indexed)."""

    class Meta(AbstractAccessToken.Meta):
        swappable = "OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL"


class RefreshToken(AbstractRefreshToken):
    """A refresh token, rotated on use with reuse protection."""

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
