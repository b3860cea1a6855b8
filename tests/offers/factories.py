"""Factories for ``apps.offers``: every row is made through the services (funding through the ledger, offers
through ``offer_create``), so tests see what the platform writes."""

from typing import Any

from apps.offers.models import Offer, OfferFunding
from apps.offers.services.funding import offer_funding_add
from apps.offers.services.offers import OfferSpec, offer_create
from apps.wallets.preferences import personalisation_set
from tests.transfers.factories import api_key_principal
from tests.wallets.factories import make_holder, make_wallet


def fund(environment: Any, amount: int = 1_000_000, currency: str = "USD") -> OfferFunding:
    return offer_funding_add(environment=environment, amount=amount, currency=currency)


def make_offer(environment: Any, *, fund_it: bool = True, **changes: Any) -> Offer:
    """A funded, active 10% cashback offer (cap 500) at Bean There Coffee in USD, budget 10,000."""
    values: dict[str, Any] = {
        "merchant_name": "Bean There Coffee",
        "merchant_category": "dining",
        "reward_type": "cashback_percent",
        "reward_value": 1_000,
        "reward_cap": 500,
        "min_spend": 300,
        "currency": "USD",
        "budget": 10_000,
        "budget_currency": "USD",
        "per_holder_limit": 5,
    }
    values.update(changes)
    if fund_it:
        fund(environment, values["budget"], values["budget_currency"])
    return offer_create(principal=api_key_principal(environment=environment), spec=OfferSpec(**values))


def opted_in_holder(partner: Any, *, balance: int = 100_000, name: str = "Ada Lovelace") -> Any:
    holder = make_holder(partner=partner, name=name)
    make_wallet(holder=holder, currency="USD", balance=balance)
    return personalisation_set(holder=holder, enabled=True)
