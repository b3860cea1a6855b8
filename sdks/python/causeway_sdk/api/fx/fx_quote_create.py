from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fx_quote import FxQuote
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: Any,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/fx/quotes",
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FxQuote | Problem | None:
    if response.status_code == 201:
        response_201 = FxQuote.from_dict(response.json())

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
) -> Response[FxQuote | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: Any,
    idempotency_key: str,
) -> Response[FxQuote | Problem]:
    """Create an FX quote

     Price a conversion between two currencies and hold the price for 60 seconds. Send `source_amount`
    (what to pay, fee included) or `destination_amount` (what to receive at least), never both. The fee
    (0.5% on the seeded pairs, at least one minor unit) is taken from the source amount; the destination
    rounds down. Use the quote once, in an `fx` transfer, before `expires_at` (in the environment's
    clock; the sandbox clock moves it). Requires `Idempotency-Key`. Scope `transfers:write`: an OAuth
    token the holder consented to, or in sandbox a secret key with `sandbox:write` (as every
    unrestricted key has).

    Args:
        idempotency_key (str):
        body (Any): Two different currencies and exactly one of `source_amount` and
            `destination_amount` (minor units).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FxQuote | Problem]
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
    body: Any,
    idempotency_key: str,
) -> FxQuote | Problem | None:
    """Create an FX quote

     Price a conversion between two currencies and hold the price for 60 seconds. Send `source_amount`
    (what to pay, fee included) or `destination_amount` (what to receive at least), never both. The fee
    (0.5% on the seeded pairs, at least one minor unit) is taken from the source amount; the destination
    rounds down. Use the quote once, in an `fx` transfer, before `expires_at` (in the environment's
    clock; the sandbox clock moves it). Requires `Idempotency-Key`. Scope `transfers:write`: an OAuth
    token the holder consented to, or in sandbox a secret key with `sandbox:write` (as every
    unrestricted key has).

    Args:
        idempotency_key (str):
        body (Any): Two different currencies and exactly one of `source_amount` and
            `destination_amount` (minor units).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FxQuote | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Any,
    idempotency_key: str,
) -> Response[FxQuote | Problem]:
    """Create an FX quote

     Price a conversion between two currencies and hold the price for 60 seconds. Send `source_amount`
    (what to pay, fee included) or `destination_amount` (what to receive at least), never both. The fee
    (0.5% on the seeded pairs, at least one minor unit) is taken from the source amount; the destination
    rounds down. Use the quote once, in an `fx` transfer, before `expires_at` (in the environment's
    clock; the sandbox clock moves it). Requires `Idempotency-Key`. Scope `transfers:write`: an OAuth
    token the holder consented to, or in sandbox a secret key with `sandbox:write` (as every
    unrestricted key has).

    Args:
        idempotency_key (str):
        body (Any): Two different currencies and exactly one of `source_amount` and
            `destination_amount` (minor units).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FxQuote | Problem]
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
    body: Any,
    idempotency_key: str,
) -> FxQuote | Problem | None:
    """Create an FX quote

     Price a conversion between two currencies and hold the price for 60 seconds. Send `source_amount`
    (what to pay, fee included) or `destination_amount` (what to receive at least), never both. The fee
    (0.5% on the seeded pairs, at least one minor unit) is taken from the source amount; the destination
    rounds down. Use the quote once, in an `fx` transfer, before `expires_at` (in the environment's
    clock; the sandbox clock moves it). Requires `Idempotency-Key`. Scope `transfers:write`: an OAuth
    token the holder consented to, or in sandbox a secret key with `sandbox:write` (as every
    unrestricted key has).

    Args:
        idempotency_key (str):
        body (Any): Two different currencies and exactly one of `source_amount` and
            `destination_amount` (minor units).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FxQuote | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
