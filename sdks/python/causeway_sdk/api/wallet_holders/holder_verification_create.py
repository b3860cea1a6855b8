from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.holder_verification import HolderVerification
from ...models.holder_verification_create_input_request import (
    HolderVerificationCreateInputRequest,
)
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    holder_id: str,
    *,
    body: HolderVerificationCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/wallet_holders/{holder_id}/verifications".format(
            holder_id=quote(str(holder_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HolderVerification | Problem | None:
    if response.status_code == 201:
        response_201 = HolderVerification.from_dict(response.json())

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
) -> Response[HolderVerification | Problem]:
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
    body: HolderVerificationCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[HolderVerification | Problem]:
    """Verify a holder's identity

     Submit an identity document (type, issuing country, number) for the holder. Only the number's last
    four characters are kept. In the sandbox the outcome is immediate and follows the number's last four
    characters: `0001` is `rejected` (`document_rejected`), `0002` is `needs_review`, anything else
    `approved`. An approval raises the holder's `kyc_tier` to `tier` at once, so the next transfer is
    checked against that tier's limits; a verification never lowers a tier. Each verification sends
    `holder.verification.updated`. Accepts `Idempotency-Key`. Needs `sandbox:write`: a live secret key
    is refused (a live holder verifies with the bank, and a live verification stays `pending` for the
    bank's review).

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (HolderVerificationCreateInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HolderVerification | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: HolderVerificationCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> HolderVerification | Problem | None:
    """Verify a holder's identity

     Submit an identity document (type, issuing country, number) for the holder. Only the number's last
    four characters are kept. In the sandbox the outcome is immediate and follows the number's last four
    characters: `0001` is `rejected` (`document_rejected`), `0002` is `needs_review`, anything else
    `approved`. An approval raises the holder's `kyc_tier` to `tier` at once, so the next transfer is
    checked against that tier's limits; a verification never lowers a tier. Each verification sends
    `holder.verification.updated`. Accepts `Idempotency-Key`. Needs `sandbox:write`: a live secret key
    is refused (a live holder verifies with the bank, and a live verification stays `pending` for the
    bank's review).

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (HolderVerificationCreateInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HolderVerification | Problem
    """

    return sync_detailed(
        holder_id=holder_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: HolderVerificationCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[HolderVerification | Problem]:
    """Verify a holder's identity

     Submit an identity document (type, issuing country, number) for the holder. Only the number's last
    four characters are kept. In the sandbox the outcome is immediate and follows the number's last four
    characters: `0001` is `rejected` (`document_rejected`), `0002` is `needs_review`, anything else
    `approved`. An approval raises the holder's `kyc_tier` to `tier` at once, so the next transfer is
    checked against that tier's limits; a verification never lowers a tier. Each verification sends
    `holder.verification.updated`. Accepts `Idempotency-Key`. Needs `sandbox:write`: a live secret key
    is refused (a live holder verifies with the bank, and a live verification stays `pending` for the
    bank's review).

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (HolderVerificationCreateInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HolderVerification | Problem]
    """

    kwargs = _get_kwargs(
        holder_id=holder_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    holder_id: str,
    *,
    client: AuthenticatedClient,
    body: HolderVerificationCreateInputRequest,
    idempotency_key: str | Unset = UNSET,
) -> HolderVerification | Problem | None:
    """Verify a holder's identity

     Submit an identity document (type, issuing country, number) for the holder. Only the number's last
    four characters are kept. In the sandbox the outcome is immediate and follows the number's last four
    characters: `0001` is `rejected` (`document_rejected`), `0002` is `needs_review`, anything else
    `approved`. An approval raises the holder's `kyc_tier` to `tier` at once, so the next transfer is
    checked against that tier's limits; a verification never lowers a tier. Each verification sends
    `holder.verification.updated`. Accepts `Idempotency-Key`. Needs `sandbox:write`: a live secret key
    is refused (a live holder verifies with the bank, and a live verification stays `pending` for the
    bank's review).

    Args:
        holder_id (str):
        idempotency_key (str | Unset):
        body (HolderVerificationCreateInputRequest): A request body: refuses fields it does not
            declare (``parameter_unknown``) instead of ignoring them,
            so a typo in a field name is an error rather than a silently dropped parameter.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HolderVerification | Problem
    """

    return (
        await asyncio_detailed(
            holder_id=holder_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
