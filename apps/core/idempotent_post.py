"""The one way an API view answers a POST that creates or moves something (docs/conventions.md, "Idempotency").

Every such view has the same shape: validate the body with its input serializer, call one service at most once
per ``Idempotency-Key``, and answer the rendered result (or replay the first answer)::

    return idempotent_post(
        request,
        body=TransferCreateInputSerializer,
        status=201,
        render=transfer_snapshot,
        perform=lambda data, handle: transfer_create(principal=p, request=TransferRequest(**data), idempotency=handle),
        key_required=True,
        perform_completes=True,
    )

The body is validated before the key is claimed, so a malformed request never uses a key up. ``perform(data,
handle)`` gets the validated body and the claim. By default it runs inside a transaction that also completes
the key's record; a service with its own durable transaction (the money-moving ones) is passed with
``perform_completes=True`` and calls ``handle.complete(result)`` inside it (``apps.core.idempotency``).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from apps.core.idempotency import IdempotencyHandle, run_idempotent
from apps.core.principal import principal_of

T = TypeVar("T")


def idempotent_post(
    request: Request,
    *,
    body: type[BaseSerializer] | None,
    status: int,
    render: Callable[[T], dict[str, Any]],
    perform: Callable[[dict[str, Any], IdempotencyHandle], T],
    key_required: bool = False,
    perform_completes: bool = False,
) -> Response:
    """Validate the body with ``body`` (``None``: the endpoint reads no body), then run ``perform`` once per
    ``Idempotency-Key`` (400 ``idempotency_key_required`` without one when ``key_required``) and answer
    ``render(result)`` with ``status``."""
    data: dict[str, Any] = {}
    if body is not None:
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
    return run_idempotent(
        request,
        principal=principal_of(request),
        status=status,
        render=render,
        action=lambda handle: perform(data, handle),
        required=key_required,
        action_completes=perform_completes,
    )
