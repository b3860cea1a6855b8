"""The audit log's one recording function. Every security-relevant action goes through ``record``: sign-in,
MFA changes, member changes, key and app creation/rotation/revocation, live-access decisions and (later)
webhook endpoint changes. Never pass secrets in ``metadata``."""

from typing import Any

from apps.core import clock
from apps.partners.models import AuditEvent, Partner


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    partner: Partner | None = None,
    actor: Any = None,
    request: Any = None,
    target: Any = None,
    environment: Any = None,
    metadata: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row. ``target`` is any object with ``public_id`` (its ``object_name`` is the type)."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    actor_email = getattr(actor, "email", "") or ""
    if (
        partner is not None
        and getattr(actor, "is_staff", False)
        and not partner.memberships.filter(user=actor).exists()
    ):
        # Partners see bank staff decisions, not the staff member's address.
        actor_email = "Causeway staff"
    return AuditEvent.objects.create(
        partner=partner,
        actor=actor,
        actor_email=actor_email,
        action=action,
        target_type=(getattr(target, "object_name", "") or type(target).__name__.lower()) if target is not None else "",
        target_id=getattr(target, "public_id", None) or getattr(target, "client_id", "") or "",
        environment=getattr(environment, "kind", environment or "") or "",
        ip_address=_client_ip(request),
        user_agent=(request.headers.get("User-Agent", "")[:300] if request is not None else ""),
        metadata=metadata or {},
        created_at=clock.now(),
    )
