"""Scope checks. Every API view declares ``required_scopes`` (possibly empty); a missing scope is a 403
``insufficient_scope`` naming what is missing."""

from typing import Any

from rest_framework.permissions import BasePermission

from apps.core.principal import Principal


class HasRequiredScopes(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        principal = request.auth
        if not isinstance(principal, Principal):
            return False  # DRF turns this into 401 because no authenticator succeeded
        required = getattr(view, "required_scopes", None)
        if required is None:
            raise AssertionError(f"{type(view).__name__} must declare required_scopes")
        if isinstance(required, dict):
            required = required.get(request.method, ())
        principal.require_scopes(*required)
        return True
