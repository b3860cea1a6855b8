"""Consents and mandates as the API, the events and the holder's pages show them (``GET /v1/consents/{id}``,
``consent.*`` events). Built from rows already loaded: a caller that renders many consents prefetches
``wallets`` and ``mandates`` and selects ``application``, ``holder`` and ``environment``."""

from typing import Any

from apps.core import clock
from apps.oauth_clients.models import Consent, Mandate


def mandate_snapshot(mandate: Mandate) -> dict[str, Any]:
    return {
        "id": mandate.public_id,
        "object": "mandate",
        "kind": mandate.kind,
        "payee": mandate.payee or None,
        "payee_name": mandate.payee_name or None,
        "currency": mandate.currency,
        "amount": mandate.amount,
        "max_per_payment": mandate.max_per_payment,
        "max_per_period": mandate.max_per_period,
        "period": mandate.period or None,
        "step_up_threshold": mandate.step_up_threshold,
        "expires_at": clock.rfc3339(mandate.expires_at),
        "used_at": clock.rfc3339(mandate.used_at),
        "created_at": clock.rfc3339(mandate.created_at),
    }


def consent_snapshot(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.public_id,
        "object": "consent",
        "environment": consent.environment.kind,
        "status": consent.status,
        "application": consent.application.client_id,
        "holder": consent.holder.public_id,
        "wallets": sorted(wallet.public_id for wallet in consent.wallets.all()),
        "scopes": sorted(consent.scopes),
        "mandates": [mandate_snapshot(m) for m in sorted(consent.mandates.all(), key=lambda m: m.pk)],
        "expires_at": clock.rfc3339(consent.expires_at),
        "authorized_at": clock.rfc3339(consent.authorized_at),
        "revoked_at": clock.rfc3339(consent.revoked_at),
        "revoked_by": consent.revoked_by or None,
        "created_at": clock.rfc3339(consent.created_at),
    }
