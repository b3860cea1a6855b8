from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent_list import ConsentList
from ...models.consent_list_status import ConsentListStatus
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    holder: str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: ConsentListStatus | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["holder"] = holder

    params["limit"] = limit

    params["starting_after"] = starting_after

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status

    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/consents",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsentList | Problem | None:
    if response.status_code == 200:
        response_200 = ConsentList.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[ConsentList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    holder: str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: ConsentListStatus | Unset = UNSET,
) -> Response[ConsentList | Problem]:
    """List consents

     The consents holders gave your apps in this environment, newest first, paged with `starting_after`.
    Filter by `status` and by `holder` (`ph_...`). Scope `consents:write` (a secret key, or a client-
    credentials token with it).

    Args:
        holder (str | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (ConsentListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsentList | Problem]
    """

    kwargs = _get_kwargs(
        holder=holder,
        limit=limit,
        starting_after=starting_after,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    holder: str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: ConsentListStatus | Unset = UNSET,
) -> ConsentList | Problem | None:
    """List consents

     The consents holders gave your apps in this environment, newest first, paged with `starting_after`.
    Filter by `status` and by `holder` (`ph_...`). Scope `consents:write` (a secret key, or a client-
    credentials token with it).

    Args:
        holder (str | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (ConsentListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsentList | Problem
    """

    return sync_detailed(
        client=client,
        holder=holder,
        limit=limit,
        starting_after=starting_after,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    holder: str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: ConsentListStatus | Unset = UNSET,
) -> Response[ConsentList | Problem]:
    """List consents

     The consents holders gave your apps in this environment, newest first, paged with `starting_after`.
    Filter by `status` and by `holder` (`ph_...`). Scope `consents:write` (a secret key, or a client-
    credentials token with it).

    Args:
        holder (str | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (ConsentListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsentList | Problem]
    """

    kwargs = _get_kwargs(
        holder=holder,
        limit=limit,
        starting_after=starting_after,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    holder: str | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: ConsentListStatus | Unset = UNSET,
) -> ConsentList | Problem | None:
    """List consents

     The consents holders gave your apps in this environment, newest first, paged with `starting_after`.
    Filter by `status` and by `holder` (`ph_...`). Scope `consents:write` (a secret key, or a client-
    credentials token with it).

    Args:
        holder (str | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (ConsentListStatus | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsentList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            holder=holder,
            limit=limit,
            starting_after=starting_after,
            status=status,
        )
    ).parsed
