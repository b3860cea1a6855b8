"""Reads of offers: a partner's own (tenancy: its partner and environment), the offers a holder is eligible
for, and audience estimates. Only holders who opted in (``WalletHolder.personalisation``) are ever matched or
counted, checked on every read; an estimate is a count, never who."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from apps.core.errors import NotFound
from apps.core.principal import Principal
from apps.offers.models import Offer, OfferActivation
from apps.wallets.models import Transaction, Wallet, WalletHolder

TARGETING_WINDOW = timedelta(days=90)


def offer_list(*, principal: Principal) -> QuerySet[Offer]:
    return Offer.objects.filter(partner=principal.partner, environment=principal.environment).select_related(
        "environment"
    )


def offer_get(*, principal: Principal, offer_id: str) -> Offer:
    offer = offer_list(principal=principal).filter(public_id=offer_id).first()
    if offer is None:
        raise NotFound(f"No such offer: {offer_id!r}.")
    return offer


def live_offers(*, principal: Principal, now: datetime) -> QuerySet[Offer]:
    """The partner's offers that are active and inside their window at ``now``."""
    return offer_list(principal=principal).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now), status=Offer.Status.ACTIVE, starts_at__lte=now
    )


def spending_90d(*, holder: WalletHolder, now: datetime) -> dict[str, dict[str, int]]:
    """The holder's posted spending in the last 90 days, by currency and category (one indexed range read)."""
    rows = (
        Transaction.objects.filter(
            wallet__holder=holder,
            booked_at__gte=now - TARGETING_WINDOW,
            booked_at__lte=now,
            status=Transaction.Status.POSTED,
            amount__lt=0,
        )
        .values("currency", "category")
        .annotate(total=Sum("amount"))
    )
    spent: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        spent[row["currency"]][row["category"]] = -row["total"]
    return spent


def targets(offer: Offer, spent: dict[str, dict[str, int]]) -> bool:
    """Whether a holder who spent ``spent`` (by currency and category, last 90 days) is in the offer's audience."""
    if not offer.target_categories and not offer.target_min_spend_90d:
        return True
    by_category = spent.get(offer.currency, {})
    categories = offer.target_categories or list(by_category)
    total = sum(by_category.get(c, 0) for c in categories)
    return total > 0 and total >= offer.target_min_spend_90d


def holder_offers(
    *, principal: Principal, holder: WalletHolder, now: datetime
) -> list[tuple[Offer, OfferActivation | None]]:
    """The offers ``holder`` (already checked visible and opted in) may see: the partner's live offers whose
    targeting matches their last 90 days, plus those they activated (with the activation)."""
    activations = {
        a.offer_id: a for a in OfferActivation.objects.filter(holder=holder, offer__partner=principal.partner)
    }
    spent = spending_90d(holder=holder, now=now)
    eligible = []
    for offer in live_offers(principal=principal, now=now).order_by("-pk"):
        activation = activations.get(offer.pk)
        if activation is not None or targets(offer, spent):
            eligible.append((offer, activation))
    return eligible


def audience_estimate(*, principal: Principal, offer: Offer, now: datetime) -> int:
    """How many opted-in holders of the environment (in sandbox, the partner's) the offer's targeting matches
    now: a count over the last 90 days' spending, never who."""
    holders = WalletHolder.objects.filter(
        environment=principal.environment.kind, personalisation=True, status=WalletHolder.Status.ACTIVE
    )
    if principal.is_sandbox:
        holders = holders.filter(partner=principal.partner)
    if not offer.target_categories and not offer.target_min_spend_90d:
        with_wallet = Wallet.objects.filter(currency=offer.currency).exclude(status=Wallet.Status.CLOSED)
        return holders.filter(pk__in=with_wallet.values("holder_id")).count()
    spending = Transaction.objects.filter(
        wallet__holder__in=holders,
        currency=offer.currency,
        booked_at__gte=now - TARGETING_WINDOW,
        booked_at__lte=now,
        status=Transaction.Status.POSTED,
        amount__lt=0,
    )
    if offer.target_categories:
        spending = spending.filter(category__in=offer.target_categories)
    per_holder = spending.values("wallet__holder_id").annotate(total=Sum("amount"), n=Count("pk"))
    return per_holder.filter(total__lte=-max(offer.target_min_spend_90d, 1)).count()
