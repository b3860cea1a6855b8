from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.points_redemption import PointsRedemption
from ...models.points_redemption_input_request import PointsRedemptionInputRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: PointsRedemptionInputRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/points/redemptions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PointsRedemption | Problem | None:
    if response.status_code == 201:
        response_201 = PointsRedemption.from_dict(response.json())

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
) -> Response[PointsRedemption | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PointsRedemptionInputRequest,
) -> Response[PointsRedemption | Problem]:
    """Redeem a holder's points

     Move `points` from the holder's points (`XPT`) wallet into your programme at its published rate
    (`value = points x rate`), through the ledger, with `points.redeemed`. More points than the holder
    has is 422 `insufficient_funds`; without a programme 409 `points_programme_missing`. Idempotent with
    `Idempotency-Key`. Scope `points:write` over the holder: in live, an OAuth token the holder granted
    it to; in sandbox, also a secret key over its own holders.

    Args:
        body (PointsRedemptionInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PointsRedemption | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PointsRedemptionInputRequest,
) -> PointsRedemption | Problem | None:
    """Redeem a holder's points

     Move `points` from the holder's points (`XPT`) wallet into your programme at its published rate
    (`value = points x rate`), through the ledger, with `points.redeemed`. More points than the holder
    has is 422 `insufficient_funds`; without a programme 409 `points_programme_missing`. Idempotent with
    `Idempotency-Key`. Scope `points:write` over the holder: in live, an OAuth token the holder granted
    it to; in sandbox, also a secret key over its own holders.

    Args:
        body (PointsRedemptionInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PointsRedemption | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PointsRedemptionInputRequest,
) -> Response[PointsRedemption | Problem]:
    """Redeem a holder's points

     Move `points` from the holder's points (`XPT`) wallet into your programme at its published rate
    (`value = points x rate`), through the ledger, with `points.redeemed`. More points than the holder
    has is 422 `insufficient_funds`; without a programme 409 `points_programme_missing`. Idempotent with
    `Idempotency-Key`. Scope `points:write` over the holder: in live, an OAuth token the holder granted
    it to; in sandbox, also a secret key over its own holders.

    Args:
        body (PointsRedemptionInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PointsRedemption | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PointsRedemptionInputRequest,
) -> PointsRedemption | Problem | None:
    """Redeem a holder's points

     Move `points` from the holder's points (`XPT`) wallet into your programme at its published rate
    (`value = points x rate`), through the ledger, with `points.redeemed`. More points than the holder
    has is 422 `insufficient_funds`; without a programme 409 `points_programme_missing`. Idempotent with
    `Idempotency-Key`. Scope `points:write` over the holder: in live, an OAuth token the holder granted
    it to; in sandbox, also a secret key over its own holders.

    Args:
        body (PointsRedemptionInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PointsRedemption | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
