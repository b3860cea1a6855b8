"""Removing a sandbox's offers (a sandbox reset): its redemptions, activations, offers and funding, before the
ledger's own purge removes the holders and journals they point at."""

from apps.offers.models import Offer, OfferActivation, OfferFunding, OfferRedemption, PointsRedemption
from apps.partners.models import Environment


def offers_purge(*, environment: Environment) -> None:
    """Delete the environment's offers rows (sandbox resets only). Runs inside the caller's transaction."""
    if environment.kind != "sandbox":
        raise ValueError("only a sandbox's offers are purged")
    OfferRedemption.objects.filter(offer__environment=environment).delete()
    PointsRedemption.objects.filter(environment=environment).delete()
    OfferActivation.objects.filter(offer__environment=environment).delete()
    Offer.objects.filter(environment=environment).delete()
    OfferFunding.objects.filter(environment=environment).delete()
