"""What each team role may do in the portal. The table is documented in docs/portal/team.md; keep them in step.

Viewers see everything except secrets and change nothing. Only owners and admins manage members, team
settings and the audit log; only the owner requests live access and transfers ownership.
"""

from apps.partners.models import Membership

OWNER, ADMIN, DEVELOPER, VIEWER = (
    Membership.Role.OWNER,
    Membership.Role.ADMIN,
    Membership.Role.DEVELOPER,
    Membership.Role.VIEWER,
)

PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({OWNER, ADMIN, DEVELOPER, VIEWER}),
    "view_request_bodies": frozenset({OWNER, ADMIN, DEVELOPER}),
    "manage_keys": frozenset({OWNER, ADMIN, DEVELOPER}),
    "manage_apps": frozenset({OWNER, ADMIN, DEVELOPER}),
    "manage_webhooks": frozenset({OWNER, ADMIN, DEVELOPER}),
    "manage_offers": frozenset({OWNER, ADMIN, DEVELOPER}),
    "manage_sandbox": frozenset({OWNER, ADMIN, DEVELOPER}),
    "manage_members": frozenset({OWNER, ADMIN}),
    "manage_settings": frozenset({OWNER, ADMIN}),
    "view_audit_log": frozenset({OWNER, ADMIN}),
    "request_live_access": frozenset({OWNER}),
    "transfer_ownership": frozenset({OWNER}),
}


def can(membership: Membership | None, permission: str) -> bool:
    if membership is None:
        return False
    return membership.role in PERMISSIONS[permission]
