from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.patched_offer_update_input_request import PatchedOfferUpdateInputRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    offer_id: str,
    *,
    body: PatchedOfferUpdateInputRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/offers/{offer_id}".format(
            offer_id=quote(str(offer_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | None:
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
) -> Response[Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedOfferUpdateInputRequest | Unset = UNSET,
) -> Response[Problem]:
    """Update an offer

     Change `ends_at`, the `budget` amount (never below what is spent: `budget_below_spent`; the
    difference is set aside or given back; raising an exhausted offer's budget makes it active again),
    `per_holder_limit`, `targeting` or `metadata`. An ended offer is 409. Scope `offers:write`.

    Args:
        offer_id (str):
        body (PatchedOfferUpdateInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        offer_id=offer_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedOfferUpdateInputRequest | Unset = UNSET,
) -> Problem | None:
    """Update an offer

     Change `ends_at`, the `budget` amount (never below what is spent: `budget_below_spent`; the
    difference is set aside or given back; raising an exhausted offer's budget makes it active again),
    `per_holder_limit`, `targeting` or `metadata`. An ended offer is 409. Scope `offers:write`.

    Args:
        offer_id (str):
        body (PatchedOfferUpdateInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        offer_id=offer_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedOfferUpdateInputRequest | Unset = UNSET,
) -> Response[Problem]:
    """Update an offer

     Change `ends_at`, the `budget` amount (never below what is spent: `budget_below_spent`; the
    difference is set aside or given back; raising an exhausted offer's budget makes it active again),
    `per_holder_limit`, `targeting` or `metadata`. An ended offer is 409. Scope `offers:write`.

    Args:
        offer_id (str):
        body (PatchedOfferUpdateInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        offer_id=offer_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    offer_id: str,
    *,
    client: AuthenticatedClient,
    body: PatchedOfferUpdateInputRequest | Unset = UNSET,
) -> Problem | None:
    """Update an offer

     Change `ends_at`, the `budget` amount (never below what is spent: `budget_below_spent`; the
    difference is set aside or given back; raising an exhausted offer's budget makes it active again),
    `per_holder_limit`, `targeting` or `metadata`. An ended offer is 409. Scope `offers:write`.

    Args:
        offer_id (str):
        body (PatchedOfferUpdateInputRequest | Unset): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            offer_id=offer_id,
            client=client,
            body=body,
        )
    ).parsed
