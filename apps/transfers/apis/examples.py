"""OpenAPI examples of ``/v1/fx/quotes`` and ``/v1/transfers``, one list per operation
(``extend_schema(examples=...)``)."""

from drf_spectacular.utils import OpenApiExample

from apps.core.openapi import problem_example

# --- FX quotes ----------------------------------------------------------------------------------------------------
QUOTE = {
    "id": "fxq_4nR8tW2yB6mK1pV9cX3zL7qD",
    "object": "fx_quote",
    "environment": "sandbox",
    "source": {"amount": 100_000, "currency": "USD"},
    "destination": {"amount": 91_878, "currency": "EUR"},
    "fee": {"amount": 500, "currency": "USD"},
    "rate": "0.9234",
    "expires_at": "2026-11-22T09:31:00Z",
    "used": False,
    "created_at": "2026-11-22T09:30:00Z",
}
QUOTE_JPY = {
    **QUOTE,
    "id": "fxq_9sD3fG6hJ1kL4zX7cV0bN2mQ",
    "source": {"amount": 6_709, "currency": "USD"},
    "destination": {"amount": 10_000, "currency": "JPY"},
    "fee": {"amount": 34, "currency": "USD"},
    "rate": "149.82",
}


def problem(name: str, status: int, code: str, title: str, detail: str, errors: list[dict[str, str]] | None = None):
    return problem_example(name, status, code, detail, errors, title=title)


NO_KEY = problem(
    "No Idempotency-Key",
    400,
    "idempotency_key_required",
    "Idempotency-Key required",
    "This request moves money or creates something: send an Idempotency-Key header (e.g. a UUID).",
)
UNKNOWN = problem(
    "An unknown field",
    400,
    "parameter_unknown",
    "Invalid request",
    "The request has parameters this endpoint does not accept. amount: Unknown parameter.",
    [{"field": "amount", "code": "parameter_unknown", "message": "Unknown parameter."}],
)
BOTH = problem(
    "Both amounts",
    400,
    "parameter_invalid",
    "Invalid request",
    "Some parameters are invalid. source_amount: Send exactly one of source_amount and destination_amount.",
    [
        {
            "field": "source_amount",
            "code": "parameter_invalid",
            "message": "Send exactly one of source_amount and destination_amount.",
        },
        {
            "field": "destination_amount",
            "code": "parameter_invalid",
            "message": "Send exactly one of source_amount and destination_amount.",
        },
    ],
)
NO_RATE = problem(
    "No rate for the pair",
    422,
    "fx_rate_unavailable",
    "FX rate unavailable",
    "There is no FX rate from USD to SEK.",
)
TOO_SMALL = problem(
    "Too small to convert",
    422,
    "amount_too_small",
    "Amount too small",
    "0.01 USD buys less than one minor unit of EUR after the fee.",
    [{"field": "source_amount", "code": "amount_too_small", "message": "Too small to convert."}],
)
MISSING = problem(
    "Not found", 404, "resource_missing", "Not found", "No such FX quote: 'fxq_4nR8tW2yB6mK1pV9cX3zL7qD'."
)

FX_QUOTE_CREATE = [
    OpenApiExample(
        "Pay 1,000.00 USD",
        request_only=True,
        value={"source_currency": "USD", "destination_currency": "EUR", "source_amount": 100_000},
    ),
    OpenApiExample(
        "Receive 10,000 JPY",
        request_only=True,
        value={"source_currency": "USD", "destination_currency": "JPY", "destination_amount": 10_000},
    ),
    OpenApiExample("USD to EUR", response_only=True, status_codes=["201"], value=QUOTE),
    OpenApiExample("USD to JPY", response_only=True, status_codes=["201"], value=QUOTE_JPY),
    NO_KEY,
    UNKNOWN,
    BOTH,
    NO_RATE,
    TOO_SMALL,
]

FX_QUOTE_RETRIEVE = [OpenApiExample("A quote", response_only=True, value=QUOTE), MISSING]


