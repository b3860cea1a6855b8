"""Factories for ``apps.oauth_clients``' models: applications made by ``application_create`` (the client secret,
shown once, kept on the instance as ``.secret``) and django-oauth-toolkit's grants and tokens issued to one of
them for a user."""

from datetime import timedelta

import factory
from django.utils import timezone

from apps.core.principal import Principal
from apps.oauth_clients.models import (
    AccessToken,
    Application,
    Consent,
    ConsentStatusChange,
    DeviceGrant,
    Grant,
    IDToken,
    Mandate,
    RefreshToken,
)
from apps.oauth_clients.services import application_create
from apps.oauth_clients.services.authorization import consent_authorize, consent_create
from tests.core.factories import UserFactory
from tests.partners.factories import PartnerFactory, sandbox_of
from tests.wallets.factories import make_holder, make_wallet


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


class ConsentFactory(factory.django.DjangoModelFactory):
    """A consent of a sandbox holder (with one USD wallet) to an app of the same partner, made by the
    authorization services: ``authorized`` over all of the holder's wallets by default;
    ``status="awaiting_authorization"`` leaves it unanswered. ``wallets=[...]`` shares those instead."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, allowed_scopes=["accounts:read", "balances:read"])
    holder = factory.LazyAttribute(lambda o: _holder_with_wallet(o.application))
    scopes = factory.LazyAttribute(lambda o: list(o.application.allowed_scopes))
    status = Consent.Status.AUTHORIZED
    wallets = None
    mandates = ()

    @classmethod
    def _create(cls, model_class: type[Consent], **kwargs: object) -> Consent:
        status, wallets, mandates = kwargs.pop("status"), kwargs.pop("wallets"), kwargs.pop("mandates")
        consent = consent_create(**kwargs)  # type: ignore[arg-type]
        if status == Consent.Status.AUTHORIZED:
            chosen = wallets if wallets is not None else list(consent.holder.wallets.all())
            consent = consent_authorize(
                consent=consent,
                wallet_ids=[w.public_id for w in chosen],  # type: ignore[attr-defined]
                mandates=mandates,  # type: ignore[arg-type]
            )
        return consent


def _holder_with_wallet(application: Application):  # type: ignore[no-untyped-def]
    holder = make_holder(partner=application.partner)
    make_wallet(holder=holder)
    return holder


class ConsentStatusChangeFactory(factory.django.DjangoModelFactory):
    """One history row of a consent (the services write the real ones)."""

    class Meta:
        model = ConsentStatusChange

    consent = factory.SubFactory(ConsentFactory)
    previous_status = "awaiting_authorization"
    status = "authorized"
    actor = "holder"
    at = factory.LazyFunction(timezone.now)


class MandateFactory(factory.django.DjangoModelFactory):
    """A standing mandate (any payee, 50.00 USD per payment, 200.00 per month) on an authorized consent that
    holds ``transfers:write``."""

    class Meta:
        model = Mandate

    consent = factory.SubFactory(
        ConsentFactory,
        application=factory.SubFactory(ApplicationFactory, allowed_scopes=["accounts:read", "transfers:write"]),
    )
    kind = Mandate.Kind.STANDING
    currency = "USD"
    max_per_payment = 5000
    max_per_period = 20000
    period = Mandate.Period.MONTH
    period_start = factory.LazyFunction(timezone.now)


def consent_principal(consent: Consent, *, scopes: frozenset[str] | None = None) -> Principal:
    """What an access token bound to ``consent`` resolves to: its holder, its wallets, its scopes."""
    return Principal(
        partner=consent.partner,
        environment=consent.environment,
        credential_type="oauth_token",
        credential_id="tok_test",
        scopes=frozenset(consent.scopes) if scopes is None else scopes,
        holder=consent.holder,
        wallet_ids=frozenset(consent.wallets.values_list("public_id", flat=True)),
        consent=consent,
    )
