from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.insights import Insights
from ...models.problem import Problem
from ...models.wallet_holder_insights_currency import (
    WalletHolderInsightsCurrency,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    holder_id: str,
    *,
    currency: WalletHolderInsightsCurrency | Unset = UNSET,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_currency: str | Unset = UNSET
    if not isinstance(currency, Unset):
        json_currency = currency

    params["currency"] = json_currency

    json_from_: Any | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: Any | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/wallet_holders/{holder_id}/insights".format(
            holder_id=quote(str(holder_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Insights | Problem | None:
    if response.status_code == 200:
        response_200 = Insights.from_dict(response.json())

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
) -> Response[Insights | Problem]:
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
    currency: WalletHolderInsightsCurrency | Unset = UNSET,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> Response[Insights | Problem]:
    """Spending insights of a holder

     Income and spending totals, spending by category against the previous period of the same length,
    cash flow by month and the recurring payments detected in the holder's history, in one currency
    (amounts in minor units). Only for holders who turned on spending insights and offers (403
    `personalisation_off` otherwise); a holder this credential cannot see is a 404. Scope
    `insights:read`: an OAuth token the holder granted it to, or a sandbox secret key over its own
    sandbox holders.

    Args:
        holder_id (str):
        currency (WalletHolderInsightsCurrency | Unset):
        from_ (Any | Unset):
        to (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Insights | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        currency=currency,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    currency: WalletHolderInsightsCurrency | Unset = UNSET,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> Insights | Problem | None:
    """Spending insights of a holder

     Income and spending totals, spending by category against the previous period of the same length,
    cash flow by month and the recurring payments detected in the holder's history, in one currency
    (amounts in minor units). Only for holders who turned on spending insights and offers (403
    `personalisation_off` otherwise); a holder this credential cannot see is a 404. Scope
    `insights:read`: an OAuth token the holder granted it to, or a sandbox secret key over its own
    sandbox holders.

    Args:
        holder_id (str):
        currency (WalletHolderInsightsCurrency | Unset):
        from_ (Any | Unset):
        to (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Insights | Problem
    """

    return sync_detailed(
        holder_id=holder_id,
        client=client,
        currency=currency,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    currency: WalletHolderInsightsCurrency | Unset = UNSET,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> Response[Insights | Problem]:
    """Spending insights of a holder

     Income and spending totals, spending by category against the previous period of the same length,
    cash flow by month and the recurring payments detected in the holder's history, in one currency
    (amounts in minor units). Only for holders who turned on spending insights and offers (403
    `personalisation_off` otherwise); a holder this credential cannot see is a 404. Scope
    `insights:read`: an OAuth token the holder granted it to, or a sandbox secret key over its own
    sandbox holders.

    Args:
        holder_id (str):
        currency (WalletHolderInsightsCurrency | Unset):
        from_ (Any | Unset):
        to (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Insights | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        currency=currency,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    currency: WalletHolderInsightsCurrency | Unset = UNSET,
    from_: Any | Unset = UNSET,
    to: Any | Unset = UNSET,
) -> Insights | Problem | None:
    """Spending insights of a holder

     Income and spending totals, spending by category against the previous period of the same length,
    cash flow by month and the recurring payments detected in the holder's history, in one currency
    (amounts in minor units). Only for holders who turned on spending insights and offers (403
    `personalisation_off` otherwise); a holder this credential cannot see is a 404. Scope
    `insights:read`: an OAuth token the holder granted it to, or a sandbox secret key over its own
    sandbox holders.

    Args:
        holder_id (str):
        currency (WalletHolderInsightsCurrency | Unset):
        from_ (Any | Unset):
        to (Any | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Insights | Problem
    """

    return (
        await asyncio_detailed(
            holder_id=holder_id,
            client=client,
            currency=currency,
            from_=from_,
            to=to,
        )
    ).parsed
