"""Writes of webhook endpoints: create, update, delete, rotate the secret, disable (by hand, or automatically when
a receiver answers 410 or keeps failing).

Every change to an endpoint is written to the audit log in the same transaction. Secrets are encrypted at rest
(``apps.wallets.crypto``) and never logged or written to the audit log.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from apps.core import clock, http
from apps.core.errors import ApplicationError, BadRequest, error_type
from apps.core.principal import Principal
from apps.events.services import record
from apps.events.types import EVENT_TYPES
from apps.partners.models import Membership
from apps.partners.services import audit
from apps.wallets import crypto
from apps.webhooks.models import WebhookDelivery, WebhookEndpoint
from apps.webhooks.signing import new_secret
from apps.webhooks.snapshots import endpoint_event_snapshot

logger = structlog.get_logger(__name__)

MAX_ROTATION_WINDOW = timedelta(days=7)


EndpointLimitReached = error_type(
    "EndpointLimitReached", "webhook_endpoint_limit_reached", 422, "Too many webhook endpoints"
)


def field_error(field: str, code: str, message: str) -> ApplicationError:
    return BadRequest(
        f"Some parameters are invalid. {field}: {message}",
        code="parameter_invalid",
        errors=[{"field": field, "code": code, "message": message}],
    )


def validate_url(url: str) -> None:
    """The SSRF guard at registration (it runs again before every send). Raises a 400 naming ``url``."""
    try:
        http.check_url(url)
    except http.UnsafeUrl as exc:
        raise field_error("url", exc.code, exc.detail) from None


def validate_event_types(types: list[str], *, field: str = "enabled_events", allow_wildcard: bool = True) -> list[str]:
    if allow_wildcard and "*" in types:
        if len(types) > 1:
            raise field_error(field, "parameter_invalid", '"*" subscribes to everything: send it alone.')
        return ["*"]
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise field_error(field, "event_type_unknown", f"Unknown event type(s): {', '.join(unknown)}.")
    return sorted(set(types))


def signing_secrets(endpoint: WebhookEndpoint, *, now: datetime) -> list[str]:
    """The secrets to sign with now: the current one, and the previous one while its rotation window lasts."""
    current = [crypto.decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.previous_secret_encrypted
        and endpoint.previous_secret_expires_at is not None
        and endpoint.previous_secret_expires_at > now
    ):
        current.append(crypto.decrypt(endpoint.previous_secret_encrypted))
    return current


def current_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret_encrypted)


def audit_endpoint(
    action: str, endpoint: WebhookEndpoint, *, request: Any = None, metadata: dict[str, Any] | None = None
):
    metadata = dict(metadata or {})
    principal = getattr(request, "user", None)
    if isinstance(principal, Principal):
        # An API call: the actor is the credential (its public id), not a user.
        metadata["credential"] = principal.credential_id
        request = None
    audit.record(
        action=action,
        partner=endpoint.partner,
        request=request,
        target=endpoint,
        environment=endpoint.environment,
        metadata=metadata,
    )


@transaction.atomic
def endpoint_create(
    *,
    partner: Any,
    environment: Any,
    url: str,
    enabled_events: list[str],
    description: str = "",
    api_version: str | None = None,
    metadata: dict[str, str] | None = None,
    request: Any = None,
) -> WebhookEndpoint:
    """Register an endpoint with a fresh secret, readable once as ``endpoint.secret``. The URL must pass the SSRF
    guard now. Raises ``BadRequest`` (url, enabled_events) or ``EndpointLimitReached``."""
    validate_url(url)
    events = validate_event_types(enabled_events)
    if WebhookEndpoint.objects.filter(environment=environment).count() >= settings.WEBHOOK_MAX_ENDPOINTS:
        raise EndpointLimitReached(
            f"An environment can have at most {settings.WEBHOOK_MAX_ENDPOINTS} webhook endpoints; delete one first."
        )
    secret = new_secret()
    endpoint = WebhookEndpoint.objects.create(
        partner=partner,
        environment=environment,
        url=url,
        description=description,
        enabled_events=events,
        api_version=api_version or partner.api_version,
        metadata=metadata or {},
        secret_encrypted=crypto.encrypt(secret),
    )
    endpoint.secret = secret  # type: ignore[attr-defined]
    audit_endpoint(
        "webhook_endpoint.created", endpoint, request=request, metadata={"url": url, "enabled_events": events}
    )
    return endpoint


_UPDATABLE = ("url", "enabled_events", "description", "api_version", "metadata")


@transaction.atomic
def endpoint_update(*, endpoint: WebhookEndpoint, changes: dict[str, Any], request: Any = None) -> WebhookEndpoint:
    """Change some of url, enabled_events, description, api_version, metadata and disabled. A new URL passes the
    SSRF guard first. Enabling a disabled endpoint clears its failure run."""
    endpoint = WebhookEndpoint.objects.select_for_update().select_related("partner", "environment").get(pk=endpoint.pk)
    if "url" in changes:
        validate_url(changes["url"])
    if "enabled_events" in changes:
        changes["enabled_events"] = validate_event_types(changes["enabled_events"])
    changed: list[str] = []
    for name in _UPDATABLE:
        if name in changes and getattr(endpoint, name) != changes[name]:
            setattr(endpoint, name, changes[name])
            changed.append(name)
    if "disabled" in changes and changes["disabled"] != endpoint.disabled:
        if changes["disabled"]:
            _disable(endpoint, reason=WebhookEndpoint.DisabledReason.MANUAL)
        else:
            endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since = None, "", None
        changed.append("disabled")
    if changed:
        endpoint.save()
        metadata: dict[str, Any] = {"changed": changed}
        if "url" in changed:
            metadata["url"] = endpoint.url
        audit_endpoint("webhook_endpoint.updated", endpoint, request=request, metadata=metadata)
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, request: Any = None) -> None:
    """Delete the endpoint with its deliveries and attempt log. The audit row stays."""
    audit_endpoint("webhook_endpoint.deleted", endpoint, request=request, metadata={"url": endpoint.url})
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, previous_valid_for: timedelta = timedelta(hours=24), request: Any = None
) -> WebhookEndpoint:
    """Give the endpoint a new secret (readable once as ``endpoint.secret``). For ``previous_valid_for`` (at most
    7 days; 0 ends it at once) every message carries a signature under each secret, so a receiver can switch
    secrets without dropping one."""
    if not timedelta(0) <= previous_valid_for <= MAX_ROTATION_WINDOW:
        raise field_error("previous_secret_expires_in", "parameter_invalid", "Must be between 0 and 604800 seconds.")
    endpoint = WebhookEndpoint.objects.select_for_update().select_related("partner", "environment").get(pk=endpoint.pk)
    now = clock.now()
    secret = new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = now + previous_valid_for
    endpoint.secret_encrypted = crypto.encrypt(secret)
    endpoint.save()
    endpoint.secret = secret  # type: ignore[attr-defined]
    audit_endpoint(
        "webhook_endpoint.secret_rotated",
        endpoint,
        request=request,
        metadata={"previous_secret_expires_at": clock.rfc3339(endpoint.previous_secret_expires_at)},
    )
    return endpoint


def _disable(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """Mark disabled and cancel what it was still owed (inside the caller's transaction; the caller saves)."""
    endpoint.disabled_at = clock.now()
    endpoint.disabled_reason = reason
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.CANCELED, next_attempt_at=None, last_error="endpoint_disabled"
    )


