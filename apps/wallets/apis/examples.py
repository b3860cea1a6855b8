"""OpenAPI examples of the wallets API (holders, wallets, balances, transactions) and of funding sources, one
list per operation (``extend_schema(examples=...)``)."""

from typing import Any

from drf_spectacular.utils import OpenApiExample

from apps.core.openapi import problem_example

# --- Holders, wallets, transactions -------------------------------------------------------------------------------
HOLDER = {
    "id": "ph_3kT9vB2nQ7xL4mZ8cR1sD6fG",
    "object": "wallet_holder",
    "environment": "sandbox",
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "kyc_tier": "full",
    "status": "active",
    "created_at": "2026-01-05T08:00:00Z",
}
WALLET = {
    "id": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
    "object": "wallet",
    "environment": "sandbox",
    "holder": HOLDER["id"],
    "currency": "USD",
    "status": "active",
    "ledger_balance": {"amount": 254_310, "currency": "USD"},
    "available_balance": {"amount": 249_810, "currency": "USD"},
    "created_at": "2026-01-05T08:00:01Z",
}
TRANSACTION = {
    "id": "txn_8Lm3Qw6Er9Ty2Ui5Op1As4Df",
    "object": "transaction",
    "environment": "sandbox",
    "wallet": WALLET["id"],
    "type": "card_payment",
    "status": "posted",
    "amount": -4_250,
    "currency": "USD",
    "description": "Whole Foods Market #10234",
    "counterparty": None,
    "merchant_name": "Whole Foods Market",
    "category": "groceries",
    "balance_after": 254_310,
    "booked_at": "2026-11-21T18:42:07Z",
    "value_date": "2026-11-22",
    "created_at": "2026-11-21T18:42:07Z",
}
PENDING = {
    **TRANSACTION,
    "id": "txn_2Zx5Cv8Bn1Mq4Wr7Ty0Ui3Op",
    "status": "pending",
    "amount": -4_500,
    "description": "Shell Oil 57442",
    "merchant_name": "Shell",
    "category": "transport",
    "balance_after": None,
    "booked_at": "2026-11-22T07:15:00Z",
    "value_date": "2026-11-22",
    "created_at": "2026-11-22T07:15:00Z",
}
BALANCE = {
    "object": "balance",
    "wallet": WALLET["id"],
    "ledger": {"amount": 254_310, "currency": "USD"},
    "available": {"amount": 249_810, "currency": "USD"},
    "pending": {"amount": 4_500, "currency": "USD"},
    "as_of": "2026-11-22T09:30:00Z",
    "last_transaction": PENDING["id"],
}


def page(*items: dict[str, Any]) -> dict[str, Any]:
    return {"object": "list", "data": list(items), "has_more": True, "next_cursor": items[-1]["id"]}


WALLET_HOLDER_LIST = [OpenApiExample("A page of holders", response_only=True, value=page(HOLDER))]

WALLET_HOLDER_RETRIEVE = [OpenApiExample("A holder", response_only=True, value=HOLDER)]

WALLET_LIST = [OpenApiExample("A page of wallets", response_only=True, value=page(WALLET))]

WALLET_RETRIEVE = [OpenApiExample("A wallet", response_only=True, value=WALLET)]

WALLET_BALANCE_RETRIEVE = [OpenApiExample("Balances with a pending card payment", response_only=True, value=BALANCE)]

WALLET_TRANSACTION_LIST = [
    OpenApiExample("A page of transactions", response_only=True, value=page(PENDING, TRANSACTION))
]

TRANSACTION_RETRIEVE = [OpenApiExample("A posted card payment", response_only=True, value=TRANSACTION)]


