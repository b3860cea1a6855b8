"""Reads for OAuth clients. Every read takes the partner and the environment: another partner's or another
environment's app does not exist for the caller (``NotFound``, never a permission error)."""

from django.db.models import QuerySet

from apps.core.errors import NotFound
from apps.oauth_clients.models import Application
from apps.partners.models import Environment, Partner


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
