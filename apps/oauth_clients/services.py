"""Writes for OAuth clients."""

from dataclasses import dataclass

from django.db import transaction

from apps.core.ids import random_base62
from apps.oauth_clients.models import Application
from apps.partners.models import Environment


@dataclass(frozen=True)
class IssuedClient:
    """A client with its secret in the clear. The secret exists only here: the model stores a hash."""

    application: Application
    client_secret: str


def _new_secret() -> str:
    return "cw_cs_" + random_base62(48)


@transaction.atomic
def application_create(
    *, environment: Environment, name: str, redirect_uris: list[str], confidential: bool = True
) -> IssuedClient:
    """Create an authorization-code client for ``environment``; its secret is hashed on save."""
    secret = _new_secret()
    application = Application.objects.create(
        partner_id=environment.partner_id,
        environment=environment,
        name=name,
        redirect_uris=" ".join(redirect_uris),
        client_type=Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
        hash_client_secret=True,
    )
    return IssuedClient(application=application, client_secret=secret)


@transaction.atomic
def application_rotate_secret(*, application: Application) -> IssuedClient:
    """Replace the client secret; the old one stops working at once."""
    secret = _new_secret()
    application.client_secret = secret
    application.save(update_fields=["client_secret", "updated"])
    return IssuedClient(application=application, client_secret=secret)
