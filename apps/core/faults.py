"""Fault injection for a partner's own sandbox requests, to test its retry code: the ``Causeway-Sandbox-Fault``
header (``latency=300``, ``status=500|503|429``, ``rate=0.1``; several joined by ``,`` or ``;``) makes Causeway
wait and/or answer an error before the request is processed (so nothing changes). Without the header, the
sandbox's own fault setting applies (``Environment.sandbox_fault``, set in the portal or with
``POST /v1/sandbox/faults``; a request's header wins over it). Never honoured in live: there the header is
ignored and the setting cannot exist. The request log marks an injected request (``sandbox_fault``, with
`` (setting)`` when it came from the setting) and the response carries ``Causeway-Sandbox-Fault-Injected``.

Runs as the last permission check of every API view (``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``), after
authentication, so it knows the credential's environment."""

import random
import time
from dataclasses import dataclass
from typing import Any

from rest_framework.permissions import BasePermission

from apps.core.errors import error_type
from apps.core.principal import Principal

HEADER = "Causeway-Sandbox-Fault"
INJECTED_HEADER = "Causeway-Sandbox-Fault-Injected"
STATUSES = (500, 503, 429)
MAX_LATENCY_MS = 10_000

SandboxFaultInvalid = error_type(
    "SandboxFaultInvalid",
    "sandbox_fault_invalid",
    400,
    "Invalid fault header",
    "Causeway-Sandbox-Fault takes latency=<0-10000 ms>, status=<500|503|429> and rate=<0-1>.",
)
SandboxFaultInjected = error_type(
    "SandboxFaultInjected",
    "sandbox_fault_injected",
    503,
    "Injected fault",
    "This error was injected by the Causeway-Sandbox-Fault header; the request was not processed.",
    doc="Sandbox only: the status the Causeway-Sandbox-Fault header asked for (500, 503 or 429).",
)


@dataclass(frozen=True)
class Fault:
    latency_ms: int = 0
    status: int | None = None
    rate: float = 1.0

    def describe(self) -> str:
        parts = [f"latency={self.latency_ms}"] if self.latency_ms else []
        return ", ".join([*parts, f"status={self.status}"] if self.status else parts)

    def setting(self) -> str:
        """The fault as a header value that gives it back (``parse(fault.setting()) == fault``)."""
        return self.describe() + (f", rate={self.rate:g}" if self.rate != 1 else "")


def fault_of(*, latency_ms: int = 0, status: int | None = None, rate: float = 1.0) -> Fault:
    """A valid fault, or ``SandboxFaultInvalid`` naming each field that is out of range."""
    errors = []
    if not 0 <= latency_ms <= MAX_LATENCY_MS:
        errors.append(("latency_ms", f"Between 0 and {MAX_LATENCY_MS} ms."))
    if status is not None and status not in STATUSES:
        errors.append(("status", "One of 500, 503 and 429."))
    if not 0 <= rate <= 1:
        errors.append(("rate", "Between 0 and 1."))
    if not errors and not latency_ms and status is None:
        errors.append(("status", "Ask for a latency, a status or both."))
    if errors:
        raise SandboxFaultInvalid(
            errors=[{"field": field, "code": "sandbox_fault_invalid", "message": message} for field, message in errors]
        )
    return Fault(latency_ms=latency_ms, status=status, rate=rate)


def parse(value: str) -> Fault:
    """The fault a header value asks for; raises ``SandboxFaultInvalid``."""
    fields: dict[str, str] = {}
    for part in value.replace(";", ",").split(","):
        name, sep, raw = part.strip().partition("=")
        if not part.strip():
            continue
        if not sep or name.strip() not in ("latency", "status", "rate") or name.strip() in fields:
            raise SandboxFaultInvalid()
        fields[name.strip()] = raw.strip()
    try:
        latency = int(fields.get("latency", "0"))
        status = int(fields["status"]) if "status" in fields else None
        rate = float(fields.get("rate", "1"))
    except ValueError as error:
        raise SandboxFaultInvalid() from error
    return fault_of(latency_ms=latency, status=status, rate=rate)


def _draw() -> float:
    """The draw a fault's ``rate`` is compared with (tests replace it with a seeded generator)."""
    return random.random()  # noqa: S311 - a test aid, not security


class SandboxFaults(BasePermission):
    """Apply a sandbox credential's ``Causeway-Sandbox-Fault`` header, or else its sandbox's fault setting; allow
    everything else through. A view with ``sandbox_fault_setting_applies = False`` (the one that changes the
    setting) is spared the setting, so a sandbox can always turn it off."""

    def has_permission(self, request: Any, view: Any) -> bool:
        principal = request.auth
        if not isinstance(principal, Principal) or principal.environment.kind != "sandbox":
            return True
        value, source = request.headers.get(HEADER), ""
        if not value and getattr(view, "sandbox_fault_setting_applies", True):
            value, source = getattr(principal.environment, "sandbox_fault", ""), " (setting)"
        if not value:
            return True
        fault = parse(value)
        if _draw() >= fault.rate:
            return True
        # Marked for the request log and the response (apps.partners.request_logs).
        request._request.sandbox_fault = fault.describe() + source
        if fault.latency_ms:
            time.sleep(fault.latency_ms / 1000)
        if fault.status is not None:
            headers = {"Retry-After": "1"} if fault.status == 429 else None
            raise SandboxFaultInjected(status=fault.status, headers=headers)
        return True
