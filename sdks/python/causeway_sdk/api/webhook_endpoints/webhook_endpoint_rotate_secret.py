from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.endpoint_with_secret import EndpointWithSecret
from ...models.problem import Problem
from ...models.rotate_secret_input_request import RotateSecretInputRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: str,
    *,
    body: RotateSecretInputRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook_endpoints/{endpoint_id}/rotate_secret".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EndpointWithSecret | Problem | None:
    if response.status_code == 200:
        response_200 = EndpointWithSecret.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: RotateSecretInputRequest | Unset = UNSET,
) -> Response[EndpointWithSecret | Problem]:
    """Rotate the signing secret

     Issue a new secret (returned once, here). Until `previous_secret_expires_in` seconds have passed
    (default 24 h, at most 7 days, 0 for at once) every delivery carries two signatures, one per secret,
    so receivers can switch without rejecting a message.

    Args:
        endpoint_id (str):
        body (RotateSecretInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EndpointWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: RotateSecretInputRequest | Unset = UNSET,
) -> EndpointWithSecret | Problem | None:
    """Rotate the signing secret

     Issue a new secret (returned once, here). Until `previous_secret_expires_in` seconds have passed
    (default 24 h, at most 7 days, 0 for at once) every delivery carries two signatures, one per secret,
    so receivers can switch without rejecting a message.

    Args:
        endpoint_id (str):
        body (RotateSecretInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EndpointWithSecret | Problem
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: RotateSecretInputRequest | Unset = UNSET,
) -> Response[EndpointWithSecret | Problem]:
    """Rotate the signing secret

     Issue a new secret (returned once, here). Until `previous_secret_expires_in` seconds have passed
    (default 24 h, at most 7 days, 0 for at once) every delivery carries two signatures, one per secret,
    so receivers can switch without rejecting a message.

    Args:
        endpoint_id (str):
        body (RotateSecretInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EndpointWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: RotateSecretInputRequest | Unset = UNSET,
) -> EndpointWithSecret | Problem | None:
    """Rotate the signing secret

     Issue a new secret (returned once, here). Until `previous_secret_expires_in` seconds have passed
    (default 24 h, at most 7 days, 0 for at once) every delivery carries two signatures, one per secret,
    so receivers can switch without rejecting a message.

    Args:
        endpoint_id (str):
        body (RotateSecretInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EndpointWithSecret | Problem
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            body=body,
        )
    ).parsed
