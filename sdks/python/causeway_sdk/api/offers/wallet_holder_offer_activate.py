from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.wallet_offer import WalletOffer
from ...types import Response


def _get_kwargs(
    holder_id: str,
    offer_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/wallet_holders/{holder_id}/offers/{offer_id}/activate".format(
            holder_id=quote(str(holder_id), safe=""),
            offer_id=quote(str(offer_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WalletOffer | None:
    if response.status_code == 200:
        response_200 = WalletOffer.from_dict(response.json())

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
) -> Response[Problem | WalletOffer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    holder_id: str,
    offer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | WalletOffer]:
    """Activate an offer for a holder

     Save the offer to the holder's wallet: their next card payment at the merchant that meets the offer
    earns the reward. Activating again returns the same activation. A paused, exhausted, ended or not-
    yet-started offer, or one not targeted at this holder, is 422 `offer_not_available`; a holder who
    has not opted in is 403 `personalisation_off`. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        holder_id (str):
        offer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WalletOffer]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        offer_id=offer_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    holder_id: str,
    offer_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | WalletOffer | None:
    """Activate an offer for a holder

     Save the offer to the holder's wallet: their next card payment at the merchant that meets the offer
    earns the reward. Activating again returns the same activation. A paused, exhausted, ended or not-
    yet-started offer, or one not targeted at this holder, is 422 `offer_not_available`; a holder who
    has not opted in is 403 `personalisation_off`. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        holder_id (str):
        offer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WalletOffer
    """

    return sync_detailed(
        holder_id=holder_id,
        offer_id=offer_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    holder_id: str,
    offer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | WalletOffer]:
    """Activate an offer for a holder

     Save the offer to the holder's wallet: their next card payment at the merchant that meets the offer
    earns the reward. Activating again returns the same activation. A paused, exhausted, ended or not-
    yet-started offer, or one not targeted at this holder, is 422 `offer_not_available`; a holder who
    has not opted in is 403 `personalisation_off`. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        holder_id (str):
        offer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WalletOffer]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        offer_id=offer_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    holder_id: str,
    offer_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | WalletOffer | None:
    """Activate an offer for a holder

     Save the offer to the holder's wallet: their next card payment at the merchant that meets the offer
    earns the reward. Activating again returns the same activation. A paused, exhausted, ended or not-
    yet-started offer, or one not targeted at this holder, is 422 `offer_not_available`; a holder who
    has not opted in is 403 `personalisation_off`. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        holder_id (str):
        offer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WalletOffer
    """

    return (
        await asyncio_detailed(
            holder_id=holder_id,
            offer_id=offer_id,
            client=client,
        )
    ).parsed
