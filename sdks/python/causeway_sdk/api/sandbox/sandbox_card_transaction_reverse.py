from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.card_transaction import CardTransaction
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    card_transaction_id: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sandbox/card_transactions/{card_transaction_id}/reverse".format(
            card_transaction_id=quote(str(card_transaction_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CardTransaction | Problem | None:
    if response.status_code == 200:
        response_200 = CardTransaction.from_dict(response.json())

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
) -> Response[CardTransaction | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    card_transaction_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[CardTransaction | Problem]:
    """Reverse a simulated card payment

     A `pending` payment: the merchant lets the authorisation go (the hold is released and the pending
    transaction becomes `reversed`). A `posted` one: the purchase is undone, as a refund or chargeback
    would (a reversal journal gives the money back, the payment becomes `reversed`, and an offer reward
    it earned is clawed back). Already `reversed`: 409 `invalid_state_transition`.

    Args:
        card_transaction_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardTransaction | Problem]
    """

    kwargs = _get_kwargs(
        card_transaction_id=card_transaction_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    card_transaction_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> CardTransaction | Problem | None:
    """Reverse a simulated card payment

     A `pending` payment: the merchant lets the authorisation go (the hold is released and the pending
    transaction becomes `reversed`). A `posted` one: the purchase is undone, as a refund or chargeback
    would (a reversal journal gives the money back, the payment becomes `reversed`, and an offer reward
    it earned is clawed back). Already `reversed`: 409 `invalid_state_transition`.

    Args:
        card_transaction_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardTransaction | Problem
    """

    return sync_detailed(
        card_transaction_id=card_transaction_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    card_transaction_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[CardTransaction | Problem]:
    """Reverse a simulated card payment

     A `pending` payment: the merchant lets the authorisation go (the hold is released and the pending
    transaction becomes `reversed`). A `posted` one: the purchase is undone, as a refund or chargeback
    would (a reversal journal gives the money back, the payment becomes `reversed`, and an offer reward
    it earned is clawed back). Already `reversed`: 409 `invalid_state_transition`.

    Args:
        card_transaction_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CardTransaction | Problem]
    """

    kwargs = _get_kwargs(
        card_transaction_id=card_transaction_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    card_transaction_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> CardTransaction | Problem | None:
    """Reverse a simulated card payment

     A `pending` payment: the merchant lets the authorisation go (the hold is released and the pending
    transaction becomes `reversed`). A `posted` one: the purchase is undone, as a refund or chargeback
    would (a reversal journal gives the money back, the payment becomes `reversed`, and an offer reward
    it earned is clawed back). Already `reversed`: 409 `invalid_state_transition`.

    Args:
        card_transaction_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CardTransaction | Problem
    """

    return (
        await asyncio_detailed(
            card_transaction_id=card_transaction_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