def endpoint_disable_automatically(*, endpoint_id: int, reason: str) -> bool:
    """Disable an endpoint the platform gave up on (``gone``: it answered 410; ``failing``: it failed for
    ``WEBHOOK_DISABLE_AFTER_DAYS``). Records ``webhook_endpoint.disabled`` and e-mails the team's owners and
    admins once. False when it was already disabled."""
    with transaction.atomic():
        endpoint = (
            WebhookEndpoint.objects.select_for_update()
            .select_related("partner", "environment")
            .filter(pk=endpoint_id, disabled_at__isnull=True)
            .first()
        )
        if endpoint is None:
            return False
        _disable(endpoint, reason=reason)
        endpoint.save(update_fields=["disabled_at", "disabled_reason", "updated_at"])
        audit_endpoint("webhook_endpoint.disabled", endpoint, metadata={"reason": reason})
        record(
            type="webhook_endpoint.disabled",
            partner=endpoint.partner,
            environment=endpoint.environment,
            obj=endpoint,
            data=endpoint_event_snapshot(endpoint),
        )
        transaction.on_commit(lambda: _email_disabled(endpoint))
    logger.warning("webhook_endpoint_disabled", endpoint=endpoint.public_id, reason=reason)
    return True


def disable_failing_endpoints(*, endpoint_ids: Iterable[int] | None = None) -> int:
    """Disable every (or each given) endpoint whose current run of failures began ``WEBHOOK_DISABLE_AFTER_DAYS``
    ago or more."""
    cutoff = clock.now() - timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS)
    stale = WebhookEndpoint.objects.filter(disabled_at__isnull=True, failing_since__lte=cutoff)
    if endpoint_ids is not None:
        stale = stale.filter(pk__in=list(endpoint_ids))
    return sum(
        endpoint_disable_automatically(endpoint_id=pk, reason=WebhookEndpoint.DisabledReason.FAILING)
        for pk in stale.values_list("pk", flat=True)
    )


