"""A test-only URLconf: the real API plus small endpoints under ``/v1/test/`` that write through ``run_idempotent``.

Each write is real: an API key for the caller's environment and its ``api_key.created`` outbox event, so the
tests can count rows to see whether an effect happened once, twice or not at all.
"""

import time
from typing import Any

from django.db import transaction
from django.urls import path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError
from apps.core.idempotency import IdempotencyHandle, run_idempotent
from apps.core.serializers import InputSerializer
from apps.events import services as events
from apps.partners.models import ApiKey
from apps.partners.services import api_key_create
from config.urls import handler404, handler500
from config.urls import urlpatterns as api_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


class WriteRefused(ApplicationError):
    code = "write_refused"
    status = 422
    title = "Write refused"
    default_detail = "The write was refused after it had started."


def _write(*, principal: Any, name: str, sleep: float, fail: bool) -> ApiKey:
    # The pause sits between the claim and the completion: parallel requests arrive while the key is held.
    if sleep:
        time.sleep(sleep)
    api_key = api_key_create(environment=principal.environment, name=name).api_key
    events.record(
        type="api_key.created",
        environment=principal.environment,
        obj=api_key,
        principal=principal,
        data={"id": api_key.public_id, "name": api_key.name},
    )
    if fail:
        raise WriteRefused()
    return api_key


def _key_create_durable(*, principal: Any, name: str, fail: bool, handle: IdempotencyHandle) -> ApiKey:
    """Like a money-moving service: its own durable transaction, the idempotency record completed inside it."""
    with transaction.atomic(durable=True):
        api_key = _write(principal=principal, name=name, sleep=0, fail=False)
        handle.complete(api_key)
        if fail:
            raise WriteRefused("The write was refused after its record was completed.")
    return api_key


def _render(api_key: ApiKey) -> dict[str, Any]:
    return {"id": api_key.public_id, "name": api_key.name}


class _WriteInput(InputSerializer):
    name = serializers.CharField(max_length=100)
    sleep = serializers.FloatField(required=False, default=0, min_value=0, max_value=5)
    fail = serializers.BooleanField(required=False, default=False)


class KeyCreateApi(APIView):
    """``Idempotency-Key`` optional; ``fail`` raises a domain error after the write."""

    required_scopes: tuple[str, ...] = ()
    idempotency_required = False

    def post(self, request: Request) -> Response:
        data = _WriteInput(data=request.data)
        data.is_valid(raise_exception=True)
        principal = request.auth
        return run_idempotent(
            request,
            principal=principal,
            status=201,
            render=_render,
            action=lambda handle: _write(principal=principal, **data.validated_data),
            required=self.idempotency_required,
        )


class KeyCreateRequiredApi(KeyCreateApi):
    """``Idempotency-Key`` required."""

    idempotency_required = True


class KeyCreateDurableApi(APIView):
    """The service completes the record inside its own durable transaction (``action_completes=True``)."""

    required_scopes: tuple[str, ...] = ()

    def post(self, request: Request) -> Response:
        data = _WriteInput(data=request.data)
        data.is_valid(raise_exception=True)
        principal = request.auth
        return run_idempotent(
            request,
            principal=principal,
            status=201,
            render=_render,
            action=lambda handle: _key_create_durable(
                principal=principal, name=data.validated_data["name"], fail=data.validated_data["fail"], handle=handle
            ),
            action_completes=True,
        )


urlpatterns = [
    path("v1/test/keys", KeyCreateApi.as_view()),
    path("v1/test/keys/required", KeyCreateRequiredApi.as_view()),
    path("v1/test/keys/durable", KeyCreateDurableApi.as_view()),
    *api_urlpatterns,
]
