"""A holder saves an offer to their wallet (``POST /v1/wallet_holders/{id}/offers/{offer}/activate``)."""

from django.db import IntegrityError, transaction

from apps.core import clock
from apps.core.errors import error_type
from apps.core.principal import Principal
from apps.offers.models import Offer, OfferActivation
from apps.offers.selectors.insights import require_personalisation
from apps.offers.selectors.offers import offer_get, spending_90d, targets
from apps.offers.snapshots import status_at
from apps.wallets.selectors import holder_get

OfferNotAvailable = error_type(
    "OfferNotAvailable",
    "offer_not_available",
    422,
    "Offer not available",
    "This offer cannot be activated now.",
    doc="The offer is paused, exhausted, ended or not started, or its targeting does not match the holder.",
)


@transaction.atomic
def offer_activate(*, principal: Principal, holder_id: str, offer_id: str) -> OfferActivation:
    """Save ``offer_id`` to the wallet of ``holder_id`` (idempotent: activating twice returns the first
    activation). Raises ``NotFound`` (holder or offer not visible), ``PersonalisationOff`` and
    ``OfferNotAvailable`` (paused, exhausted, ended, not started or not targeted at this holder)."""
    holder = holder_get(principal=principal, holder_id=holder_id)
    require_personalisation(holder)
    offer = offer_get(principal=principal, offer_id=offer_id)
    existing = OfferActivation.objects.filter(offer=offer, holder=holder).first()
    if existing is not None:
        return existing
    now = clock.now(environment=principal.environment)
    status = status_at(offer, now)
    if status != Offer.Status.ACTIVE or offer.starts_at > now:
        raise OfferNotAvailable(f"Offer {offer.public_id} is {status if status != 'active' else 'not started'}.")
    if not targets(offer, spending_90d(holder=holder, now=now)):
        raise OfferNotAvailable(f"Offer {offer.public_id} is not available to this holder.")
    try:
        with transaction.atomic():
            return OfferActivation.objects.create(offer=offer, holder=holder)
    except IntegrityError:
        return OfferActivation.objects.get(offer=offer, holder=holder)
