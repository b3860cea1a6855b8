"""A partner's offers: create, change, pause and resume (``offers:write``). Every check runs before anything is
written; a budget sets money aside from the environment's offers funding (``services.funding``)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from apps.core import clock
from apps.core.errors import InvalidStateTransition, error_type
from apps.core.principal import Principal
from apps.offers.models import Offer
from apps.offers.selectors.offers import offer_get
from apps.offers.services.funding import funding_allocate
from apps.offers.snapshots import status_at
from apps.wallets import currencies

OfferInvalid = error_type(
    "OfferInvalid",
    "offer_invalid",
    422,
    "Invalid offer",
    "The offer breaks a rule: see errors.",
    doc="A reward above the purchase, a budget in another currency than the reward, a window that ends before it "
    "starts or in the past, points offers outside XPT budgets.",
)


@dataclass(frozen=True)
class OfferSpec:
    """A validated offer body (``serializers.OfferCreateInput``); ``reward_value`` is hundredths of a percent for
    ``cashback_percent``, minor units for ``cashback_fixed`` and points for ``points``."""

    merchant_name: str
    merchant_category: str
    reward_type: str
    reward_value: int
    reward_cap: int | None
    min_spend: int
    currency: str
    budget: int
    budget_currency: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    per_holder_limit: int = 1
    target_categories: list[str] = field(default_factory=list)
    target_min_spend_90d: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)


def _problem(name: str, code: str, message: str) -> dict[str, str]:
    return {"field": name, "code": code, "message": message}


def reward_currency(*, reward_type: str, currency: str) -> str:
    """What a reward is paid in: points in ``XPT``, cashback in the purchase currency."""
    return currencies.POINTS if reward_type == Offer.RewardType.POINTS else currency


def _check(spec: OfferSpec, *, now: datetime) -> list[dict[str, str]]:
    problems = []
    if spec.currency == currencies.POINTS:
        problems.append(_problem("currency", "currency_invalid", "Purchases are made in money, not in XPT."))
    expected = reward_currency(reward_type=spec.reward_type, currency=spec.currency)
    if spec.budget_currency != expected:
        problems.append(
            _problem("budget.currency", "budget_currency_mismatch", f"This offer's rewards are paid in {expected}.")
        )
    if spec.reward_type == Offer.RewardType.CASHBACK_FIXED and spec.reward_value > spec.min_spend:
        problems.append(
            _problem(
                "reward.value",
                "reward_exceeds_purchase",
                "Fixed cashback must not exceed the minimum spend, or it could pay more than the purchase.",
            )
        )
    if spec.reward_cap is not None and spec.reward_type != Offer.RewardType.CASHBACK_PERCENT:
        problems.append(_problem("reward.cap", "cap_not_allowed", "Only percentage cashback takes a cap."))
    starts = spec.starts_at or now
    if spec.ends_at is not None and (spec.ends_at <= starts or spec.ends_at <= now):
        problems.append(_problem("ends_at", "window_invalid", "The offer must end after it starts and in the future."))
    return problems


@transaction.atomic
def offer_create(*, principal: Principal, spec: OfferSpec) -> Offer:
    """Create an active offer and set its budget aside from the offers funding. Raises ``OfferInvalid`` (422,
    nothing written) and ``FundingInsufficient``."""
    environment = principal.environment
    now = clock.now(environment=environment)
    problems = _check(spec, now=now)
    if problems:
        raise OfferInvalid(errors=problems)
    funding_allocate(environment=environment, currency=spec.budget_currency, amount=spec.budget)
    return Offer.objects.create(
        partner=principal.partner,
        environment=environment,
        merchant_name=spec.merchant_name,
        merchant_category=spec.merchant_category,
        reward_type=spec.reward_type,
        reward_value=spec.reward_value,
        reward_cap=spec.reward_cap,
        min_spend=spec.min_spend,
        currency=spec.currency,
        starts_at=spec.starts_at or now,
        ends_at=spec.ends_at,
        per_holder_limit=spec.per_holder_limit,
        budget=spec.budget,
        budget_currency=spec.budget_currency,
        target_categories=sorted(set(spec.target_categories)),
        target_min_spend_90d=spec.target_min_spend_90d,
        metadata=spec.metadata,
    )


def _locked(principal: Principal, offer_id: str) -> Offer:
    offer = offer_get(principal=principal, offer_id=offer_id)
    return Offer.objects.select_for_update().get(pk=offer.pk)


@transaction.atomic
def offer_update(*, principal: Principal, offer_id: str, changes: dict[str, Any]) -> Offer:
    """Change an offer's ``ends_at``, ``budget`` (amount; never below what is spent, the difference set aside or
    given back), ``per_holder_limit``, ``target_categories``, ``target_min_spend_90d`` or ``metadata``. A budget
    raised above what an exhausted offer spent makes it active again. Raises ``NotFound``, ``OfferInvalid``,
    ``FundingInsufficient`` and ``InvalidStateTransition`` (an ended offer)."""
    offer = _locked(principal, offer_id)
    now = clock.now(environment=principal.environment)
    if offer.status == Offer.Status.ENDED or (offer.ends_at is not None and offer.ends_at <= now):
        raise InvalidStateTransition(f"Offer {offer.public_id} has ended.")
    problems = []
    budget = changes.get("budget")
    if budget is not None:
        if budget["currency"] != offer.budget_currency:
            problems.append(_problem("budget.currency", "budget_currency_mismatch", "The budget keeps its currency."))
        elif budget["amount"] < offer.spent:
            problems.append(_problem("budget.amount", "budget_below_spent", f"{offer.spent} is already spent."))
    ends_at = changes.get("ends_at")
    if ends_at is not None and (ends_at <= offer.starts_at or ends_at <= now):
        problems.append(_problem("ends_at", "window_invalid", "The offer must end after it starts and in the future."))
    if problems:
        raise OfferInvalid(errors=problems)
    fields = ["updated_at"]
    if budget is not None and budget["amount"] != offer.budget:
        funding_allocate(
            environment=principal.environment, currency=offer.budget_currency, amount=budget["amount"] - offer.budget
        )
        offer.budget = budget["amount"]
        fields.append("budget")
        if offer.status == Offer.Status.EXHAUSTED and offer.budget > offer.spent:
            offer.status = Offer.Status.ACTIVE
            fields.append("status")
    for name in ("ends_at", "per_holder_limit", "target_categories", "target_min_spend_90d", "metadata"):
        if name in changes:
            setattr(offer, name, changes[name])
            fields.append(name)
    offer.save(update_fields=fields)
    return offer


@transaction.atomic
def offer_set_paused(*, principal: Principal, offer_id: str, paused: bool) -> Offer:
    """Pause an active offer, or resume a paused one: no activation or reward while paused. Raises ``NotFound``
    and ``InvalidStateTransition`` (pausing what is not active, resuming what is not paused, an ended offer)."""
    offer = _locked(principal, offer_id)
    now = clock.now(environment=principal.environment)
    current, target = (
        (Offer.Status.ACTIVE, Offer.Status.PAUSED) if paused else (Offer.Status.PAUSED, Offer.Status.ACTIVE)
    )
    if offer.status != current or (offer.ends_at is not None and offer.ends_at <= now):
        raise InvalidStateTransition(f"Offer {offer.public_id} is {status_at(offer, now)}, not {current}.")
    offer.status = target
    offer.save(update_fields=["status", "updated_at"])
    return offer