# --- Funding sources --------------------------------------------------------------------------------------------
BANK = {
    "id": "fs_3kT9pQ2mB7vL1cN8dR4tY6wZ",
    "object": "funding_source",
    "environment": "sandbox",
    "holder": "ph_8bN2cV5xZ1aS4dF7gH0jK3lQ",
    "type": "bank_account",
    "position": 1,
    "status": "active",
    "bank_account": {
        "account_holder_name": "Ada Lovelace",
        "bank_country": "GB",
        "last4": "5678",
        "masked": "••••5678",
        "currency": "GBP",
    },
    "card": None,
    "created_at": "2026-11-22T09:30:00Z",
}
CARD = {
    **BANK,
    "id": "fs_7Hk2LmQ9rT4vX1zB8nC3dF6g",
    "type": "card",
    "position": 2,
    "bank_account": None,
    "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "holder_name": "ADA LOVELACE"},
}
FUNDING_SOURCE_PAGE = {"object": "list", "data": [BANK, CARD], "has_more": False, "next_cursor": None}


BAD_IBAN = problem_example(
    "Invalid IBAN",
    400,
    "parameter_invalid",
    "Some parameters are invalid. bank_account.iban: The IBAN's check digits do not match: look for a mistyped "
    "character.",
    [
        {
            "field": "bank_account.iban",
            "code": "iban_invalid",
            "message": "The IBAN's check digits do not match: look for a mistyped character.",
        }
    ],
)
EXPIRED = problem_example(
    "Expired card",
    400,
    "parameter_invalid",
    "Some parameters are invalid. card.exp_year: The card expired at the end of 04/2024.",
    [{"field": "card.exp_year", "code": "card_expired", "message": "The card expired at the end of 04/2024."}],
)
PAN = problem_example(
    "A full card number",
    400,
    "parameter_unknown",
    "The request has parameters this endpoint does not accept. card.number: Unknown parameter.",
    [{"field": "card.number", "code": "parameter_unknown", "message": "Unknown parameter."}],
)
BAD_ORDER = problem_example(
    "Not a permutation of the active sources",
    400,
    "parameter_invalid",
    "Some parameters are invalid. order: List every active funding source of this holder; missing: "
    "fs_7Hk2LmQ9rT4vX1zB8nC3dF6g.",
    [
        {
            "field": "order",
            "code": "order_invalid",
            "message": "List every active funding source of this holder; missing: fs_7Hk2LmQ9rT4vX1zB8nC3dF6g.",
        }
    ],
)

FUNDING_SOURCE_LIST = [OpenApiExample("A bank account and a card", response_only=True, value=FUNDING_SOURCE_PAGE)]

FUNDING_SOURCE_CREATE = [
    OpenApiExample(
        "UK bank account",
        request_only=True,
        value={
            "type": "bank_account",
            "bank_account": {
                "account_holder_name": "Ada Lovelace",
                "sort_code": "12-34-56",
                "account_number": "12345678",
            },
        },
    ),
    OpenApiExample(
        "IBAN",
        request_only=True,
        value={
            "type": "bank_account",
            "bank_account": {"account_holder_name": "Ada Lovelace", "iban": "DE89 3704 0044 0532 0130 00"},
        },
    ),
    OpenApiExample(
        "Card",
        request_only=True,
        value={"type": "card", "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030}},
    ),
    OpenApiExample("Bank account added", response_only=True, status_codes=["201"], value=BANK),
    BAD_IBAN,
    EXPIRED,
    PAN,
]

FUNDING_SOURCE_RETRIEVE = [OpenApiExample("A bank account", response_only=True, value=BANK)]

FUNDING_SOURCE_DELETE = [
    OpenApiExample("Removed", response_only=True, value={**BANK, "status": "removed", "position": 0})
]

FUNDING_SOURCE_REORDER = [
    OpenApiExample(
        "Card first",
        request_only=True,
        value={"order": ["fs_7Hk2LmQ9rT4vX1zB8nC3dF6g", "fs_3kT9pQ2mB7vL1cN8dR4tY6wZ"]},
    ),
    OpenApiExample(
        "The new order",
        response_only=True,
        value={
            **FUNDING_SOURCE_PAGE,
            "data": [{**CARD, "position": 1}, {**BANK, "position": 2}],
        },
    ),
    BAD_ORDER,
]
