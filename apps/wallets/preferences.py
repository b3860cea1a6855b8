"""The holder's personalisation choice (docs/offers.md): whether their spending may be used for insights and
offers. One writer, used by the holder's dashboard and the consent screen; readers filter on
``WalletHolder.personalisation`` so a change counts from the next read."""

from django.db import transaction

from apps.core import clock
from apps.wallets.models import WalletHolder


@transaction.atomic
def personalisation_set(*, holder: WalletHolder, enabled: bool) -> WalletHolder:
    """Turn the holder's personalisation on or off (a no-op when it already is). Invariant: an opted-out holder
    is never counted in an offer audience, shown a targeted offer or given insights, from the moment this
    commits. Raises nothing."""
    locked = WalletHolder.objects.select_for_update().get(pk=holder.pk)
    if locked.personalisation != enabled:
        locked.personalisation = enabled
        locked.personalisation_changed_at = clock.now(environment=_environment(locked))
        locked.save(update_fields=["personalisation", "personalisation_changed_at", "updated_at"])
    holder.personalisation = locked.personalisation
    holder.personalisation_changed_at = locked.personalisation_changed_at
    return holder


def _environment(holder: WalletHolder) -> object:
    if holder.partner_id is None:
        return None
    return holder.partner.environments.filter(kind=holder.environment).first()  # type: ignore[union-attr]
