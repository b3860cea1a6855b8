"""A test URLconf: the real one plus views under ``/v1/test/`` that raise each kind of error (and one that
publishes a Celery task).

Used with ``@pytest.mark.urls("tests.core.error_urls")``. It re-exports the real ``handler404``/``handler500``,
which Django looks up on the active URLconf module.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from kombu import Connection
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from apps.core.errors import ApplicationError
from apps.core.serializers import InputSerializer
from config.celery import app as celery_app
from config.urls import handler404, handler500
from config.urls import urlpatterns as real_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

LEAKED_TEXT = "password=hunter2 in an internal error message"
THROTTLE_WAIT_SECONDS = 6.2  # Retry-After must round this up, never down


class WalletFrozen(ApplicationError):
    code = "wallet_frozen"
    status = 409
    title = "Wallet frozen"
    default_detail = "The wallet is frozen."


class AddressInput(InputSerializer):
    city = serializers.CharField(max_length=20)
    postcode = serializers.CharField(max_length=8, required=False)


class LineInput(InputSerializer):
    amount = serializers.IntegerField(min_value=1)


class EchoApi(APIView):
    """Validates a body with nested objects, a list of objects and a list of scalars, and echoes it back."""

    required_scopes: tuple[str, ...] = ()

    class InputSerializer(InputSerializer):
        name = serializers.CharField(max_length=10)
        amount = serializers.IntegerField(min_value=1, required=False)
        address = AddressInput(required=False)
        lines = LineInput(many=True, required=False)
        tags = serializers.ListField(child=serializers.IntegerField(), required=False)

    def get(self, request: Request) -> Response:
        return Response({"object": "echo"})

    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class WebhookWriteApi(APIView):
    required_scopes: tuple[str, ...] = ("webhooks:write",)

    def get(self, request: Request) -> Response:
        return Response({"object": "ok"})


class NotFoundApi(APIView):
    required_scopes: tuple[str, ...] = ()

    def get(self, request: Request) -> Response:
        raise Http404("No Wallet matches the given query.")


class DjangoPermissionDeniedApi(APIView):
    required_scopes: tuple[str, ...] = ()

    def get(self, request: Request) -> Response:
        raise PermissionDenied("internal reason")


class AlwaysThrottled(BaseThrottle):
    def allow_request(self, request: Any, view: Any) -> bool:
        return False

    def wait(self) -> float:
        return THROTTLE_WAIT_SECONDS


class ThrottledApi(APIView):
    required_scopes: tuple[str, ...] = ()
    throttle_classes = [AlwaysThrottled]

    def get(self, request: Request) -> Response:
        return Response({"object": "ok"})


class DomainErrorApi(APIView):
    required_scopes: tuple[str, ...] = ()

    def get(self, request: Request) -> Response:
        raise WalletFrozen(
            "Wallet wal_test is frozen.",
            errors=[{"field": "source", "code": "wallet_frozen", "message": "The source wallet is frozen."}],
            # "status" collides with a problem member and must not replace it.
            extra={"wallet": "wal_test", "frozen_until": "2026-12-01T00:00:00Z", "status": 200},
        )


class CrashApi(APIView):
    required_scopes: tuple[str, ...] = ()

    def get(self, request: Request) -> Response:
        raise RuntimeError(LEAKED_TEXT)


class PublishApi(APIView):
    """Publishes a task the way a service's ``on_commit`` would, on the broker the settings name at call time
    (the Celery app reads its settings once, so a test's override would not reach it)."""

    required_scopes: tuple[str, ...] = ()

    def post(self, request: Request) -> Response:
        broker = Connection(settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        with broker as connection:
            result = celery_app.send_task("tests.never_consumed", kwargs={}, connection=connection)
        return Response({"task_id": result.id}, status=202)


test_urlpatterns = [
    path("v1/test/echo", EchoApi.as_view()),
    path("v1/test/webhooks", WebhookWriteApi.as_view()),
    path("v1/test/not-found", NotFoundApi.as_view()),
    path("v1/test/permission-denied", DjangoPermissionDeniedApi.as_view()),
    path("v1/test/throttled", ThrottledApi.as_view()),
    path("v1/test/domain-error", DomainErrorApi.as_view()),
    path("v1/test/crash", CrashApi.as_view()),
    path("v1/test/publish", PublishApi.as_view()),
]

urlpatterns = [*test_urlpatterns, *real_urlpatterns]
