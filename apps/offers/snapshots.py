"""Insights, offers, activations, redemptions and points redemptions as the API shows them, and the payloads of
their events (docs/architecture.md, "API convention")."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from apps.core import clock


def _money(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def change_percent(current: int, previous: int) -> str | None:
    """The change from ``previous`` to ``current`` in percent, one decimal (None when there was nothing)."""
    if previous == 0:
        return None
    return str((Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1")))


def insights_snapshot(insights: Any) -> dict[str, Any]:
    """``insights`` is an ``apps.offers.selectors.insights.Insights``."""
    currency = insights.currency
    return {
        "object": "insights",
        "holder": insights.holder.public_id,
        "currency": currency,
        "from": insights.start.isoformat(),
        "to": insights.end.isoformat(),
        "income": insights.income,
        "spending": insights.spending,
        "refunds": insights.refunds,
        "by_category": [
            {
                "category": c.category,
                "amount": c.amount,
                "count": c.count,
                "previous_amount": c.previous_amount,
                "change": c.amount - c.previous_amount,
                "change_percent": change_percent(c.amount, c.previous_amount),
            }
            for c in insights.by_category
        ],
        "cash_flow": [
            {"month": f.month, "income": f.income, "spending": f.spending, "net": f.income - f.spending}
            for f in insights.cash_flow
        ],
        "recurring": [
            {
                "merchant": r.merchant,
                "category": r.category,
                "direction": r.direction,
                "amount": r.amount,
                "cadence": r.cadence,
                "occurrences": r.occurrences,
                "last_at": clock.rfc3339(r.last_at),
                "next_expected_at": clock.rfc3339(r.next_expected_at),
            }
            for r in insights.recurring
        ],
    }


def status_at(offer: Any, now: datetime) -> str:
    """The offer's status as shown at ``now``: ``ended`` once its window closed, whatever is stored."""
    if offer.ends_at is not None and offer.ends_at <= now:
        return "ended"
    return offer.status


def _reward_value(offer: Any) -> Any:
    if offer.reward_type == "cashback_percent":
        return format(Decimal(offer.reward_value) / 100, "f")
    return offer.reward_value


def offer_snapshot(offer: Any, *, now: datetime) -> dict[str, Any]:
    return {
        "id": offer.public_id,
        "object": "offer",
        "environment": offer.environment.kind,
        "status": status_at(offer, now),
        "merchant": {"name": offer.merchant_name, "category": offer.merchant_category or None},
        "reward": {"type": offer.reward_type, "value": _reward_value(offer), "cap": offer.reward_cap},
        "min_spend": offer.min_spend,
        "currency": offer.currency,
        "starts_at": clock.rfc3339(offer.starts_at),
        "ends_at": clock.rfc3339(offer.ends_at),
        "per_holder_limit": offer.per_holder_limit,
        "budget": _money(offer.budget, offer.budget_currency),
        "budget_spent": _money(offer.spent, offer.budget_currency),
        "redemptions": offer.redemptions,
        "targeting": {"categories": list(offer.target_categories), "min_spend_90d": offer.target_min_spend_90d},
        "metadata": offer.metadata,
        "created_at": clock.rfc3339(offer.created_at),
    }


def wallet_offer_snapshot(offer: Any, activation: Any, *, now: datetime) -> dict[str, Any]:
    """An offer as a holder sees it in their wallet: no budget or targeting, whether it is saved and how many
    rewards it still gives them."""
    return {
        "id": offer.public_id,
        "object": "wallet_offer",
        "status": status_at(offer, now),
        "merchant": {"name": offer.merchant_name, "category": offer.merchant_category or None},
        "reward": {"type": offer.reward_type, "value": _reward_value(offer), "cap": offer.reward_cap},
        "min_spend": offer.min_spend,
        "currency": offer.currency,
        "starts_at": clock.rfc3339(offer.starts_at),
        "ends_at": clock.rfc3339(offer.ends_at),
        "activated": activation is not None,
        "activated_at": clock.rfc3339(activation.created_at) if activation is not None else None,
        "redemptions_left": offer.per_holder_limit - (activation.redemptions if activation is not None else 0),
    }


def redemption_snapshot(redemption: Any) -> dict[str, Any]:
    return {
        "id": redemption.public_id,
        "object": "offer_redemption",
        "environment": redemption.offer.environment.kind,
        "offer": redemption.offer.public_id,
        "holder": redemption.holder.public_id,
        "wallet": redemption.wallet.public_id,
        "card_transaction": redemption.card_transaction.public_id,
        "reward_transaction": redemption.reward_transaction.public_id,
        "reward": _money(redemption.amount, redemption.currency),
        "status": redemption.status,
        "created_at": clock.rfc3339(redemption.created_at),
    }


def funding_snapshot(funding: Any) -> dict[str, Any]:
    return {
        "id": funding.public_id,
        "object": "offer_funding",
        "environment": funding.environment.kind,
        "currency": funding.currency,
        "funded": funding.funded,
        "allocated": funding.allocated,
        "available": funding.funded - funding.allocated,
        "updated_at": clock.rfc3339(funding.updated_at),
    }


def audience_snapshot(offer: Any, holders: int, *, now: datetime) -> dict[str, Any]:
    return {
        "object": "offer_audience",
        "offer": offer.public_id,
        "estimated_holders": holders,
        "as_of": clock.rfc3339(now),
    }


def points_redemption_snapshot(redemption: Any) -> dict[str, Any]:
    return {
        "id": redemption.public_id,
        "object": "points_redemption",
        "environment": redemption.environment.kind,
        "holder": redemption.holder.public_id,
        "wallet": redemption.wallet.public_id,
        "points": redemption.points,
        "programme": redemption.programme,
        "rate": redemption.rate,
        "value": redemption.value,
        "reference": redemption.reference,
        "transaction": redemption.transaction.public_id,
        "created_at": clock.rfc3339(redemption.created_at),
    }


def programme_snapshot(programme: Any) -> dict[str, Any]:
    return {
        "id": programme.public_id,
        "object": "points_programme",
        "environment": programme.environment.kind,
        "name": programme.name,
        "rate": programme.rate,
        "updated_at": clock.rfc3339(programme.updated_at),
    }
