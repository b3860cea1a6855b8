from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.faults import Faults
from ...models.faults_input_request import FaultsInputRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: FaultsInputRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/faults",
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Faults | Problem | None:
    if response.status_code == 200:
        response_200 = Faults.from_dict(response.json())

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
) -> Response[Faults | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FaultsInputRequest | Unset = UNSET,
) -> Response[Faults | Problem]:
    """Inject a fault into every sandbox request

     From now on, `rate` of this sandbox's requests (every `/v1/` call with one of its credentials) wait
    `latency_ms` and/or are answered `status` (`sandbox_fault_injected`, nothing processed), as the
    `Causeway-Sandbox-Fault` header does for one request; a request's own header wins. The request log
    marks them. Out-of-range values are a 400 `sandbox_fault_invalid` and change nothing. Never in live.
    This endpoint itself is never faulted: `DELETE` turns the setting off.

    Args:
        body (FaultsInputRequest | Unset): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Faults | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: FaultsInputRequest | Unset = UNSET,
) -> Faults | Problem | None:
    """Inject a fault into every sandbox request

     From now on, `rate` of this sandbox's requests (every `/v1/` call with one of its credentials) wait
    `latency_ms` and/or are answered `status` (`sandbox_fault_injected`, nothing processed), as the
    `Causeway-Sandbox-Fault` header does for one request; a request's own header wins. The request log
    marks them. Out-of-range values are a 400 `sandbox_fault_invalid` and change nothing. Never in live.
    This endpoint itself is never faulted: `DELETE` turns the setting off.

    Args:
        body (FaultsInputRequest | Unset): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Faults | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FaultsInputRequest | Unset = UNSET,
) -> Response[Faults | Problem]:
    """Inject a fault into every sandbox request

     From now on, `rate` of this sandbox's requests (every `/v1/` call with one of its credentials) wait
    `latency_ms` and/or are answered `status` (`sandbox_fault_injected`, nothing processed), as the
    `Causeway-Sandbox-Fault` header does for one request; a request's own header wins. The request log
    marks them. Out-of-range values are a 400 `sandbox_fault_invalid` and change nothing. Never in live.
    This endpoint itself is never faulted: `DELETE` turns the setting off.

    Args:
        body (FaultsInputRequest | Unset): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Faults | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FaultsInputRequest | Unset = UNSET,
) -> Faults | Problem | None:
    """Inject a fault into every sandbox request

     From now on, `rate` of this sandbox's requests (every `/v1/` call with one of its credentials) wait
    `latency_ms` and/or are answered `status` (`sandbox_fault_injected`, nothing processed), as the
    `Causeway-Sandbox-Fault` header does for one request; a request's own header wins. The request log
    marks them. Out-of-range values are a 400 `sandbox_fault_invalid` and change nothing. Never in live.
    This endpoint itself is never faulted: `DELETE` turns the setting off.

    Args:
        body (FaultsInputRequest | Unset): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Faults | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
