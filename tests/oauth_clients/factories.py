"""Factories for ``apps.oauth_clients``' models: applications made by ``application_create`` (the client secret,
shown once, kept on the instance as ``.secret``) and django-oauth-toolkit's grants and tokens issued to one of
them for a user."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.oauth_clients.models import AccessToken, Application, DeviceGrant, Grant, IDToken, RefreshToken
from apps.oauth_clients.services import application_create
from tests.core.factories import UserFactory
from tests.partners.factories import PartnerFactory, sandbox_of


def _in(**delta: float) -> factory.LazyFunction:
    return factory.LazyFunction(lambda: timezone.now() + timedelta(**delta))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A confidential authorization-code client of a fresh partner's sandbox (``confidential=False``: a public
    one, without a secret)."""

    class Meta:
        model = Application

    environment = factory.LazyFunction(lambda: sandbox_of(PartnerFactory()))
    name = factory.Sequence(lambda n: f"Budget buddy {n}")
    redirect_uris = factory.List(["https://budget.example.com/callback"])
    allowed_scopes = factory.List(["accounts:read", "balances:read"])

    @classmethod
    def _create(cls, model_class: type[Application], **kwargs: object) -> Application:
        issued = application_create(**kwargs)  # type: ignore[arg-type]
        issued.application.secret = issued.client_secret  # type: ignore[attr-defined]
        return issued.application


class GrantFactory(factory.django.DjangoModelFactory):
    """An unexpired authorization code with its PKCE challenge, for the application's first redirect URI."""

    class Meta:
        model = Grant

    application = factory.SubFactory(ApplicationFactory)
    user = factory.SubFactory(UserFactory)
    code = factory.Sequence(lambda n: f"code-{n}")
    expires = _in(minutes=1)
    redirect_uri = factory.LazyAttribute(lambda o: o.application.redirect_uris.split()[0])
    scope = "accounts:read"
    code_challenge = "x" * 43
    code_challenge_method = "S256"


class AccessTokenFactory(factory.django.DjangoModelFactory):
    """An access token valid for an hour."""

    class Meta:
        model = AccessToken

    application = factory.SubFactory(ApplicationFactory)
    user = factory.SubFactory(UserFactory)
    token = factory.Sequence(lambda n: f"access-{n}")
    expires = _in(hours=1)
    scope = "accounts:read"


class RefreshTokenFactory(factory.django.DjangoModelFactory):
    """A refresh token paired with an access token of the same application and user."""

    class Meta:
        model = RefreshToken

    access_token = factory.SubFactory(AccessTokenFactory)
    application = factory.SelfAttribute("access_token.application")
    user = factory.SelfAttribute("access_token.user")
    token = factory.Sequence(lambda n: f"refresh-{n}")


class IDTokenFactory(factory.django.DjangoModelFactory):
    """An OpenID Connect ID token valid for an hour."""

    class Meta:
        model = IDToken

    application = factory.SubFactory(ApplicationFactory)
    user = factory.SubFactory(UserFactory)
    expires = _in(hours=1)
    scope = "openid"


class DeviceGrantFactory(factory.django.DjangoModelFactory):
    """A device-flow session awaiting the user (the flow is not enabled; the table exists with the others)."""

    class Meta:
        model = DeviceGrant

    client_id = factory.LazyFunction(lambda: ApplicationFactory().client_id)
    device_code = factory.Sequence(lambda n: f"device-{n}")
    user_code = factory.Sequence(lambda n: f"USER-{n:04d}")
    expires = _in(minutes=10)
