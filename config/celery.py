"""The Celery application. Request ids travel with every task so a task's logs join its request's."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("causeway")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

REQUEST_ID_HEADER = "causeway_request_id"


@signals.before_task_publish.connect
def _attach_request_id(headers: dict | None = None, **_: object) -> None:
    import structlog

    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if headers is not None and request_id:
        headers[REQUEST_ID_HEADER] = request_id


@signals.task_prerun.connect
def _bind_request_id(task: object = None, task_id: str | None = None, **_: object) -> None:
    import structlog

    structlog.contextvars.clear_contextvars()
    request = getattr(task, "request", None)
    request_id = getattr(request, REQUEST_ID_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        REQUEST_ID_HEADER
    )
    structlog.contextvars.bind_contextvars(task_id=task_id, request_id=request_id)


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
