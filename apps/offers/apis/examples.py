"""OpenAPI examples of the offers, points and insights API, one list per operation."""

from typing import Any

from drf_spectacular.utils import OpenApiExample

from apps.core.openapi import problem_example

HOLDER_ID = "ph_3kT9vB2nQ7xL4mZ8cR1sD6fG"

INSIGHTS_BODY: dict[str, Any] = {
    "object": "insights",
    "holder": HOLDER_ID,
    "currency": "USD",
    "from": "2026-09-01",
    "to": "2026-11-30",
    "income": 1_620_000,
    "spending": 1_143_580,
    "refunds": 2_499,
    "by_category": [
        {
            "category": "rent",
            "amount": 453_600,
            "count": 3,
            "previous_amount": 453_600,
            "change": 0,
            "change_percent": "0.0",
        },
        {
            "category": "groceries",
            "amount": 181_244,
            "count": 19,
            "previous_amount": 160_100,
            "change": 21_144,
            "change_percent": "13.2",
        },
    ],
    "cash_flow": [
        {"month": "2026-09", "income": 540_000, "spending": 371_210, "net": 168_790},
        {"month": "2026-10", "income": 540_000, "spending": 392_020, "net": 147_980},
        {"month": "2026-11", "income": 540_000, "spending": 380_350, "net": 159_650},
    ],
    "recurring": [
        {
            "merchant": "Northwind Analytics",
            "category": "salary",
            "direction": "in",
            "amount": 540_000,
            "cadence": "monthly",
            "occurrences": 13,
            "last_at": "2026-11-25T03:12:00Z",
            "next_expected_at": "2026-12-25T03:12:00Z",
        },
        {
            "merchant": "Stream+",
            "category": "entertainment",
            "direction": "out",
            "amount": 1_299,
            "cadence": "monthly",
            "occurrences": 13,
            "last_at": "2026-11-14T10:00:00Z",
            "next_expected_at": "2026-12-14T10:00:00Z",
        },
    ],
}

PERSONALISATION_OFF = problem_example(
    "Holder has not opted in",
    403,
    "personalisation_off",
    "This holder has not turned on spending insights and offers, so their spending is not used.",
    title="Holder has not opted in",
)

INSIGHTS = [
    OpenApiExample("Insights", value=INSIGHTS_BODY, response_only=True, status_codes=["200"]),
    PERSONALISATION_OFF,
    problem_example(
        "Window too long",
        422,
        "window_invalid",
        "The window is at most 366 days.",
        [{"field": "from", "code": "window_invalid", "message": "The window is at most 366 days."}],
        title="Invalid window",
    ),
]

OFFER_BODY: dict[str, Any] = {
    "id": "off_7Rk2pL9mQ4vX1tZ8nB3cW5yD",
    "object": "offer",
    "environment": "sandbox",
    "status": "active",
    "merchant": {"name": "Bean There Coffee", "category": "dining"},
    "reward": {"type": "cashback_percent", "value": "10", "cap": 500},
    "min_spend": 300,
    "currency": "USD",
    "starts_at": "2026-12-01T00:00:00Z",
    "ends_at": "2027-01-31T23:59:59Z",
    "per_holder_limit": 5,
    "budget": {"amount": 100_000, "currency": "USD"},
    "budget_spent": {"amount": 1_250, "currency": "USD"},
    "redemptions": 4,
    "targeting": {"categories": ["dining"], "min_spend_90d": 2_000},
    "metadata": {"campaign": "winter"},
    "created_at": "2026-12-01T09:00:00Z",
}
OFFER_REQUEST = {
    "merchant": {"name": "Bean There Coffee", "category": "dining"},
    "reward": {"type": "cashback_percent", "value": "10", "cap": 500},
    "min_spend": 300,
    "currency": "USD",
    "starts_at": "2026-12-01T00:00:00Z",
    "ends_at": "2027-01-31T23:59:59Z",
    "per_holder_limit": 5,
    "budget": {"amount": 100_000, "currency": "USD"},
    "targeting": {"categories": ["dining"], "min_spend_90d": 2_000},
    "metadata": {"campaign": "winter"},
}


def _ok(name: str, value: Any, status: str = "200") -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status])


OFFER_LIST = [_ok("Offers", {"object": "list", "data": [OFFER_BODY], "has_more": False, "next_cursor": None})]
OFFER_RETRIEVE = [_ok("An offer", OFFER_BODY)]
OFFER_CREATE = [
    OpenApiExample("Cashback at a coffee shop", value=OFFER_REQUEST, request_only=True),
    _ok("Created", {**OFFER_BODY, "budget_spent": {"amount": 0, "currency": "USD"}, "redemptions": 0}, "201"),
    problem_example(
        "Budget in another currency",
        422,
        "offer_invalid",
        "The offer breaks a rule: see errors.",
        [
            {
                "field": "budget.currency",
                "code": "budget_currency_mismatch",
                "message": "This offer's rewards are paid in USD.",
            }
        ],
        title="Invalid offer",
    ),
    problem_example(
        "Funding too low",
        422,
        "offer_funding_insufficient",
        "0 USD of offers funding is free; the budget needs 100000.",
        title="Offers funding too low",
    ),
]
OFFER_UPDATE = [
    OpenApiExample("Raise the budget", value={"budget": {"amount": 200_000, "currency": "USD"}}, request_only=True),
    _ok("Updated", {**OFFER_BODY, "budget": {"amount": 200_000, "currency": "USD"}}),
]
AUDIENCE = [
    _ok(
        "Estimate",
        {
            "object": "offer_audience",
            "offer": OFFER_BODY["id"],
            "estimated_holders": 42,
            "as_of": "2026-12-07T12:00:00Z",
        },
    )
]
WALLET_OFFER = {
    "id": OFFER_BODY["id"],
    "object": "wallet_offer",
    "status": "active",
    "merchant": OFFER_BODY["merchant"],
    "reward": OFFER_BODY["reward"],
    "min_spend": 300,
    "currency": "USD",
    "starts_at": OFFER_BODY["starts_at"],
    "ends_at": OFFER_BODY["ends_at"],
    "activated": True,
    "activated_at": "2026-12-07T12:00:00Z",
    "redemptions_left": 5,
}
WALLET_OFFER_LIST = [
    _ok("Offers for the holder", {"object": "list", "data": [WALLET_OFFER], "has_more": False, "next_cursor": None}),
    PERSONALISATION_OFF,
]
WALLET_OFFER_ACTIVATE = [
    _ok("Activated", WALLET_OFFER),
    PERSONALISATION_OFF,
    problem_example(
        "Paused offer",
        422,
        "offer_not_available",
        "Offer off_7Rk2pL9mQ4vX1tZ8nB3cW5yD is paused.",
        title="Offer not available",
    ),
]
FUNDING = [
    OpenApiExample("Fund offers", value={"amount": 500_000, "currency": "USD"}, request_only=True),
    _ok(
        "Funding",
        {
            "id": "ofd_2Xk9pL4mQ7vR1tZ8nB3cW5yD",
            "object": "offer_funding",
            "environment": "sandbox",
            "currency": "USD",
            "funded": 500_000,
            "allocated": 100_000,
            "available": 400_000,
            "updated_at": "2026-12-07T12:00:00Z",
        },
        "201",
    ),
]
