"""The read-only wallets API: holders, wallets, balances and transactions.

Scopes: ``accounts:read`` (holders, wallets), ``balances:read`` (balances), ``transactions:read``
(transactions). ``HolderDataApi`` checks them against ``selectors.holder_data_scopes``: what an OAuth token
was consented, or, for a sandbox secret key with ``sandbox:write``, all three over its own sandbox holders. A
live secret key holds none of them (403): live holders are read only with the holder's consent.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.openapi_contract import DATE_TIME_OR_DATE_SCHEMA
from apps.core.pagination import PAGINATION_PARAMETERS, list_serializer, paginate
from apps.core.principal import principal_of
from apps.core.scopes import ACCOUNTS_READ, BALANCES_READ, TRANSACTIONS_READ
from apps.wallets.apis import examples
from apps.wallets.apis.base import HolderDataApi
from apps.wallets.categories import CATEGORIES
from apps.wallets.models import Transaction
from apps.wallets.selectors import (
    holder_data_scopes,
    holder_get,
    holder_list,
    transaction_get,
    transaction_list,
    wallet_balance,
    wallet_get,
    wallet_list,
)
from apps.wallets.serializers import (
    BalanceSerializer,
    HolderListParameters,
    TransactionListParameters,
    TransactionSerializer,
    WalletHolderSerializer,
    WalletListParameters,
    WalletSerializer,
)
from apps.wallets.snapshots import balance_snapshot, holder_snapshot, transaction_snapshot, wallet_snapshot

WalletHolderListSerializer = list_serializer("WalletHolderList", WalletHolderSerializer)
WalletListSerializer = list_serializer("WalletList", WalletSerializer)
TransactionListSerializer = list_serializer("TransactionList", TransactionSerializer)


def _show_balances(request: Request) -> bool:
    return BALANCES_READ in holder_data_scopes(principal_of(request))


def _scopes_note(scope: str) -> str:
    return (
        f"Scope `{scope}`. A sandbox secret key (with `sandbox:write`, as every unrestricted key has) reads its "
        "own sandbox holders; live holders need an OAuth token the holder consented to."
    )


# --- Holders ----------------------------------------------------------------------------------------------------
class WalletHolderListApi(HolderDataApi):
    required_scopes = (ACCOUNTS_READ,)

    @extend_schema(
        operation_id="wallet_holder_list",
        summary="List wallet holders",
        description=(
            "The wallet holders this credential can see, newest first, with cursor pagination. Unknown query "
            f"parameters are refused (400 `parameter_unknown`). {_scopes_note(ACCOUNTS_READ)}"
        ),
        parameters=PAGINATION_PARAMETERS,
        responses={200: WalletHolderListSerializer},
        tags=["Wallet holders"],
        examples=examples.WALLET_HOLDER_LIST,
    )
    def get(self, request: Request) -> Response:
        HolderListParameters(data=request.query_params).is_valid(raise_exception=True)
        page = paginate(holder_list(principal=principal_of(request)), params=request.query_params)
        return Response(page.render(holder_snapshot))


class WalletHolderRetrieveApi(HolderDataApi):
    required_scopes = (ACCOUNTS_READ,)

    @extend_schema(
        operation_id="wallet_holder_retrieve",
        summary="Retrieve a wallet holder",
        description=f"One holder by id; a holder this credential cannot see is a 404. {_scopes_note(ACCOUNTS_READ)}",
        responses={200: WalletHolderSerializer},
        tags=["Wallet holders"],
        examples=examples.WALLET_HOLDER_RETRIEVE,
    )
    def get(self, request: Request, holder_id: str) -> Response:
        return Response(holder_snapshot(holder_get(principal=principal_of(request), holder_id=holder_id)))


# --- Wallets ----------------------------------------------------------------------------------------------------
class WalletListApi(HolderDataApi):
    required_scopes = (ACCOUNTS_READ,)

    @extend_schema(
        operation_id="wallet_list",
        summary="List wallets",
        description=(
            "Wallets this credential can see, newest first, optionally of one holder. A `holder` this credential "
            "cannot see is a 404 (`resource_missing` on `holder`), not an empty list. The balance fields are "
            f"`null` without `balances:read`. {_scopes_note(ACCOUNTS_READ)}"
        ),
        parameters=[
            *PAGINATION_PARAMETERS,
            OpenApiParameter("holder", str, description="Only this holder's wallets (`ph_...`)."),
        ],
        responses={200: WalletListSerializer},
        tags=["Wallets"],
        examples=examples.WALLET_LIST,
    )
    def get(self, request: Request) -> Response:
        params = WalletListParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        wallets = wallet_list(principal=principal_of(request), holder_id=params.validated_data.get("holder"))
        page = paginate(wallets, params=request.query_params)
        show_balances = _show_balances(request)
        return Response(page.render(lambda wallet: wallet_snapshot(wallet, show_balances=show_balances)))


class WalletRetrieveApi(HolderDataApi):
    required_scopes = (ACCOUNTS_READ,)

    @extend_schema(
        operation_id="wallet_retrieve",
        summary="Retrieve a wallet",
        description=(
            "One wallet by id; a wallet this credential cannot see is a 404. The balance fields are `null` "
            f"without `balances:read`. {_scopes_note(ACCOUNTS_READ)}"
        ),
        responses={200: WalletSerializer},
        tags=["Wallets"],
        examples=examples.WALLET_RETRIEVE,
    )
    def get(self, request: Request, wallet_id: str) -> Response:
        wallet = wallet_get(principal=principal_of(request), wallet_id=wallet_id)
        return Response(wallet_snapshot(wallet, show_balances=_show_balances(request)))


class WalletBalanceApi(HolderDataApi):
    required_scopes = (BALANCES_READ,)

    @extend_schema(
        operation_id="wallet_balance_retrieve",
        summary="Retrieve a wallet's balances",
        description=(
            "`ledger` is posted money; `pending` is what holds set aside (card payments not yet posted, payouts "
            "in flight); `available` = `ledger` - `pending` is what can be spent now. `last_transaction` is "
            "the transaction that last changed these figures, so they line up with the transaction list. "
            f"{_scopes_note(BALANCES_READ)}"
        ),
        responses={200: BalanceSerializer},
        tags=["Wallets"],
        examples=examples.WALLET_BALANCE_RETRIEVE,
    )
    def get(self, request: Request, wallet_id: str) -> Response:
        return Response(balance_snapshot(wallet_balance(principal=principal_of(request), wallet_id=wallet_id)))


# --- Transactions -----------------------------------------------------------------------------------------------
_TRANSACTION_FILTERS = [
    OpenApiParameter(
        "from",
        DATE_TIME_OR_DATE_SCHEMA,
        description=(
            "Booked at or after this moment: an RFC 3339 date-time with an offset (`2026-03-01T09:30:00Z`; send "
            "`+` as `%2B`) or a date (`2026-03-01`, from the start of that UTC day)."
        ),
    ),
    OpenApiParameter(
        "to",
        DATE_TIME_OR_DATE_SCHEMA,
        description="Booked at or before this moment: a date-time, or a date (up to the end of that UTC day).",
    ),
    OpenApiParameter(
        "type", str, many=True, enum=Transaction.Type.values, description="Only these types (repeatable)."
    ),
    OpenApiParameter(
        "status", str, many=True, enum=Transaction.Status.values, description="Only these statuses (repeatable)."
    ),
    OpenApiParameter(
        "category", str, many=True, enum=list(CATEGORIES), description="Only these categories (repeatable)."
    ),
    OpenApiParameter(
        "min_amount",
        {"type": "integer", "minimum": 0},
        description="Absolute amount at least this (minor units; matches money in and out).",
    ),
    OpenApiParameter(
        "max_amount", {"type": "integer", "minimum": 0}, description="Absolute amount at most this (minor units)."
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 100},
        description="Case-insensitive text in the description or merchant name (up to 100 characters).",
    ),
]


class WalletTransactionListApi(HolderDataApi):
    required_scopes = (TRANSACTIONS_READ,)

    @extend_schema(
        operation_id="wallet_transaction_list",
        summary="List a wallet's transactions",
        description=(
            "Newest first, in posting order: a pending transaction keeps its place when it posts, and new "
            "transactions arrive at the front, so paging with `starting_after` never skips or repeats one. "
            "Filters combine with AND; a malformed filter, `from` after `to` or `min_amount` above `max_amount` "
            "is a 400 `parameter_invalid` naming the field, an unknown parameter a 400 `parameter_unknown`. "
            f"`balance_after` is `null` without `balances:read`. {_scopes_note(TRANSACTIONS_READ)}"
        ),
        parameters=[*PAGINATION_PARAMETERS, *_TRANSACTION_FILTERS],
        responses={200: TransactionListSerializer},
        tags=["Transactions"],
        examples=examples.WALLET_TRANSACTION_LIST,
    )
    def get(self, request: Request, wallet_id: str) -> Response:
        params = TransactionListParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        wallet = wallet_get(principal=principal_of(request), wallet_id=wallet_id)
        transactions = transaction_list(
            principal=principal_of(request),
            wallet=wallet,
            filters=params.filters(),
            starting_after=params.validated_data.get("starting_after"),
        )
        # The cursor is already applied (looked up among all the wallet's transactions, not only the filtered).
        page = paginate(transactions, params={"limit": request.query_params.get("limit")})
        show_balances = _show_balances(request)
        return Response(page.render(lambda txn: transaction_snapshot(txn, show_balances=show_balances)))


class TransactionRetrieveApi(HolderDataApi):
    required_scopes = (TRANSACTIONS_READ,)

    @extend_schema(
        operation_id="transaction_retrieve",
        summary="Retrieve a transaction",
        description=(
            "One transaction by id; a transaction this credential cannot see is a 404. "
            f"{_scopes_note(TRANSACTIONS_READ)}"
        ),
        responses={200: TransactionSerializer},
        tags=["Transactions"],
        examples=examples.TRANSACTION_RETRIEVE,
    )
    def get(self, request: Request, transaction_id: str) -> Response:
        txn = transaction_get(principal=principal_of(request), transaction_id=transaction_id)
        return Response(transaction_snapshot(txn, show_balances=_show_balances(request)))