def _email_disabled(endpoint: WebhookEndpoint) -> None:
    recipients = list(
        Membership.objects.filter(
            partner=endpoint.partner, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
        ).values_list("user__email", flat=True)
    )
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    why = (
        "it answered 410 Gone"
        if endpoint.disabled_reason == WebhookEndpoint.DisabledReason.GONE
        else f"every delivery to it failed for {settings.WEBHOOK_DISABLE_AFTER_DAYS} days"
    )
    body = (
        f"We stopped sending events to your {endpoint.environment.kind} webhook endpoint {endpoint.public_id} "
        f"({endpoint.url}) because {why}.\n\nFix the receiver, then enable the endpoint again in the portal "
        '(Webhooks) or with PATCH /v1/webhook_endpoints/{id} {"disabled": false}. Events from while it was '
        "disabled can be replayed from the portal or with POST /v1/webhook_endpoints/{id}/replay.\n"
    )
    try:
        send_mail(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Webhook endpoint disabled", body, None, recipients)
    except Exception:
        logger.exception("webhook_disabled_email_failed", endpoint=endpoint.public_id)


def endpoint_secrets_reencrypt(*, batch_size: int = 500) -> int:
    """After a new key was put first in ``FIELD_ENCRYPTION_KEYS``: re-encrypt every signing secret (current and
    previous) still under an older key, so the old keys can be dropped. Returns how many endpoints changed.
    Safe to re-run (and to run beside deliveries: a secret decrypts under either key meanwhile)."""
    changed = 0
    last_pk = 0
    while True:
        batch = list(
            WebhookEndpoint.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "secret_encrypted", "previous_secret_encrypted")[:batch_size]
        )
        if not batch:
            return changed
        last_pk = batch[-1].pk
        with transaction.atomic():
            for endpoint in batch:
                fields = {}
                for name in ("secret_encrypted", "previous_secret_encrypted"):
                    token = getattr(endpoint, name)
                    if token and not crypto.encrypted_with_current_key(token):
                        fields[name] = crypto.reencrypt(token)
                if fields:
                    # Only where the token is still the one read: a rotation meanwhile already wrote a fresh one.
                    WebhookEndpoint.objects.filter(pk=endpoint.pk, secret_encrypted=endpoint.secret_encrypted).update(
                        **fields
                    )
                    changed += 1
