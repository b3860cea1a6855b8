from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transfer_list import TransferList
from ...models.transfer_list_status_item import (
    TransferListStatusItem,
)
from ...models.transfer_list_type_item import (
    TransferListTypeItem,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: list[TransferListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[TransferListTypeItem] | Unset = UNSET,
    wallet: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_from_: Any | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    params["limit"] = limit

    params["starting_after"] = starting_after

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item: str = status_item_data
            json_status.append(status_item)

    params["status"] = json_status

    json_to: Any | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    else:
        json_to = to
    params["to"] = json_to

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = []
        for type_item_data in type_:
            type_item: str = type_item_data
            json_type_.append(type_item)

    params["type"] = json_type_

    params["wallet"] = wallet

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/transfers",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransferList | None:
    if response.status_code == 200:
        response_200 = TransferList.from_dict(response.json())

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
) -> Response[Problem | TransferList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: list[TransferListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[TransferListTypeItem] | Unset = UNSET,
    wallet: str | Unset = UNSET,
) -> Response[Problem | TransferList]:
    """List transfers

     Newest first, paged with `starting_after`. Filters combine with AND: `status` and `type`
    (repeatable), `wallet` (from or to that wallet), `from`/`to` (created at or after/before; an RFC
    3339 date-time or a date). A malformed filter is a 400 `parameter_invalid`, an unknown one
    `parameter_unknown`. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (list[TransferListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[TransferListTypeItem] | Unset):
        wallet (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferList]
    """

    kwargs = _get_kwargs(
        from_=from_,
        limit=limit,
        starting_after=starting_after,
        status=status,
        to=to,
        type_=type_,
        wallet=wallet,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: list[TransferListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[TransferListTypeItem] | Unset = UNSET,
    wallet: str | Unset = UNSET,
) -> Problem | TransferList | None:
    """List transfers

     Newest first, paged with `starting_after`. Filters combine with AND: `status` and `type`
    (repeatable), `wallet` (from or to that wallet), `from`/`to` (created at or after/before; an RFC
    3339 date-time or a date). A malformed filter is a 400 `parameter_invalid`, an unknown one
    `parameter_unknown`. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (list[TransferListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[TransferListTypeItem] | Unset):
        wallet (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferList
    """

    return sync_detailed(
        client=client,
        from_=from_,
        limit=limit,
        starting_after=starting_after,
        status=status,
        to=to,
        type_=type_,
        wallet=wallet,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: list[TransferListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[TransferListTypeItem] | Unset = UNSET,
    wallet: str | Unset = UNSET,
) -> Response[Problem | TransferList]:
    """List transfers

     Newest first, paged with `starting_after`. Filters combine with AND: `status` and `type`
    (repeatable), `wallet` (from or to that wallet), `from`/`to` (created at or after/before; an RFC
    3339 date-time or a date). A malformed filter is a 400 `parameter_invalid`, an unknown one
    `parameter_unknown`. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (list[TransferListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[TransferListTypeItem] | Unset):
        wallet (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransferList]
    """

    kwargs = _get_kwargs(
        from_=from_,
        limit=limit,
        starting_after=starting_after,
        status=status,
        to=to,
        type_=type_,
        wallet=wallet,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    status: list[TransferListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[TransferListTypeItem] | Unset = UNSET,
    wallet: str | Unset = UNSET,
) -> Problem | TransferList | None:
    """List transfers

     Newest first, paged with `starting_after`. Filters combine with AND: `status` and `type`
    (repeatable), `wallet` (from or to that wallet), `from`/`to` (created at or after/before; an RFC
    3339 date-time or a date). A malformed filter is a 400 `parameter_invalid`, an unknown one
    `parameter_unknown`. Scope `transfers:read`: an OAuth token the holder consented to, or in sandbox a
    secret key with `sandbox:write` (as every unrestricted key has) acting on its own sandbox holders.

    Args:
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        status (list[TransferListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[TransferListTypeItem] | Unset):
        wallet (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransferList
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            limit=limit,
            starting_after=starting_after,
            status=status,
            to=to,
            type_=type_,
            wallet=wallet,
        )
    ).parsed