# --- Transfers --------------------------------------------------------------------------------------------------
TRANSFER = {
    "id": "tr_7Qm2Xk9Lp4Rt8Vw1Yz3Bc6Df",
    "object": "transfer",
    "environment": "sandbox",
    "type": "p2p",
    "status": "succeeded",
    "amount": 2_500,
    "currency": "USD",
    "source": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
    "destination": "wal_9aS3dF6gH1jK4lZ7xC0vB2nM",
    "fx": None,
    "amount_reversed": 0,
    "description": "Dinner, split",
    "metadata": {"order_id": "6735"},
    "failure": None,
    "review_reason": None,
    "risk": {"score": 15, "level": "low", "reasons": ["new_counterparty"]},
    "mandate": None,
    "created_at": "2026-11-22T19:04:11Z",
}
TOP_UP = {
    **TRANSFER,
    "id": "tr_2Bv7Nc4Xz9Lk1Jh6Gf3Ds8Aq",
    "type": "top_up",
    "status": "pending",
    "amount": 10_000,
    "source": "fs_3kT9pQ2mB7vL1cN8dR4tY6wZ",
    "destination": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
    "description": "",
    "metadata": {},
}
FX_QUOTE = "fxq_4nR8tW2yB6mK1pV9cX3zL7qD"
FX = {
    **TRANSFER,
    "id": "tr_8Hn3Mb6Vc1Xz4Lk7Jh0Gf2Ds",
    "type": "fx",
    "amount": 100_000,
    "destination": "wal_1zX4cV7bN0mQ3wE6rT9yU2iO",
    "fx": {
        "quote": FX_QUOTE,
        "rate": "0.9234",
        "destination_amount": {"amount": 91_878, "currency": "EUR"},
        "fee": {"amount": 500, "currency": "USD"},
    },
    "description": "",
    "metadata": {},
}
HELD = {
    **TRANSFER,
    "id": "tr_4Df6Gh8Jk0Lz2Xc4Vb6Nm8Qw",
    "status": "held",
    "review_reason": "review",
    "risk": {
        "score": 75,
        "level": "high",
        "reasons": ["amount_unusual", "new_counterparty", "new_account", "recent_kyc_change"],
    },
}
DETAIL = {
    **TRANSFER,
    "journal_lines": [
        {
            "kind": "transfer",
            "reversal": None,
            "account": "wal_5pH2jK8mN1qR4tV7xZ0bC3dF",
            "account_type": "wallet",
            "amount": -2_500,
            "currency": "USD",
            "posted_at": "2026-11-22T19:04:11Z",
        },
        {
            "kind": "transfer",
            "reversal": None,
            "account": "wal_9aS3dF6gH1jK4lZ7xC0vB2nM",
            "account_type": "wallet",
            "amount": 2_500,
            "currency": "USD",
            "posted_at": "2026-11-22T19:04:11Z",
        },
    ],
    "status_history": [
        {"status": "pending", "previous_status": None, "reason": "created", "at": "2026-11-22T19:04:11Z"},
        {"status": "succeeded", "previous_status": "pending", "reason": None, "at": "2026-11-22T19:04:11Z"},
    ],
}
REVERSAL = {
    "id": "trr_6Yt2Re8Wq4As0Df6Gh2Jk8Lz",
    "object": "transfer_reversal",
    "environment": "sandbox",
    "transfer": TRANSFER["id"],
    "amount": 1_000,
    "currency": "USD",
    "description": "Partial refund",
    "metadata": {},
    "created_at": "2026-11-23T10:00:00Z",
}
ERRORS = [
    problem(
        "No Idempotency-Key",
        400,
        "idempotency_key_required",
        "Idempotency-Key required",
        "This request moves money or creates something: send an Idempotency-Key header (e.g. a UUID).",
    ),
    problem(
        "Another partner's wallet",
        404,
        "resource_missing",
        "Not found",
        "No such wallet: 'wal_9aS3dF6gH1jK4lZ7xC0vB2nM'.",
        [{"field": "destination", "code": "resource_missing", "message": "No such wallet."}],
    ),
    problem(
        "Not enough money",
        422,
        "insufficient_funds",
        "Insufficient funds",
        "Wallet wal_5pH2jK8mN1qR4tV7xZ0bC3dF has 1200 available; 2500 is needed.",
    ),
    problem(
        "Over a limit",
        422,
        "limit_exceeded",
        "Limit exceeded",
        "This transfer of 600.00 USD would take the rolling 24-hour total to 1,100.00 USD, over the daily limit "
        "of 1,000.00 USD for unverified holders.",
    ),
    problem("Same wallet", 422, "same_wallet", "Same wallet", "The source and destination are the same wallet."),
    problem("Quote expired", 422, "quote_expired", "Quote expired", "FX quote fxq_4nR8... expired; get a new one."),
    problem(
        "Key reused",
        422,
        "idempotency_key_reused",
        "Idempotency-Key reused",
        "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
    ),
]
STATE_ERROR = problem(
    "Not cancelable",
    409,
    "invalid_state_transition",
    "Invalid state transition",
    "Transfer tr_7Qm2Xk9Lp4Rt8Vw1Yz3Bc6Df is succeeded; it cannot become canceled.",
)

