"""The Celery application. Request ids, partners and environments travel with every task so a task's logs join its
request's."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("causeway")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "causeway_request_id"
PARTNER_HEADER = "causeway_partner"
ENVIRONMENT_HEADER = "causeway_environment"


@signals.before_task_publish.connect
def _attach_request_id(headers: dict | None = None, **_: object) -> None:
    import structlog

    from apps.core.logging import current_request
    from apps.core.principal import Principal

    bound = structlog.contextvars.get_contextvars()
    request_id = bound.get("request_id")
    if headers is not None and request_id:
        headers[REQUEST_ID_HEADER] = request_id
    principal = getattr(current_request.get(), "auth", None)
    if headers is not None and isinstance(principal, Principal):
        headers[PARTNER_HEADER] = principal.partner.public_id
        headers[ENVIRONMENT_HEADER] = principal.environment.kind
    elif headers is not None and bound.get("partner"):
        # A task enqueued by a task passes on what it was bound with.
        headers[PARTNER_HEADER] = bound["partner"]
        headers[ENVIRONMENT_HEADER] = bound.get("environment")


@signals.task_prerun.connect
def _bind_request_id(task: object = None, task_id: str | None = None, **_: object) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}

    def header(name: str) -> str | None:
        return getattr(request, name, None) or headers.get(name)

    structlog.contextvars.bind_contextvars(
        task_id=task_id,
        request_id=header(REQUEST_ID_HEADER),
        partner=header(PARTNER_HEADER),
        environment=header(ENVIRONMENT_HEADER),
    )


@signals.task_postrun.connect
def _unbind_request_id(**_: object) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()


@signals.setup_logging.connect
def _use_django_logging(**_: object) -> None:
    """Keep Django's LOGGING (structlog JSON on stderr) instead of Celery's own handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
