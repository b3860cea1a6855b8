"""The API's one scope check, the default permission class of every API view.

Every API view declares ``required_scopes``: a tuple (possibly empty), or a dict per HTTP method (``HEAD`` takes
``GET``'s; a method it does not name needs none, and answers 405 if the view lacks it). A view may say where the
scopes it checks come from with ``scopes_held(principal)`` (by default the credential's own; the holder-data
views use what the holder consented to, or what a sandbox key holds over its personas) and add a sentence to
the refusal with ``scope_hint(principal)``. A missing scope is a 403 ``insufficient_scope`` naming what is
missing in ``detail`` and ``required_scopes``, raised before the view looks anything up, so it says nothing
about ids.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework.permissions import BasePermission

from apps.core.errors import InsufficientScope
from apps.core.principal import Principal

ScopeDeclaration = tuple[str, ...] | Mapping[str, tuple[str, ...]]


def scopes_required(view: Any, method: str) -> tuple[str, ...]:
    """The scopes ``view`` requires for ``method``."""
    declared: ScopeDeclaration | None = getattr(view, "required_scopes", None)
    if declared is None:
        raise AssertionError(f"{type(view).__name__} must declare required_scopes")
    if isinstance(declared, Mapping):
        if method == "HEAD" and method not in declared:
            method = "GET"
        return tuple(declared.get(method, ()))
    return tuple(declared)


class HasRequiredScopes(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        principal = request.auth
        if not isinstance(principal, Principal):
            return False  # DRF turns this into 401 because no authenticator succeeded
        required = scopes_required(view, request.method)
        scopes_held = getattr(view, "scopes_held", None)
        held = scopes_held(principal) if scopes_held is not None else principal.scopes
        missing = sorted(set(required) - held)
        if missing:
            scope_hint = getattr(view, "scope_hint", None)
            hint = scope_hint(principal) if scope_hint is not None else ""
            raise InsufficientScope(
                f"This credential lacks the scope(s) {', '.join(missing)}.{hint}", extra={"required_scopes": missing}
            )
        return True
