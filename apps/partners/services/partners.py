"""Writes of partners and their environments."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.core import versioning
from apps.partners.models import Environment, Membership, Partner
from apps.partners.services import audit
from apps.partners.services.sandbox import sandbox_key_cache_drop, sandbox_seed_request

User = get_user_model()


@transaction.atomic
def partner_create(*, name: str, owner: "User | None" = None, seed: bool = False) -> Partner:  # type: ignore[valid-type]
    """Create a partner with its sandbox environment; ``owner`` (if given) becomes its owner member. ``seed``
    (sign-up does) queues the seeding of the sandbox's fake bank data in the worker once this commits."""
    partner = Partner.objects.create(name=name, api_version=versioning.LATEST)
    sandbox = Environment.objects.create(partner=partner, kind=Environment.Kind.SANDBOX)
    if seed:
        sandbox_seed_request(environment=sandbox)
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
def partner_api_version_upgrade(*, partner: Partner, request: Any = None) -> list[versioning.Change]:
    """Pin ``partner`` to the latest API version and audit ``partner.api_version_upgraded``; returns the changes
    its requests now see (none, and nothing written, when it already is on the latest). Webhook endpoints keep
    their own ``api_version``: each is upgraded separately (docs/versioning.md)."""
    changes = versioning.changes_since(partner.api_version)
    if partner.api_version == versioning.LATEST:
        return []
    previous = partner.api_version
    partner.api_version = versioning.LATEST
    partner.save(update_fields=["api_version", "updated_at"])
    for environment in partner.environments.all():
        # A cached key holds its partner, pinned version included: the next request must see the new one.
        sandbox_key_cache_drop(environment=environment)
    audit.record(
        action="partner.api_version_upgraded",
        partner=partner,
        request=request,
        target=partner,
        metadata={"from": previous, "to": versioning.LATEST},
    )
    return changes


@transaction.atomic
def live_environment_open(*, partner: Partner) -> Environment:
    """Open the partner's live environment (bank staff approval calls this). Idempotent."""
    environment, _ = Environment.objects.get_or_create(partner=partner, kind=Environment.Kind.LIVE)
    return environment