TRANSFER_CREATE = [
    OpenApiExample(
        "Wallet to wallet",
        request_only=True,
        value={
            "type": "p2p",
            "source": TRANSFER["source"],
            "destination": TRANSFER["destination"],
            "amount": 2_500,
            "currency": "USD",
            "description": "Dinner, split",
            "metadata": {"order_id": "6735"},
        },
    ),
    OpenApiExample(
        "Top-up from the fallback order",
        request_only=True,
        value={"type": "top_up", "destination": TOP_UP["destination"], "amount": 10_000, "currency": "USD"},
    ),
    OpenApiExample(
        "Payout to a bank account",
        request_only=True,
        value={
            "type": "payout",
            "source": TRANSFER["source"],
            "destination": "fs_3kT9pQ2mB7vL1cN8dR4tY6wZ",
            "amount": 5_000,
            "currency": "USD",
        },
    ),
    OpenApiExample(
        "FX with a quote",
        request_only=True,
        value={
            "type": "fx",
            "quote": FX_QUOTE,
            "source": FX["source"],
            "destination": FX["destination"],
        },
    ),
    OpenApiExample("A p2p transfer", response_only=True, status_codes=["201"], value=TRANSFER),
    OpenApiExample("A pending top-up", response_only=True, status_codes=["201"], value=TOP_UP),
    OpenApiExample("An FX transfer", response_only=True, status_codes=["201"], value=FX),
    OpenApiExample("Held for review", response_only=True, status_codes=["201"], value=HELD),
    *ERRORS,
]

TRANSFER_LIST = [
    OpenApiExample(
        "A page",
        response_only=True,
        value={"object": "list", "data": [TRANSFER, TOP_UP], "has_more": True, "next_cursor": TOP_UP["id"]},
    )
]

TRANSFER_RETRIEVE = [OpenApiExample("A settled p2p transfer", response_only=True, value=DETAIL)]

TRANSFER_CANCEL = [
    OpenApiExample("Canceled", response_only=True, status_codes=["200"], value={**HELD, "status": "canceled"}),
    STATE_ERROR,
]

TRANSFER_REVERSAL_CREATE = [
    OpenApiExample("Refund part", request_only=True, value={"amount": 1_000, "description": "Partial refund"}),
    OpenApiExample("A reversal", response_only=True, status_codes=["201"], value=REVERSAL),
    problem(
        "More than remains",
        422,
        "reversal_exceeds_remaining",
        "Reversal too large",
        "Only 1500 of this transfer remains to reverse.",
        [{"field": "amount", "code": "reversal_exceeds_remaining", "message": "At most 1500."}],
    ),
]

TRANSFER_REVERSAL_LIST = [
    OpenApiExample(
        "Reversals",
        response_only=True,
        value={"object": "list", "data": [REVERSAL], "has_more": False, "next_cursor": None},
    )
]
