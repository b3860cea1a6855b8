"""Reads for tenancy and keys."""

from datetime import datetime, timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, QuerySet, Value

from apps.partners.models import ApiKey, Environment, Partner

# A key is "expiring" (in the portal, and for the ``api_key.expiring`` event) this long before it expires.
API_KEY_EXPIRING_WINDOW = timedelta(days=7)


def environment_get(*, partner: Partner, kind: str) -> Environment | None:
    return Environment.objects.filter(partner=partner, kind=kind).first()


def api_key_get_by_digest(*, digest: str) -> ApiKey | None:
    return ApiKey.objects.select_related("partner", "environment").filter(digest=digest).first()


def api_key_list(*, partner: Partner, environment: Environment) -> QuerySet[ApiKey]:
    """The team's keys of one partner environment, newest first (not the API explorer's)."""
    return (
        ApiKey.objects.filter(partner=partner, environment=environment, explorer=False)
        .select_related("rolled_to")
        .order_by("-created_at", "-pk")
    )


def api_key_get(*, partner: Partner, environment: Environment, public_id: str) -> ApiKey | None:
    """One of the team's keys of this partner environment; None for an unknown id, another partner's or
    environment's key, or the API explorer's."""
    return (
        ApiKey.objects.select_related("partner", "environment", "rolled_to")
        .filter(partner=partner, environment=environment, public_id=public_id, explorer=False)
        .first()
    )


def api_key_expiring_ids(*, now: datetime, within: timedelta = API_KEY_EXPIRING_WINDOW) -> list[int]:
    """Ids of unrevoked keys not yet notified whose expiry is in the future but within ``within``, soonest first.

    ``now`` is real time; each key is judged on its environment's clock (real time plus the sandbox's
    ``clock_offset``, which is always zero in live), as ``apps.core.clock.now(environment=...)`` would.
    """
    environment_now = ExpressionWrapper(Value(now) + F("environment__clock_offset"), output_field=DateTimeField())
    return list(
        ApiKey.objects.filter(
            revoked_at__isnull=True, expiring_notified_at__isnull=True, expires_at__isnull=False, explorer=False
        )
        .alias(environment_now=environment_now)
        .filter(expires_at__gt=F("environment_now"), expires_at__lte=F("environment_now") + Value(within))
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)
    )
