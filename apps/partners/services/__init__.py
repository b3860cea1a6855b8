"""Partner writes: ``partners`` (partners, environments), ``api_keys``, ``teams`` (invitations and members),
``live_access`` (requests and staff decisions) and ``audit`` (the audit log every write records to).

Partners and API keys are what other apps, the sandbox and tests create first; their services are exposed here."""

from apps.partners.services.api_keys import (
    API_KEY_MAX_ROLL_GRACE,
    ApiKeyNotRollable,
    EnvironmentNotOpen,
    InvalidScopes,
    IssuedKey,
    RollGraceInvalid,
    api_key_cache_key,
    api_key_create,
    api_key_revoke,
    api_key_roll,
    api_key_touch,
    explorer_key_issue,
    explorer_key_revoke,
)
from apps.partners.services.partners import (
    live_environment_open,
    partner_api_version_upgrade,
    partner_create,
    partner_settings_update,
)
from apps.partners.services.sandbox import (
    SandboxBusy,
    SandboxClockInvalid,
    sandbox_clock_advance,
    sandbox_fault_set,
    sandbox_reset_request,
    sandbox_seed_finish,
    sandbox_seed_request,
    sandbox_seed_stale,
    sandbox_seed_start,
)

__all__ = [
    "API_KEY_MAX_ROLL_GRACE",
    "ApiKeyNotRollable",
    "EnvironmentNotOpen",
    "InvalidScopes",
    "IssuedKey",
    "RollGraceInvalid",
    "SandboxBusy",
    "SandboxClockInvalid",
    "api_key_cache_key",
    "api_key_create",
    "api_key_revoke",
    "api_key_roll",
    "api_key_touch",
    "explorer_key_issue",
    "explorer_key_revoke",
    "live_environment_open",
    "partner_api_version_upgrade",
    "partner_create",
    "partner_settings_update",
    "sandbox_clock_advance",
    "sandbox_fault_set",
    "sandbox_reset_request",
    "sandbox_seed_finish",
    "sandbox_seed_request",
    "sandbox_seed_stale",
    "sandbox_seed_start",
]
