from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transfer_detail import TransferDetail
from ...types import Response


def _get_kwargs(
    transfer_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/transfers/{transfer_id}".format(
            transfer_id=quote(str(transfer_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransferDetail | None:
    if response.status_code == 200:
        response_200 = TransferDetail.from_dict(response.json())

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
) -> Response[Problem | TransferDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    transfer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TransferDetail]:
    """Retrieve a transfer

     The transfer with its `journal_lines` (every ledger entry of its journals, reversals included: each
    journal sums to zero per currency) and its `status_history`. Another partner's or environment's
    transfer is a 404. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        transfer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferDetail]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transfer_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | TransferDetail | None:
    """Retrieve a transfer

     The transfer with its `journal_lines` (every ledger entry of its journals, reversals included: each
    journal sums to zero per currency) and its `status_history`. Another partner's or environment's
    transfer is a 404. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        transfer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferDetail
    """

    return sync_detailed(
        transfer_id=transfer_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    transfer_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | TransferDetail]:
    """Retrieve a transfer

     The transfer with its `journal_lines` (every ledger entry of its journals, reversals included: each
    journal sums to zero per currency) and its `status_history`. Another partner's or environment's
    transfer is a 404. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        transfer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferDetail]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transfer_id: str,
    *,
    client: AuthenticatedClient,
) -> Problem | TransferDetail | None:
    """Retrieve a transfer

     The transfer with its `journal_lines` (every ledger entry of its journals, reversals included: each
    journal sums to zero per currency) and its `status_history`. Another partner's or environment's
    transfer is a 404. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        transfer_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferDetail
    """

    return (
        await asyncio_detailed(
            transfer_id=transfer_id,
            client=client,
        )
    ).parsed
