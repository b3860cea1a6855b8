from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.funding_source import FundingSource
from ...models.funding_source_create_input_request import (
    FundingSourceCreateInputRequest,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    holder_id: str,
    *,
    body: FundingSourceCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/wallet_holders/{holder_id}/funding_sources".format(
            holder_id=quote(str(holder_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FundingSource | Problem | None:
    if response.status_code == 201:
        response_201 = FundingSource.from_dict(response.json())

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
) -> Response[FundingSource | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[FundingSource | Problem]:
    """Add a funding source

     Add a bank account (an IBAN, or a UK sort code and 8-digit account number) or a card (brand, last
    four digits, expiry) at the end of the holder's fallback order. Account details are validated (IBAN
    length and check digits), stored encrypted and only ever shown masked. **Never send a full card
    number**: a `number` field is refused as `parameter_unknown`, and a card number in `last4` (or a
    name) as `card_number_refused`; neither is stored or logged. An expired card is refused with
    `card_expired`. Accepts `Idempotency-Key`. Needs `sandbox:write`.

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (FundingSourceCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FundingSource | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> FundingSource | Problem | None:
    """Add a funding source

     Add a bank account (an IBAN, or a UK sort code and 8-digit account number) or a card (brand, last
    four digits, expiry) at the end of the holder's fallback order. Account details are validated (IBAN
    length and check digits), stored encrypted and only ever shown masked. **Never send a full card
    number**: a `number` field is refused as `parameter_unknown`, and a card number in `last4` (or a
    name) as `card_number_refused`; neither is stored or logged. An expired card is refused with
    `card_expired`. Accepts `Idempotency-Key`. Needs `sandbox:write`.

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (FundingSourceCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FundingSource | Problem
    """

    return sync_detailed(
        holder_id=holder_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[FundingSource | Problem]:
    """Add a funding source

     Add a bank account (an IBAN, or a UK sort code and 8-digit account number) or a card (brand, last
    four digits, expiry) at the end of the holder's fallback order. Account details are validated (IBAN
    length and check digits), stored encrypted and only ever shown masked. **Never send a full card
    number**: a `number` field is refused as `parameter_unknown`, and a card number in `last4` (or a
    name) as `card_number_refused`; neither is stored or logged. An expired card is refused with
    `card_expired`. Accepts `Idempotency-Key`. Needs `sandbox:write`.

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (FundingSourceCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FundingSource | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> FundingSource | Problem | None:
    """Add a funding source

     Add a bank account (an IBAN, or a UK sort code and 8-digit account number) or a card (brand, last
    four digits, expiry) at the end of the holder's fallback order. Account details are validated (IBAN
    length and check digits), stored encrypted and only ever shown masked. **Never send a full card
    number**: a `number` field is refused as `parameter_unknown`, and a card number in `last4` (or a
    name) as `card_number_refused`; neither is stored or logged. An expired card is refused with
    `card_expired`. Accepts `Idempotency-Key`. Needs `sandbox:write`.

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (FundingSourceCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FundingSource | Problem
    """

    return (
        await asyncio_detailed(
            holder_id=holder_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
