"""The base of every sandbox endpoint: ``sandbox:write``, and 404 for anything but a sandbox credential."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework.request import Request
from rest_framework.views import APIView

from apps.core.errors import NotFound
from apps.core.idempotency import HEADER as IDEMPOTENCY_HEADER
from apps.core.openapi import problem_responses
from apps.core.principal import Principal
from apps.core.scopes import SANDBOX_WRITE

TAG = "Sandbox"


class SandboxApi(APIView):
    required_scopes = (SANDBOX_WRITE,)

    def check_permissions(self, request: Request) -> None:
        principal = request.auth
        if isinstance(principal, Principal) and principal.environment.kind != "sandbox":
            raise NotFound("The sandbox endpoints exist only in sandbox: use a sandbox key.")
        super().check_permissions(request)


def problems(*statuses: int) -> dict[Any, Any]:
    return problem_responses(401, 403, 404, *statuses)


IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Optional: a retry with the same key and body replays the first response instead of simulating twice.",
)


def example(name: str, value: Any, *, request: bool = False) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=request, response_only=not request)
