from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.deposit_input_request import DepositInputRequest
from ...models.problem import Problem
from ...models.transaction import Transaction
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: DepositInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/deposits",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Transaction | None:
    if response.status_code == 201:
        response_201 = Transaction.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | Transaction]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: DepositInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Transaction]:
    """Simulate an incoming bank transfer

     Money arrives in a sandbox wallet from outside (a bank transfer from `sender_name`): the transaction
    posts at once and `transaction.posted` and `wallet.balance_updated` follow. The currency must be the
    wallet's (`currency_mismatch`); a frozen or closed wallet receives nothing (`wallet_frozen`).

    Args:
        idempotency_key (str | Unset):
        body (DepositInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transaction]
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
    body: DepositInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Transaction | None:
    """Simulate an incoming bank transfer

     Money arrives in a sandbox wallet from outside (a bank transfer from `sender_name`): the transaction
    posts at once and `transaction.posted` and `wallet.balance_updated` follow. The currency must be the
    wallet's (`currency_mismatch`); a frozen or closed wallet receives nothing (`wallet_frozen`).

    Args:
        idempotency_key (str | Unset):
        body (DepositInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transaction
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: DepositInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Transaction]:
    """Simulate an incoming bank transfer

     Money arrives in a sandbox wallet from outside (a bank transfer from `sender_name`): the transaction
    posts at once and `transaction.posted` and `wallet.balance_updated` follow. The currency must be the
    wallet's (`currency_mismatch`); a frozen or closed wallet receives nothing (`wallet_frozen`).

    Args:
        idempotency_key (str | Unset):
        body (DepositInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transaction]
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
    body: DepositInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Transaction | None:
    """Simulate an incoming bank transfer

     Money arrives in a sandbox wallet from outside (a bank transfer from `sender_name`): the transaction
    posts at once and `transaction.posted` and `wallet.balance_updated` follow. The currency must be the
    wallet's (`currency_mismatch`); a frozen or closed wallet receives nothing (`wallet_frozen`).

    Args:
        idempotency_key (str | Unset):
        body (DepositInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transaction
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
