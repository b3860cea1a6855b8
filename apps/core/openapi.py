"""OpenAPI pieces every API module uses: the schema class that lists each operation's scopes, and the problem
details shape, the responses that carry it and examples of it (the bodies are what ``apps.core.exceptions``
renders)."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from apps.core.exceptions import PROBLEM_CONTENT_TYPE, TYPE_BASE
from apps.core.openapi_contract import document_standard_errors, request_body_schema
from apps.core.permissions import HasRequiredScopes, scopes_required

EXAMPLE_REQUEST_ID = "req_3fK9xQ2mB7vL1cN8dR4tY6wZ"


class ScopedAutoSchema(AutoSchema):
    """Every operation whose view the scope check guards lists its scopes as ``x-required-scopes``, read from the
    view's ``required_scopes``: an endpoint declares its scopes once, for the check and for the reference."""

    def get_extensions(self) -> dict[str, Any]:
        extensions = super().get_extensions()
        if not any(isinstance(permission, HasRequiredScopes) for permission in self.view.get_permissions()):
            return extensions
        return {**extensions, "x-required-scopes": list(scopes_required(self.view, self.method))}

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """Every operation may answer 429 (rate limits) and every one with a body 413 (over 1 MiB), before the
        view runs (apps/core/ratelimits.py, apps/core/guards.py), and every one 503 while the database or the
        cache cannot be reached (apps/core/outages.py)."""
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        content = {PROBLEM_CONTENT_TYPE: {"schema": self.resolve_serializer(ProblemSerializer, "response").ref}}
        responses = operation.setdefault("responses", {})
        if self.method in ("POST", "PUT", "PATCH"):
            responses.setdefault("413", {"content": content, "description": "The body is over 1 MiB."})
        responses.setdefault(
            "429",
            {
                "content": content,
                "description": "Rate limited: retry after `Retry-After` seconds (see the rate limits guide).",
                "headers": {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds until the window resets."}
                },
            },
        )
        responses.setdefault(
            "503",
            {
                "content": content,
                "description": "A service Causeway depends on is briefly unavailable; nothing was changed. Retry "
                "after `Retry-After` seconds with the same `Idempotency-Key`.",
                "headers": {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}
                },
            },
        )
        document_standard_errors(
            view=self.view, path=self.path, operation=operation, problem_ref=content[PROBLEM_CONTENT_TYPE]["schema"]
        )
        return operation

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        return request_body_schema(super()._map_basic_serializer(serializer, direction), serializer, direction)


class ProblemFieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Dotted path of the parameter at fault, e.g. `bank_account.iban`.")
    code = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """OpenAPI only: RFC 9457 problem details, as ``apps.core.exceptions`` renders every error."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="Stable: branch on this.")
    # A field: DRF's metaclass lifts it off the class, so it does not replace Serializer.errors.
    errors = ProblemFieldErrorSerializer(many=True)  # type: ignore[assignment]
    request_id = serializers.CharField()


def problem_responses(*statuses: int) -> dict[Any, Any]:
    """``responses`` entries: each status answers ``application/problem+json``."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Problem details.")
        for status in statuses
    }


def problem_example(
    name: str,
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    *,
    title: str = "Invalid request",
) -> OpenApiExample:
    """An example error response as the exception handler renders it."""
    return OpenApiExample(
        name,
        response_only=True,
        status_codes=[str(status)],
        media_type=PROBLEM_CONTENT_TYPE,
        value={
            "type": f"{TYPE_BASE}{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
            "errors": errors or [],
            "request_id": EXAMPLE_REQUEST_ID,
        },
    )
