from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.funding_source_list import FundingSourceList
from ...models.funding_source_reorder_input_request import (
    FundingSourceReorderInputRequest,
)
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    holder_id: str,
    *,
    body: FundingSourceReorderInputRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/wallet_holders/{holder_id}/funding_sources/reorder".format(
            holder_id=quote(str(holder_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FundingSourceList | Problem | None:
    if response.status_code == 200:
        response_200 = FundingSourceList.from_dict(response.json())

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
) -> Response[FundingSourceList | Problem]:
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
    body: FundingSourceReorderInputRequest,
) -> Response[FundingSourceList | Problem]:
    """Reorder a holder's funding sources

     Set the fallback order: `order` lists every active funding source of the holder exactly once, the
    first tried first. A repeated id is a 400, an id that is not one of them a 404, leaving one out a
    409 `order_incomplete`; none changes anything. Returns the list in its new order. Needs
    `sandbox:write`.

    Args:
        holder_id (str):
        body (FundingSourceReorderInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FundingSourceList | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceReorderInputRequest,
) -> FundingSourceList | Problem | None:
    """Reorder a holder's funding sources

     Set the fallback order: `order` lists every active funding source of the holder exactly once, the
    first tried first. A repeated id is a 400, an id that is not one of them a 404, leaving one out a
    409 `order_incomplete`; none changes anything. Returns the list in its new order. Needs
    `sandbox:write`.

    Args:
        holder_id (str):
        body (FundingSourceReorderInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FundingSourceList | Problem
    """

    return sync_detailed(
        holder_id=holder_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceReorderInputRequest,
) -> Response[FundingSourceList | Problem]:
    """Reorder a holder's funding sources

     Set the fallback order: `order` lists every active funding source of the holder exactly once, the
    first tried first. A repeated id is a 400, an id that is not one of them a 404, leaving one out a
    409 `order_incomplete`; none changes anything. Returns the list in its new order. Needs
    `sandbox:write`.

    Args:
        holder_id (str):
        body (FundingSourceReorderInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FundingSourceList | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: FundingSourceReorderInputRequest,
) -> FundingSourceList | Problem | None:
    """Reorder a holder's funding sources

     Set the fallback order: `order` lists every active funding source of the holder exactly once, the
    first tried first. A repeated id is a 400, an id that is not one of them a 404, leaving one out a
    409 `order_incomplete`; none changes anything. Returns the list in its new order. Needs
    `sandbox:write`.

    Args:
        holder_id (str):
        body (FundingSourceReorderInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FundingSourceList | Problem
    """

    return (
        await asyncio_detailed(
            holder_id=holder_id,
            client=client,
            body=body,
        )
    ).parsed
