"""Reads for OAuth clients and consents. Every partner read takes the partner and the environment (or the
principal): another partner's or another environment's app or consent does not exist for the caller
(``NotFound``, never a permission error). A holder's reads take the holder."""

from datetime import datetime, timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, QuerySet, Value

from apps.core.errors import NotFound
from apps.core.principal import Principal
from apps.oauth_clients.models import Application, Consent
from apps.partners.models import Environment, Partner
from apps.wallets.models import WalletHolder


def application_list(*, partner: Partner, environment: Environment) -> QuerySet[Application]:
    """The environment's apps, newest first."""
    return Application.objects.filter(partner=partner, environment=environment).order_by("-created", "-pk")


def application_get(*, partner: Partner, environment: Environment, client_id: str) -> Application:
    """One app by its client id. Raises ``NotFound`` when it is not this partner environment's."""
    application = (
        application_list(partner=partner, environment=environment)
        .select_related("environment")
        .filter(client_id=client_id)
        .first()
    )
    if application is None:
        raise NotFound("No such app.")
    return application


# --- Consents ---------------------------------------------------------------------------------------------------
def consent_list(*, principal: Principal, status: str | None = None, holder_id: str | None = None) -> QuerySet[Consent]:
    """The consents given to the apps of ``principal``'s partner and environment, with what their snapshots read
    loaded, optionally only those in ``status`` or of the holder ``holder_id`` (a holder the partner has no
    consent of simply matches nothing)."""
    consents = (
        Consent.objects.filter(partner=principal.partner, environment=principal.environment)
        .select_related("environment", "application", "holder")
        .prefetch_related("wallets", "mandates")
    )
    if status:
        consents = consents.filter(status=status)
    if holder_id:
        consents = consents.filter(holder__public_id=holder_id)
    return consents


def consent_get(*, principal: Principal, consent_id: str) -> Consent:
    """One consent of ``principal``'s partner and environment. Raises ``NotFound`` for any other."""
    consent = consent_list(principal=principal).filter(public_id=consent_id).first()
    if consent is None:
        raise NotFound(f"No such consent: {consent_id!r}.")
    return consent


def holder_connections(*, holder: WalletHolder) -> QuerySet[Consent]:
    """The apps ``holder`` has connected (their ``authorized`` consents), newest first, with their app, wallets
    and mandates loaded: the holder's dashboard."""
    return (
        Consent.objects.filter(holder=holder, status=Consent.Status.AUTHORIZED)
        .select_related("environment", "application", "holder", "partner")
        .prefetch_related("wallets", "mandates")
        .order_by("-pk")
    )


def holder_connection_get(*, holder: WalletHolder, consent_id: str) -> Consent:
    """One of ``holder``'s connections. Raises ``NotFound`` for anyone else's consent."""
    consent = holder_connections(holder=holder).filter(public_id=consent_id).first()
    if consent is None:
        raise NotFound(f"No such connection: {consent_id!r}.")
    return consent


def _environment_now(now: datetime) -> ExpressionWrapper:
    # Each consent is judged on its environment's clock (real time plus the sandbox's offset; zero in live).
    return ExpressionWrapper(Value(now) + F("environment__clock_offset"), output_field=DateTimeField())


def consent_due_ids(*, now: datetime, limit: int) -> list[int]:
    """Ids of at most ``limit`` consents, authorized or unanswered, whose ``expires_at`` has passed on their
    environment's clock (``now`` is real time), soonest first."""
    return list(
        Consent.objects.filter(status__in=(Consent.Status.AUTHORIZED, Consent.Status.AWAITING_AUTHORIZATION))
        .alias(environment_now=_environment_now(now))
        .filter(expires_at__lte=F("environment_now"))
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def consent_expiring_ids(*, now: datetime, within: timedelta, limit: int) -> list[int]:
    """Ids of at most ``limit`` authorized consents not yet notified whose expiry is in the future but within
    ``within`` on their environment's clock, soonest first."""
    return list(
        Consent.objects.filter(status=Consent.Status.AUTHORIZED, expiring_notified_at__isnull=True)
        .alias(environment_now=_environment_now(now))
        .filter(expires_at__gt=F("environment_now"), expires_at__lte=F("environment_now") + Value(within))
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
