"""OAuth client writes: ``applications`` (the portal's apps: register, change, rotate the secret, delete),
``authorization`` (a holder's consent from request to approval or refusal, with its payment mandates) and
``lifecycle`` (the one writer of a consent's status and its history).

The application services are the package's public API for the portal and the sandbox, imported from here."""

from apps.oauth_clients.services.applications import (
    SECRET_PREFIX,
    ApplicationInvalid,
    ClientIsPublic,
    IssuedClient,
    application_create,
    application_delete,
    application_rotate_secret,
    application_update,
)

__all__ = [
    "SECRET_PREFIX",
    "ApplicationInvalid",
    "ClientIsPublic",
    "IssuedClient",
    "application_create",
    "application_delete",
    "application_rotate_secret",
    "application_update",
]
