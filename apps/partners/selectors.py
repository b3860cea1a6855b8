"""Reads for tenancy and keys."""

from django.db.models import QuerySet

from apps.partners.models import ApiKey, Environment, Partner


def environment_get(*, partner: Partner, kind: str) -> Environment | None:
    return Environment.objects.filter(partner=partner, kind=kind).first()


def api_key_get_by_digest(*, digest: str) -> ApiKey | None:
    return ApiKey.objects.select_related("partner", "environment").filter(digest=digest).first()


def api_key_list(*, partner: Partner, environment: Environment) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(partner=partner, environment=environment)
