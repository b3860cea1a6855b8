from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.endpoint_create_input_request import EndpointCreateInputRequest
from ...models.endpoint_with_secret import EndpointWithSecret
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EndpointCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook_endpoints",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EndpointWithSecret | Problem | None:
    if response.status_code == 201:
        response_201 = EndpointWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EndpointWithSecret | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EndpointCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[EndpointWithSecret | Problem]:
    """Create a webhook endpoint

     Register a URL to receive events. It must be https and reach a public address (checked now and again
    before every delivery). The response carries the signing `secret` (`whsec_...`, Standard Webhooks):
    it is shown only here and on rotation. Accepts `Idempotency-Key` (a replayed response carries the
    secret too). At most 16 endpoints per environment.

    Args:
        idempotency_key (str | Unset):
        body (EndpointCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EndpointWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EndpointCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> EndpointWithSecret | Problem | None:
    """Create a webhook endpoint

     Register a URL to receive events. It must be https and reach a public address (checked now and again
    before every delivery). The response carries the signing `secret` (`whsec_...`, Standard Webhooks):
    it is shown only here and on rotation. Accepts `Idempotency-Key` (a replayed response carries the
    secret too). At most 16 endpoints per environment.

    Args:
        idempotency_key (str | Unset):
        body (EndpointCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EndpointWithSecret | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EndpointCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[EndpointWithSecret | Problem]:
    """Create a webhook endpoint

     Register a URL to receive events. It must be https and reach a public address (checked now and again
    before every delivery). The response carries the signing `secret` (`whsec_...`, Standard Webhooks):
    it is shown only here and on rotation. Accepts `Idempotency-Key` (a replayed response carries the
    secret too). At most 16 endpoints per environment.

    Args:
        idempotency_key (str | Unset):
        body (EndpointCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EndpointWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EndpointCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> EndpointWithSecret | Problem | None:
    """Create a webhook endpoint

     Register a URL to receive events. It must be https and reach a public address (checked now and again
    before every delivery). The response carries the signing `secret` (`whsec_...`, Standard Webhooks):
    it is shown only here and on rotation. Accepts `Idempotency-Key` (a replayed response carries the
    secret too). At most 16 endpoints per environment.

    Args:
        idempotency_key (str | Unset):
        body (EndpointCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EndpointWithSecret | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
