from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transfer import Transfer
from ...models.transfer_create_input_request_type_0 import (
    TransferCreateInputRequestType0,
)
from ...models.transfer_create_input_request_type_1 import (
    TransferCreateInputRequestType1,
)
from ...models.transfer_create_input_request_type_2 import (
    TransferCreateInputRequestType2,
)
from ...models.transfer_create_input_request_type_3 import (
    TransferCreateInputRequestType3,
)
from ...types import Response


def _get_kwargs(
    *,
    body: TransferCreateInputRequestType0
    | TransferCreateInputRequestType1
    | TransferCreateInputRequestType2
    | TransferCreateInputRequestType3,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/transfers",
    }

    if (
        isinstance(body, TransferCreateInputRequestType0)
        or isinstance(body, TransferCreateInputRequestType1)
        or isinstance(body, TransferCreateInputRequestType2)
    ):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Transfer | None:
    if response.status_code == 201:
        response_201 = Transfer.from_dict(response.json())

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
) -> Response[Problem | Transfer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TransferCreateInputRequestType0
    | TransferCreateInputRequestType1
    | TransferCreateInputRequestType2
    | TransferCreateInputRequestType3,
    idempotency_key: str,
) -> Response[Problem | Transfer]:
    """Create a transfer

     Move money. `p2p`: wallet to wallet in one currency; settles at once (`succeeded`). `top_up`: from a
    funding source (`source`, or the holder's fallback order without one) into a wallet; `pending` until
    the bank rail settles it a few seconds later in sandbox (`succeeded` or `failed`, with a
    `transfer.*` event). `payout`: from a wallet to the holder's bank account; the money is held at once
    and leaves when the rail settles. `fx`: between two wallets of one holder with an FX quote. A
    transfer a review rule catches is `held` until bank staff release or reject it. Refusals are
    problem+json with a stable code and write nothing: `insufficient_funds`, `limit_exceeded`,
    `currency_mismatch`, `wallet_frozen`, `quote_expired`, `quote_used`, `same_wallet`,
    `holder_mismatch`, ... (see the transfers guide). Requires `Idempotency-Key`. Scope
    `transfers:write`: an OAuth token the holder consented to, or in sandbox a secret key with
    `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        idempotency_key (str):
        body (TransferCreateInputRequestType0 | TransferCreateInputRequestType1 |
            TransferCreateInputRequestType2 | TransferCreateInputRequestType3): `type` decides which
            fields are needed: p2p (`source` and `destination` wallets, `amount`, `currency`),
            top_up (`destination` wallet, optional `source` funding source, `amount`, `currency`),
            payout (`source`
            wallet, `destination` bank account, `amount`, `currency`), fx (`quote`, `source` and
            `destination` wallets).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
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
    body: TransferCreateInputRequestType0
    | TransferCreateInputRequestType1
    | TransferCreateInputRequestType2
    | TransferCreateInputRequestType3,
    idempotency_key: str,
) -> Problem | Transfer | None:
    """Create a transfer

     Move money. `p2p`: wallet to wallet in one currency; settles at once (`succeeded`). `top_up`: from a
    funding source (`source`, or the holder's fallback order without one) into a wallet; `pending` until
    the bank rail settles it a few seconds later in sandbox (`succeeded` or `failed`, with a
    `transfer.*` event). `payout`: from a wallet to the holder's bank account; the money is held at once
    and leaves when the rail settles. `fx`: between two wallets of one holder with an FX quote. A
    transfer a review rule catches is `held` until bank staff release or reject it. Refusals are
    problem+json with a stable code and write nothing: `insufficient_funds`, `limit_exceeded`,
    `currency_mismatch`, `wallet_frozen`, `quote_expired`, `quote_used`, `same_wallet`,
    `holder_mismatch`, ... (see the transfers guide). Requires `Idempotency-Key`. Scope
    `transfers:write`: an OAuth token the holder consented to, or in sandbox a secret key with
    `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        idempotency_key (str):
        body (TransferCreateInputRequestType0 | TransferCreateInputRequestType1 |
            TransferCreateInputRequestType2 | TransferCreateInputRequestType3): `type` decides which
            fields are needed: p2p (`source` and `destination` wallets, `amount`, `currency`),
            top_up (`destination` wallet, optional `source` funding source, `amount`, `currency`),
            payout (`source`
            wallet, `destination` bank account, `amount`, `currency`), fx (`quote`, `source` and
            `destination` wallets).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TransferCreateInputRequestType0
    | TransferCreateInputRequestType1
    | TransferCreateInputRequestType2
    | TransferCreateInputRequestType3,
    idempotency_key: str,
) -> Response[Problem | Transfer]:
    """Create a transfer

     Move money. `p2p`: wallet to wallet in one currency; settles at once (`succeeded`). `top_up`: from a
    funding source (`source`, or the holder's fallback order without one) into a wallet; `pending` until
    the bank rail settles it a few seconds later in sandbox (`succeeded` or `failed`, with a
    `transfer.*` event). `payout`: from a wallet to the holder's bank account; the money is held at once
    and leaves when the rail settles. `fx`: between two wallets of one holder with an FX quote. A
    transfer a review rule catches is `held` until bank staff release or reject it. Refusals are
    problem+json with a stable code and write nothing: `insufficient_funds`, `limit_exceeded`,
    `currency_mismatch`, `wallet_frozen`, `quote_expired`, `quote_used`, `same_wallet`,
    `holder_mismatch`, ... (see the transfers guide). Requires `Idempotency-Key`. Scope
    `transfers:write`: an OAuth token the holder consented to, or in sandbox a secret key with
    `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        idempotency_key (str):
        body (TransferCreateInputRequestType0 | TransferCreateInputRequestType1 |
            TransferCreateInputRequestType2 | TransferCreateInputRequestType3): `type` decides which
            fields are needed: p2p (`source` and `destination` wallets, `amount`, `currency`),
            top_up (`destination` wallet, optional `source` funding source, `amount`, `currency`),
            payout (`source`
            wallet, `destination` bank account, `amount`, `currency`), fx (`quote`, `source` and
            `destination` wallets).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
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
    body: TransferCreateInputRequestType0
    | TransferCreateInputRequestType1
    | TransferCreateInputRequestType2
    | TransferCreateInputRequestType3,
    idempotency_key: str,
) -> Problem | Transfer | None:
    """Create a transfer

     Move money. `p2p`: wallet to wallet in one currency; settles at once (`succeeded`). `top_up`: from a
    funding source (`source`, or the holder's fallback order without one) into a wallet; `pending` until
    the bank rail settles it a few seconds later in sandbox (`succeeded` or `failed`, with a
    `transfer.*` event). `payout`: from a wallet to the holder's bank account; the money is held at once
    and leaves when the rail settles. `fx`: between two wallets of one holder with an FX quote. A
    transfer a review rule catches is `held` until bank staff release or reject it. Refusals are
    problem+json with a stable code and write nothing: `insufficient_funds`, `limit_exceeded`,
    `currency_mismatch`, `wallet_frozen`, `quote_expired`, `quote_used`, `same_wallet`,
    `holder_mismatch`, ... (see the transfers guide). Requires `Idempotency-Key`. Scope
    `transfers:write`: an OAuth token the holder consented to, or in sandbox a secret key with
    `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        idempotency_key (str):
        body (TransferCreateInputRequestType0 | TransferCreateInputRequestType1 |
            TransferCreateInputRequestType2 | TransferCreateInputRequestType3): `type` decides which
            fields are needed: p2p (`source` and `destination` wallets, `amount`, `currency`),
            top_up (`destination` wallet, optional `source` funding source, `amount`, `currency`),
            payout (`source`
            wallet, `destination` bank account, `amount`, `currency`), fx (`quote`, `source` and
            `destination` wallets).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
