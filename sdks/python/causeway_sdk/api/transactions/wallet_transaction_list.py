from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.transaction_list import TransactionList
from ...models.wallet_transaction_list_category_item import (
    WalletTransactionListCategoryItem,
)
from ...models.wallet_transaction_list_status_item import (
    WalletTransactionListStatusItem,
)
from ...models.wallet_transaction_list_type_item import (
    WalletTransactionListTypeItem,
)
from ...types import UNSET, Response, Unset


def _get_kwargs(
    wallet_id: str,
    *,
    category: list[WalletTransactionListCategoryItem] | Unset = UNSET,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: int | Unset = UNSET,
    min_amount: int | Unset = UNSET,
    q: str | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    status: list[WalletTransactionListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[WalletTransactionListTypeItem] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_category: list[str] | Unset = UNSET
    if not isinstance(category, Unset):
        json_category = []
        for category_item_data in category:
            category_item: str = category_item_data
            json_category.append(category_item)

    params["category"] = json_category

    json_from_: Any | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    else:
        json_from_ = from_
    params["from"] = json_from_

    params["limit"] = limit

    params["max_amount"] = max_amount

    params["min_amount"] = min_amount

    params["q"] = q

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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/wallets/{wallet_id}/transactions".format(
            wallet_id=quote(str(wallet_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransactionList | None:
    if response.status_code == 200:
        response_200 = TransactionList.from_dict(response.json())

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
) -> Response[Problem | TransactionList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
    category: list[WalletTransactionListCategoryItem] | Unset = UNSET,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: int | Unset = UNSET,
    min_amount: int | Unset = UNSET,
    q: str | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    status: list[WalletTransactionListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[WalletTransactionListTypeItem] | Unset = UNSET,
) -> Response[Problem | TransactionList]:
    """List a wallet's transactions

     Newest first, in posting order: a pending transaction keeps its place when it posts, and new
    transactions arrive at the front, so paging with `starting_after` never skips or repeats one.
    Filters combine with AND; a malformed filter, `from` after `to` or `min_amount` above `max_amount`
    is a 400 `parameter_invalid` naming the field, an unknown parameter a 400 `parameter_unknown`.
    `balance_after` is `null` without `balances:read`. Scope `transactions:read`. A sandbox secret key
    (with `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders
    need an OAuth token the holder consented to.

    Args:
        wallet_id (str):
        category (list[WalletTransactionListCategoryItem] | Unset):
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (int | Unset):
        min_amount (int | Unset):
        q (str | Unset):
        starting_after (str | Unset):
        status (list[WalletTransactionListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[WalletTransactionListTypeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransactionList]
    """

    kwargs = _get_kwargs(
        wallet_id=wallet_id,
        category=category,
        from_=from_,
        limit=limit,
        max_amount=max_amount,
        min_amount=min_amount,
        q=q,
        starting_after=starting_after,
        status=status,
        to=to,
        type_=type_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
    category: list[WalletTransactionListCategoryItem] | Unset = UNSET,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: int | Unset = UNSET,
    min_amount: int | Unset = UNSET,
    q: str | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    status: list[WalletTransactionListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[WalletTransactionListTypeItem] | Unset = UNSET,
) -> Problem | TransactionList | None:
    """List a wallet's transactions

     Newest first, in posting order: a pending transaction keeps its place when it posts, and new
    transactions arrive at the front, so paging with `starting_after` never skips or repeats one.
    Filters combine with AND; a malformed filter, `from` after `to` or `min_amount` above `max_amount`
    is a 400 `parameter_invalid` naming the field, an unknown parameter a 400 `parameter_unknown`.
    `balance_after` is `null` without `balances:read`. Scope `transactions:read`. A sandbox secret key
    (with `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders
    need an OAuth token the holder consented to.

    Args:
        wallet_id (str):
        category (list[WalletTransactionListCategoryItem] | Unset):
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (int | Unset):
        min_amount (int | Unset):
        q (str | Unset):
        starting_after (str | Unset):
        status (list[WalletTransactionListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[WalletTransactionListTypeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransactionList
    """

    return sync_detailed(
        wallet_id=wallet_id,
        client=client,
        category=category,
        from_=from_,
        limit=limit,
        max_amount=max_amount,
        min_amount=min_amount,
        q=q,
        starting_after=starting_after,
        status=status,
        to=to,
        type_=type_,
    ).parsed


async def asyncio_detailed(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
    category: list[WalletTransactionListCategoryItem] | Unset = UNSET,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: int | Unset = UNSET,
    min_amount: int | Unset = UNSET,
    q: str | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    status: list[WalletTransactionListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[WalletTransactionListTypeItem] | Unset = UNSET,
) -> Response[Problem | TransactionList]:
    """List a wallet's transactions

     Newest first, in posting order: a pending transaction keeps its place when it posts, and new
    transactions arrive at the front, so paging with `starting_after` never skips or repeats one.
    Filters combine with AND; a malformed filter, `from` after `to` or `min_amount` above `max_amount`
    is a 400 `parameter_invalid` naming the field, an unknown parameter a 400 `parameter_unknown`.
    `balance_after` is `null` without `balances:read`. Scope `transactions:read`. A sandbox secret key
    (with `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders
    need an OAuth token the holder consented to.

    Args:
        wallet_id (str):
        category (list[WalletTransactionListCategoryItem] | Unset):
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (int | Unset):
        min_amount (int | Unset):
        q (str | Unset):
        starting_after (str | Unset):
        status (list[WalletTransactionListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[WalletTransactionListTypeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransactionList]
    """

    kwargs = _get_kwargs(
        wallet_id=wallet_id,
        category=category,
        from_=from_,
        limit=limit,
        max_amount=max_amount,
        min_amount=min_amount,
        q=q,
        starting_after=starting_after,
        status=status,
        to=to,
        type_=type_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    wallet_id: str,
    *,
    client: AuthenticatedClient,
    category: list[WalletTransactionListCategoryItem] | Unset = UNSET,
    from_: Any | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: int | Unset = UNSET,
    min_amount: int | Unset = UNSET,
    q: str | Unset = UNSET,
    starting_after: str | Unset = UNSET,
    status: list[WalletTransactionListStatusItem] | Unset = UNSET,
    to: Any | Unset = UNSET,
    type_: list[WalletTransactionListTypeItem] | Unset = UNSET,
) -> Problem | TransactionList | None:
    """List a wallet's transactions

     Newest first, in posting order: a pending transaction keeps its place when it posts, and new
    transactions arrive at the front, so paging with `starting_after` never skips or repeats one.
    Filters combine with AND; a malformed filter, `from` after `to` or `min_amount` above `max_amount`
    is a 400 `parameter_invalid` naming the field, an unknown parameter a 400 `parameter_unknown`.
    `balance_after` is `null` without `balances:read`. Scope `transactions:read`. A sandbox secret key
    (with `sandbox:write`, as every unrestricted key has) reads its own sandbox holders; live holders
    need an OAuth token the holder consented to.

    Args:
        wallet_id (str):
        category (list[WalletTransactionListCategoryItem] | Unset):
        from_ (Any | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (int | Unset):
        min_amount (int | Unset):
        q (str | Unset):
        starting_after (str | Unset):
        status (list[WalletTransactionListStatusItem] | Unset):
        to (Any | Unset):
        type_ (list[WalletTransactionListTypeItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransactionList
    """

    return (
        await asyncio_detailed(
            wallet_id=wallet_id,
            client=client,
            category=category,
            from_=from_,
            limit=limit,
            max_amount=max_amount,
            min_amount=min_amount,
            q=q,
            starting_after=starting_after,
            status=status,
            to=to,
            type_=type_,
        )
    ).parsed
