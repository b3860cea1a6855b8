from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.funding_source import FundingSource
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    holder_id: str,
    funding_source_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/wallet_holders/{holder_id}/funding_sources/{funding_source_id}".format(
            holder_id=quote(str(holder_id), safe=""),
            funding_source_id=quote(str(funding_source_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FundingSource | Problem | None:
    if response.status_code == 200:
        response_200 = FundingSource.from_dict(response.json())

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
) -> Response[FundingSource | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    holder_id: str,
    funding_source_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[FundingSource | Problem]:
    """Remove a funding source

     Take the source out of the fallback order; the sources after it move up. The record is kept for the
    history of transfers that used it and is returned with `status: removed` and `position: 0`. A
    removed source or another holder's is a 404. Needs `sandbox:write`.

    Args:
        holder_id (str):
        funding_source_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FundingSource | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        funding_source_id=funding_source_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    holder_id: str,
    funding_source_id: str,
    *,
    client: AuthenticatedClient,
) -> FundingSource | Problem | None:
    """Remove a funding source

     Take the source out of the fallback order; the sources after it move up. The record is kept for the
    history of transfers that used it and is returned with `status: removed` and `position: 0`. A
    removed source or another holder's is a 404. Needs `sandbox:write`.

    Args:
        holder_id (str):
        funding_source_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FundingSource | Problem
    """

    return sync_detailed(
        holder_id=holder_id,
        funding_source_id=funding_source_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    holder_id: str,
    funding_source_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[FundingSource | Problem]:
    """Remove a funding source

     Take the source out of the fallback order; the sources after it move up. The record is kept for the
    history of transfers that used it and is returned with `status: removed` and `position: 0`. A
    removed source or another holder's is a 404. Needs `sandbox:write`.

    Args:
        holder_id (str):
        funding_source_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FundingSource | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        funding_source_id=funding_source_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    holder_id: str,
    funding_source_id: str,
    *,
    client: AuthenticatedClient,
) -> FundingSource | Problem | None:
    """Remove a funding source

     Take the source out of the fallback order; the sources after it move up. The record is kept for the
    history of transfers that used it and is returned with `status: removed` and `position: 0`. A
    removed source or another holder's is a 404. Needs `sandbox:write`.

    Args:
        holder_id (str):
        funding_source_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FundingSource | Problem
    """

    return (
        await asyncio_detailed(
            holder_id=holder_id,
            funding_source_id=funding_source_id,
            client=client,
        )
    ).parsed
