from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.wallet_holder_list import WalletHolderList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["starting_after"] = starting_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/wallet_holders",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WalletHolderList | None:
    if response.status_code == 200:
        response_200 = WalletHolderList.from_dict(response.json())

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
) -> Response[Problem | WalletHolderList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Response[Problem | WalletHolderList]:
    """List wallet holders

     The wallet holders this credential can see, newest first, with cursor pagination. Unknown query
    parameters are refused (400 `parameter_unknown`). Scope `accounts:read`. A sandbox secret key (with
    `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders need an
    OAuth token the holder consented to.

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WalletHolderList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Problem | WalletHolderList | None:
    """List wallet holders

     The wallet holders this credential can see, newest first, with cursor pagination. Unknown query
    parameters are refused (400 `parameter_unknown`). Scope `accounts:read`. A sandbox secret key (with
    `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders need an
    OAuth token the holder consented to.

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WalletHolderList
    """

    return sync_detailed(
        client=client,
        limit=limit,
        starting_after=starting_after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Response[Problem | WalletHolderList]:
    """List wallet holders

     The wallet holders this credential can see, newest first, with cursor pagination. Unknown query
    parameters are refused (400 `parameter_unknown`). Scope `accounts:read`. A sandbox secret key (with
    `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders need an
    OAuth token the holder consented to.

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WalletHolderList]
    """

    kwargs = _get_kwargs(
        limit=limit,
        starting_after=starting_after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
) -> Problem | WalletHolderList | None:
    """List wallet holders

     The wallet holders this credential can see, newest first, with cursor pagination. Unknown query
    parameters are refused (400 `parameter_unknown`). Scope `accounts:read`. A sandbox secret key (with
    `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders need an
    OAuth token the holder consented to.

    Args:
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WalletHolderList
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            starting_after=starting_after,
        )
    ).parsed
