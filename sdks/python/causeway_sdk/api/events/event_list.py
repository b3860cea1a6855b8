from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_list import EventList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    createdgt: Any | Unset = UNSET,
    createdgte: Any | Unset = UNSET,
    createdlt: Any | Unset = UNSET,
    createdlte: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_createdgt: Any | Unset
    if isinstance(createdgt, Unset):
        json_createdgt = UNSET
    else:
        json_createdgt = createdgt
    params["created[gt]"] = json_createdgt

    json_createdgte: Any | Unset
    if isinstance(createdgte, Unset):
        json_createdgte = UNSET
    else:
        json_createdgte = createdgte
    params["created[gte]"] = json_createdgte

    json_createdlt: Any | Unset
    if isinstance(createdlt, Unset):
        json_createdlt = UNSET
    else:
        json_createdlt = createdlt
    params["created[lt]"] = json_createdlt

    json_createdlte: Any | Unset
    if isinstance(createdlte, Unset):
        json_createdlte = UNSET
    else:
        json_createdlte = createdlte
    params["created[lte]"] = json_createdlte

    params["limit"] = limit

    params["starting_after"] = starting_after

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_

    params["type"] = json_type_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventList | Problem | None:
    if response.status_code == 200:
        response_200 = EventList.from_dict(response.json())

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
) -> Response[EventList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    createdgt: Any | Unset = UNSET,
    createdgte: Any | Unset = UNSET,
    createdlt: Any | Unset = UNSET,
    createdlte: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
) -> Response[EventList | Problem]:
    """List events

     Events of this credential's partner and environment from the last 30 days, newest first, with cursor
    pagination. Filter by type and by creation time (`created[gte]`, `created[gt]`, `created[lte]`,
    `created[lt]`: RFC 3339 or Unix seconds). Each payload is a snapshot of the object when the event
    happened; `sequence` orders the events of one object.

    Args:
        createdgt (Any | Unset):
        createdgte (Any | Unset):
        createdlt (Any | Unset):
        createdlte (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        type_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventList | Problem]
    """

    kwargs = _get_kwargs(
        createdgt=createdgt,
        createdgte=createdgte,
        createdlt=createdlt,
        createdlte=createdlte,
        limit=limit,
        starting_after=starting_after,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    createdgt: Any | Unset = UNSET,
    createdgte: Any | Unset = UNSET,
    createdlt: Any | Unset = UNSET,
    createdlte: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
) -> EventList | Problem | None:
    """List events

     Events of this credential's partner and environment from the last 30 days, newest first, with cursor
    pagination. Filter by type and by creation time (`created[gte]`, `created[gt]`, `created[lte]`,
    `created[lt]`: RFC 3339 or Unix seconds). Each payload is a snapshot of the object when the event
    happened; `sequence` orders the events of one object.

    Args:
        createdgt (Any | Unset):
        createdgte (Any | Unset):
        createdlt (Any | Unset):
        createdlte (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        type_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventList | Problem
    """

    return sync_detailed(
        client=client,
        createdgt=createdgt,
        createdgte=createdgte,
        createdlt=createdlt,
        createdlte=createdlte,
        limit=limit,
        starting_after=starting_after,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    createdgt: Any | Unset = UNSET,
    createdgte: Any | Unset = UNSET,
    createdlt: Any | Unset = UNSET,
    createdlte: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
) -> Response[EventList | Problem]:
    """List events

     Events of this credential's partner and environment from the last 30 days, newest first, with cursor
    pagination. Filter by type and by creation time (`created[gte]`, `created[gt]`, `created[lte]`,
    `created[lt]`: RFC 3339 or Unix seconds). Each payload is a snapshot of the object when the event
    happened; `sequence` orders the events of one object.

    Args:
        createdgt (Any | Unset):
        createdgte (Any | Unset):
        createdlt (Any | Unset):
        createdlte (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        type_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventList | Problem]
    """

    kwargs = _get_kwargs(
        createdgt=createdgt,
        createdgte=createdgte,
        createdlt=createdlt,
        createdlte=createdlte,
        limit=limit,
        starting_after=starting_after,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    createdgt: Any | Unset = UNSET,
    createdgte: Any | Unset = UNSET,
    createdlt: Any | Unset = UNSET,
    createdlte: Any | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: str | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
) -> EventList | Problem | None:
    """List events

     Events of this credential's partner and environment from the last 30 days, newest first, with cursor
    pagination. Filter by type and by creation time (`created[gte]`, `created[gt]`, `created[lte]`,
    `created[lt]`: RFC 3339 or Unix seconds). Each payload is a snapshot of the object when the event
    happened; `sequence` orders the events of one object.

    Args:
        createdgt (Any | Unset):
        createdgte (Any | Unset):
        createdlt (Any | Unset):
        createdlte (Any | Unset):
        limit (int | Unset):  Default: 20.
        starting_after (str | Unset):
        type_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            createdgt=createdgt,
            createdgte=createdgte,
            createdlt=createdlt,
            createdlte=createdlte,
            limit=limit,
            starting_after=starting_after,
            type_=type_,
        )
    ).parsed
