from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.offer_create_input_request import OfferCreateInputRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: OfferCreateInputRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/offers",
    }

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
    *,
    client: AuthenticatedClient,
    body: OfferCreateInputRequest,
) -> Response[Problem]:
    """Create an offer

     A reward for card payments at a merchant (name, and optionally category), within a budget set aside
    from the environment's offers funding (422 `offer_funding_insufficient` when it does not cover it;
    sandbox: `POST /v1/sandbox/offer_funding`). Cashback is paid in the purchase currency and points in
    `XPT`: the budget must be in that currency (422 `offer_invalid`, `budget_currency_mismatch`). Fixed
    cashback may not exceed `min_spend` (`reward_exceeds_purchase`). Targeting counts only holders who
    opted in. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        body (OfferCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
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
    body: OfferCreateInputRequest,
) -> Problem | None:
    """Create an offer

     A reward for card payments at a merchant (name, and optionally category), within a budget set aside
    from the environment's offers funding (422 `offer_funding_insufficient` when it does not cover it;
    sandbox: `POST /v1/sandbox/offer_funding`). Cashback is paid in the purchase currency and points in
    `XPT`: the budget must be in that currency (422 `offer_invalid`, `budget_currency_mismatch`). Fixed
    cashback may not exceed `min_spend` (`reward_exceeds_purchase`). Targeting counts only holders who
    opted in. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        body (OfferCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OfferCreateInputRequest,
) -> Response[Problem]:
    """Create an offer

     A reward for card payments at a merchant (name, and optionally category), within a budget set aside
    from the environment's offers funding (422 `offer_funding_insufficient` when it does not cover it;
    sandbox: `POST /v1/sandbox/offer_funding`). Cashback is paid in the purchase currency and points in
    `XPT`: the budget must be in that currency (422 `offer_invalid`, `budget_currency_mismatch`). Fixed
    cashback may not exceed `min_spend` (`reward_exceeds_purchase`). Targeting counts only holders who
    opted in. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        body (OfferCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OfferCreateInputRequest,
) -> Problem | None:
    """Create an offer

     A reward for card payments at a merchant (name, and optionally category), within a budget set aside
    from the environment's offers funding (422 `offer_funding_insufficient` when it does not cover it;
    sandbox: `POST /v1/sandbox/offer_funding`). Cashback is paid in the purchase currency and points in
    `XPT`: the budget must be in that currency (422 `offer_invalid`, `budget_currency_mismatch`). Fixed
    cashback may not exceed `min_spend` (`reward_exceeds_purchase`). Targeting counts only holders who
    opted in. Accepts `Idempotency-Key`. Scope `offers:write`.

    Args:
        body (OfferCreateInputRequest): A request body: refuses fields it does not declare
            (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
