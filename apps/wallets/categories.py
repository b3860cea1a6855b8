"""The fixed category taxonomy of transactions (documented in docs/wallets.md)."""

CATEGORIES: tuple[str, ...] = (
    "groceries",
    "dining",
    "transport",
    "travel",
    "utilities",
    "rent",
    "salary",
    "income",
    "transfer",
    "fees",
    "shopping",
    "entertainment",
    "health",
    "education",
    "cash",
    "refund",
    "points",
    "other",
)


def is_category(value: str) -> bool:
    return value in CATEGORIES
