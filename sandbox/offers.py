"""The sandbox's demo offers (docs/sandbox.md, "Offers"): the offers funding, two offers at seeded merchants, and
``user_good`` opted in with the coffee offer activated, so one documented card payment earns a reward. Called by
the seed once its personas exist; a sandbox that already has offers is left alone. Everything goes through the
offers services."""

from apps.core.principal import Principal
from apps.offers.models import Offer
from apps.offers.services.activation import offer_activate
from apps.offers.services.funding import offer_funding_add_inner
from apps.offers.services.offers import OfferSpec, offer_create
from apps.partners.models import Partner
from apps.wallets.models import WalletHolder
from apps.wallets.preferences import personalisation_set

COFFEE = OfferSpec(
    merchant_name="Bean There Coffee",
    merchant_category="dining",
    reward_type=Offer.RewardType.CASHBACK_PERCENT,
    reward_value=1_000,  # 10%
    reward_cap=500,
    min_spend=300,
    currency="USD",
    budget=50_000,
    budget_currency="USD",
    per_holder_limit=10,
)
GROCERIES = OfferSpec(
    merchant_name="Harbor Fresh Market",
    merchant_category="groceries",
    reward_type=Offer.RewardType.POINTS,
    reward_value=100,
    reward_cap=None,
    min_spend=2_000,
    currency="USD",
    budget=20_000,
    budget_currency="XPT",
    per_holder_limit=5,
    target_categories=["groceries"],
    target_min_spend_90d=5_000,
)


def seed_offers(*, partner: Partner, username: str) -> None:
    """Fund the sandbox's offers, create the two demo offers and activate the coffee one for the persona holder
    signing in as ``username`` (opted in first). Inside the seed's transaction."""
    sandbox = partner.environments.get(kind="sandbox")
    good_holder = WalletHolder.objects.filter(partner=partner, environment="sandbox", user__username=username).first()
    if Offer.objects.filter(environment=sandbox).exists():
        return
    principal = Principal(partner=partner, environment=sandbox, credential_type="seed", credential_id="seed")
    offer_funding_add_inner(environment=sandbox, amount=100_000, currency="USD")
    offer_funding_add_inner(environment=sandbox, amount=50_000, currency="XPT")
    coffee = offer_create(principal=principal, spec=COFFEE)
    offer_create(principal=principal, spec=GROCERIES)
    if good_holder is not None:
        personalisation_set(holder=good_holder, enabled=True)
        offer_activate(principal=principal, holder_id=good_holder.public_id, offer_id=coffee.public_id)
