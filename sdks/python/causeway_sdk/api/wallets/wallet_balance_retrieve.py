from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.balance import Balance
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    wallet_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/wallets/{wallet_id}/balances".format(
            wallet_id=quote(str(wallet_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Balance | Problem | None:
    if response.status_code == 200:
        response_200 = Balance.from_dict(response.json())

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
) -> Response[Balance | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Balance | Problem]:
    """Retrieve a wallet's balances

     `ledger` is posted money; `pending` is what holds set aside (card payments not yet posted, payouts
    in flight); `available` = `ledger` - `pending` is what can be spent now. `last_transaction` is the
    transaction that last changed these figures, so they line up with the transaction list. Scope
    `balances:read`. A sandbox secret key (with `sandbox:write`, as every unrestricted key has) reads
    its own sandbox holders; live holders need an OAuth token the holder consented to.

    Args:
        wallet_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Balance | Problem]
    """

    kwargs = _get_kwargs(
        wallet_id=wallet_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
) -> Balance | Problem | None:
    """Retrieve a wallet's balances

     `ledger` is posted money; `pending` is what holds set aside (card payments not yet posted, payouts
    in flight); `available` = `ledger` - `pending` is what can be spent now. `last_transaction` is the
    transaction that last changed these figures, so they line up with the transaction list. Scope
    `balances:read`. A sandbox secret key (with `sandbox:write`, as every unrestricted key has) reads
    its own sandbox holders; live holders need an OAuth token the holder consented to.

    Args:
        wallet_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Balance | Problem
    """

    return sync_detailed(
        wallet_id=wallet_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Balance | Problem]:
    """Retrieve a wallet's balances

     `ledger` is posted money; `pending` is what holds set aside (card payments not yet posted, payouts
    in flight); `available` = `ledger` - `pending` is what can be spent now. `last_transaction` is the
    transaction that last changed these figures, so they line up with the transaction list. Scope
    `balances:read`. A sandbox secret key (with `sandbox:write`, as every unrestricted key has) reads
    its own sandbox holders; live holders need an OAuth token the holder consented to.

    Args:
        wallet_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Balance | Problem]
    """

    kwargs = _get_kwargs(
        wallet_id=wallet_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
) -> Balance | Problem | None:
    """Retrieve a wallet's balances

     `ledger` is posted money; `pending` is what holds set aside (card payments not yet posted, payouts
    in flight); `available` = `ledger` - `pending` is what can be spent now. `last_transaction` is the
    transaction that last changed these figures, so they line up with the transaction list. Scope
    `balances:read`. A sandbox secret key (with `sandbox:write`, as every unrestricted key has) reads
    its own sandbox holders; live holders need an OAuth token the holder consented to.

    Args:
        wallet_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Balance | Problem
    """

    return (
        await asyncio_detailed(
            wallet_id=wallet_id,
            client=client,
        )
    ).parsed
