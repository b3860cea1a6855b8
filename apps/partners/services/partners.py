"""Writes of partners and their environments."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from apps.partners.models import Environment, Membership, Partner

User = get_user_model()


@transaction.atomic
def partner_create(*, name: str, owner: "User | None" = None) -> Partner:  # type: ignore[valid-type]
    """Create a partner with its sandbox environment; ``owner`` (if given) becomes its owner member."""
    partner = Partner.objects.create(name=name, api_version=settings.DEFAULT_API_VERSION)
    Environment.objects.create(partner=partner, kind=Environment.Kind.SANDBOX)
    if owner is not None:
        Membership.objects.create(partner=partner, user=owner, role=Membership.Role.OWNER)
    return partner


def partner_settings_update(*, partner: Partner, name: str, mfa_required: bool) -> Partner:
    """Rename the partner or change whether its members must use two-factor authentication."""
    partner.name = name
    partner.mfa_required = mfa_required
    partner.save(update_fields=["name", "mfa_required", "updated_at"])
    return partner


@transaction.atomic
def live_environment_open(*, partner: Partner) -> Environment:
    """Open the partner's live environment (bank staff approval calls this). Idempotent."""
    environment, _ = Environment.objects.get_or_create(partner=partner, kind=Environment.Kind.LIVE)
    return environment
