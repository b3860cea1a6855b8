"""Writes for OAuth clients ("apps" in the portal).

Every rule about an app's fields lives in ``apps.oauth_clients.validators``; these services run them and write
nothing when any is broken (``ApplicationInvalid`` lists the problems per field). Client secrets exist in the
clear only in the ``IssuedClient`` a service returns: django-oauth-toolkit hashes them on save. Each service
writes its audit row in the same transaction as its change.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from oauth2_provider.models import redirect_to_uri_allowed

from apps.core.errors import error_type
from apps.core.ids import random_base62
from apps.oauth_clients import validators
from apps.oauth_clients.models import AccessToken, Application, DeviceGrant, Grant, IDToken, RefreshToken
from apps.partners.models import Environment
from apps.partners.services import audit

SECRET_PREFIX = "cw_cs_"
SECRET_RANDOM_LENGTH = 48


ApplicationInvalid = error_type(
    "ApplicationInvalid",
    "application_invalid",
    400,
    "Invalid app",
    "The app was not saved: fix the fields listed in errors.",
)
ClientIsPublic = error_type(
    "ClientIsPublic", "client_is_public", 409, "Public client", "Public clients have no client secret to rotate."
)


@dataclass(frozen=True)
class IssuedClient:
    """A client with its secret in the clear. The secret exists only here (the model stores a hash);
    ``client_secret`` is None for a public client, which has none."""

    application: Application
    client_secret: str | None


def _new_secret() -> str:
    return SECRET_PREFIX + random_base62(SECRET_RANDOM_LENGTH)


def _clean_list(values: Any) -> Any:
    """Strip each string of a list; anything else is passed through for the validators to refuse."""
    if isinstance(values, list | tuple) and all(isinstance(v, str) for v in values):
        return [v.strip() for v in values]
    return values


def _check(
    *,
    environment: Environment,
    name: Any,
    logo_url: Any,
    redirect_uris: Any,
    allowed_scopes: Any,
    exclude_pk: int | None = None,
) -> None:
    problems = validators.application_problems(
        environment_kind=environment.kind,
        name=name,
        logo_url=logo_url,
        redirect_uris=redirect_uris,
        allowed_scopes=allowed_scopes,
    )
    if not any(p["field"] == "name" for p in problems):
        taken = Application.objects.filter(environment=environment, name__iexact=name)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            problems.insert(0, _name_taken())
    if problems:
        raise ApplicationInvalid(errors=problems)


def _name_taken() -> dict[str, str]:
    return {"field": "name", "code": "name_taken", "message": "An app with this name already exists here."}


def _save(application: Application, **kwargs: Any) -> None:
    # The case-insensitive check above can race with a concurrent save; the database's unique
    # (environment, name) constraint catches exact duplicates.
    try:
        with transaction.atomic():
            application.save(**kwargs)
    except IntegrityError as exc:
        duplicate = Application.objects.filter(environment_id=application.environment_id, name=application.name)
        if application.pk is not None:
            duplicate = duplicate.exclude(pk=application.pk)
        if duplicate.exists():
            raise ApplicationInvalid(errors=[_name_taken()]) from exc
        raise


def _locked(application: Application) -> Application:
    """A fresh copy of ``application``, its row locked until the transaction ends."""
    return Application.objects.select_for_update().select_related("environment", "partner").get(pk=application.pk)


def _revoke_everything(application: Application) -> dict[str, int]:
    """Delete every token, code and ID token issued to ``application``: none of them can be used again."""
    deleted = {}
    for label, model, lookup in (
        ("access_tokens", AccessToken, {"application": application}),
        ("refresh_tokens", RefreshToken, {"application": application}),
        ("id_tokens", IDToken, {"application": application}),
        ("grants", Grant, {"application": application}),
        # Device grants name their client by id rather than by foreign key.
        ("device_grants", DeviceGrant, {"client_id": application.client_id}),
    ):
        _, per_model = model.objects.filter(**lookup).delete()
        deleted[label] = per_model.get(model._meta.label, 0)
    return deleted


def _revoke_beyond(application: Application, *, allowed_scopes: set[str], redirect_uris: list[str]) -> None:
    """Delete tokens and codes that the narrowed app could no longer get: any carrying a scope outside
    ``allowed_scopes`` (with the refresh tokens on either side of such an access token), and codes issued
    for a redirect URI that is no longer registered."""
    beyond = [
        token.pk
        for token in AccessToken.objects.filter(application=application).only("pk", "scope").iterator()
        if not set(token.scope.split()) <= allowed_scopes
    ]
    if beyond:
        RefreshToken.objects.filter(
            Q(access_token_id__in=beyond) | Q(refreshed_access_token__in=beyond), application=application
        ).delete()
        AccessToken.objects.filter(pk__in=beyond).delete()
    stale_grants = [
        grant.pk
        for grant in Grant.objects.filter(application=application).only("pk", "scope", "redirect_uri")
        if not set(grant.scope.split()) <= allowed_scopes
        or not redirect_to_uri_allowed(grant.redirect_uri, redirect_uris)
    ]
    if stale_grants:
        Grant.objects.filter(pk__in=stale_grants).delete()


@transaction.atomic
def application_create(
    *,
    environment: Environment,
    name: str,
    redirect_uris: list[str],
    allowed_scopes: list[str],
    logo_url: str = "",
    confidential: bool = True,
    actor: Any = None,
    request: Any = None,
) -> IssuedClient:
    """Register an authorization-code client for ``environment``.

    A confidential client gets a secret (``cw_cs_`` + 48 base62 characters), returned here once and stored
    hashed; a public client gets none (PKCE is required of every client anyway). ``actor``/``request`` only
    feed the audit row. Raises ``ApplicationInvalid`` (nothing written) when a field breaks a rule in
    ``apps.oauth_clients.validators`` or the name is taken in this environment, ignoring case.
    """
    name = name.strip() if isinstance(name, str) else name
    logo_url = logo_url.strip() if isinstance(logo_url, str) else logo_url
    redirect_uris = _clean_list(redirect_uris)
    _check(
        environment=environment,
        name=name,
        logo_url=logo_url,
        redirect_uris=redirect_uris,
        allowed_scopes=allowed_scopes,
    )
    secret = _new_secret() if confidential else None
    application = Application(
        partner_id=environment.partner_id,
        environment=environment,
        name=name,
        logo_url=logo_url,
        redirect_uris=" ".join(redirect_uris),
        allowed_scopes=sorted(set(allowed_scopes)),
        client_type=Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        # A public client stores no secret at all, rather than a hash of an empty one.
        client_secret=secret or "",
        hash_client_secret=confidential,
    )
    _save(application, force_insert=True)
    audit.record(
        action="app.created",
        partner=environment.partner,
        actor=actor,
        request=request,
        target=application,
        environment=environment,
        metadata={
            "name": application.name,
            "client_type": application.client_type,
            "redirect_uris": redirect_uris,
            "allowed_scopes": application.allowed_scopes,
        },
    )
    return IssuedClient(application=application, client_secret=secret)


@transaction.atomic
def application_update(
    *,
    application: Application,
    name: str,
    logo_url: str,
    redirect_uris: list[str],
    allowed_scopes: list[str],
    actor: Any = None,
    request: Any = None,
) -> Application:
    """Change an app's name, logo, redirect URIs or allowed scopes, under the same rules as
    ``application_create`` (raises ``ApplicationInvalid``, nothing written).

    Narrowing the allowed scopes revokes the app's tokens and codes that carry a scope it no longer allows
    (the allowed scopes are the ceiling a token can ever have); removing a redirect URI revokes the pending
    authorization codes issued for it. Records ``app.updated`` with the names of the changed fields.
    """
    application = _locked(application)
    name = name.strip() if isinstance(name, str) else name
    logo_url = logo_url.strip() if isinstance(logo_url, str) else logo_url
    redirect_uris = _clean_list(redirect_uris)
    _check(
        environment=application.environment,
        name=name,
        logo_url=logo_url,
        redirect_uris=redirect_uris,
        allowed_scopes=allowed_scopes,
        exclude_pk=application.pk,
    )
    after = {
        "name": name,
        "logo_url": logo_url,
        "redirect_uris": " ".join(redirect_uris),
        "allowed_scopes": sorted(set(allowed_scopes)),
    }
    changed = [field for field, value in after.items() if getattr(application, field) != value]
    if not changed:
        return application
    narrowed = not set(after["allowed_scopes"]) >= set(application.allowed_scopes)
    removed_uris = set(application.redirect_uris.split()) - set(redirect_uris)
    for field in changed:
        setattr(application, field, after[field])
    _save(application, update_fields=[*changed, "updated"])
    if narrowed or removed_uris:
        _revoke_beyond(application, allowed_scopes=set(after["allowed_scopes"]), redirect_uris=redirect_uris)
    audit.record(
        action="app.updated",
        partner=application.partner,
        actor=actor,
        request=request,
        target=application,
        environment=application.environment,
        metadata={"changed": changed, "name": application.name},
    )
    return application


@transaction.atomic
def application_rotate_secret(*, application: Application, actor: Any = None, request: Any = None) -> IssuedClient:
    """Replace a confidential client's secret; the old one stops working at once (only the new hash is
    kept). Tokens already issued stay valid. Raises ``ClientIsPublic`` for a public client."""
    application = _locked(application)
    if application.client_type != Application.CLIENT_CONFIDENTIAL:
        raise ClientIsPublic()
    secret = _new_secret()
    application.client_secret = secret
    application.hash_client_secret = True
    application.save(update_fields=["client_secret", "hash_client_secret", "updated"])
    audit.record(
        action="app.secret_rotated",
        partner=application.partner,
        actor=actor,
        request=request,
        target=application,
        environment=application.environment,
    )
    return IssuedClient(application=application, client_secret=secret)


@transaction.atomic
def application_delete(*, application: Application, actor: Any = None, request: Any = None) -> None:
    """Delete an app after revoking everything issued to it: its access and refresh tokens, ID tokens and
    pending authorization codes are deleted first, in the same transaction, so nothing it was given
    remains usable. Records ``app.deleted`` with how many tokens were revoked."""
    application = _locked(application)
    revoked = _revoke_everything(application)
    audit.record(
        action="app.deleted",
        partner=application.partner,
        actor=actor,
        request=request,
        target=application,
        environment=application.environment,
        metadata={"name": application.name, "revoked": revoked},
    )
    application.delete()
