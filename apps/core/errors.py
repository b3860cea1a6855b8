"""Domain errors. Each has a stable ``code``, an HTTP ``status``, a ``title`` and a default ``detail``; the
exception handler renders them as ``application/problem+json``. Declare one beside the service that raises it,
with ``error_type`` (one line of data, a real subclass: ``except`` and ``raise`` work as with any class)::

    InsufficientFunds = error_type(
        "InsufficientFunds", "insufficient_funds", 422, "Insufficient funds",
        "The wallet's available balance does not cover this amount.",
    )
    raise InsufficientFunds(f"Wallet {wallet.public_id} has 1200 available.", errors=[...], extra={...})

Every declared error is listed in the reference, docs/errors.md, generated from this registry by
``manage.py errors_reference`` (``make errors``); a test fails when the committed page is stale.
"""

import importlib
import pkgutil
import sys
from collections.abc import Mapping
from typing import Any, TypeVar, overload


class ApplicationError(Exception):
    code: str = "application_error"
    status: int = 422
    title: str = "Request refused"
    default_detail: str = "The request could not be completed."
    default_headers: Mapping[str, str] = {}

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.errors = errors or []
        self.headers = {**self.default_headers, **headers} if headers else dict(self.default_headers)
        self.extra = extra or {}
        super().__init__(self.detail)


_registry: list[type[ApplicationError]] = []


E = TypeVar("E", bound=ApplicationError)


@overload
def error_type(
    name: str, code: str, status: int, title: str, detail: str | None = ..., *, base: type[E], **attributes: Any
) -> type[E]: ...


@overload
def error_type(
    name: str, code: str, status: int, title: str, detail: str | None = ..., **attributes: Any
) -> type[ApplicationError]: ...


def error_type(
    name: str,
    code: str,
    status: int,
    title: str,
    detail: str | None = None,
    *,
    base: type[ApplicationError] = ApplicationError,
    doc: str | None = None,
    **attributes: Any,
) -> type[ApplicationError]:
    """Declare an error: a subclass of ``base`` named ``name`` (the name it is bound to, as with ``namedtuple``),
    registered for the reference. ``detail`` is the default detail (without one, ``base``'s); ``doc`` says when it
    is raised, for the reference and the class docstring; ``attributes`` are further class attributes (a
    ``TeamError``'s ``field``, ``default_headers``)."""
    namespace: dict[str, Any] = {
        "code": code,
        "status": status,
        "title": title,
        # The declaring module, so the class pickles, and tracebacks and the reference name it where it lives.
        "__module__": sys._getframe(1).f_globals.get("__name__", __name__),
        "__qualname__": name,
        "__doc__": doc,
        **attributes,
    }
    if detail is not None:
        namespace["default_detail"] = detail
    error = type(name, (base,), namespace)
    _registry.append(error)
    return error


def declared_errors() -> list[type[ApplicationError]]:
    """Every error declared with ``error_type`` in ``apps``, in declaration order. Imports each module of the
    ``apps`` package first, so the list does not depend on what the caller happened to import."""
    import apps

    for module in pkgutil.walk_packages(apps.__path__, prefix="apps."):
        if ".migrations" not in module.name and ".management.commands" not in module.name:
            importlib.import_module(module.name)
    return list(_registry)


BadRequest = error_type("BadRequest", "bad_request", 400, "Bad request")
NotFound = error_type(
    "NotFound",
    "resource_missing",
    404,
    "Not found",
    "No such object.",
    doc="Not found, or not visible to this credential: both look the same to the caller.",
)
Conflict = error_type("Conflict", "conflict", 409, "Conflict")


def referenced_object_missing(field: str, message: str) -> ApplicationError:
    """A parameter (query string or body) names an object this credential cannot see: a 404 naming the field,
    as for an id in the path (a well-formed request about something that is not there, or not yours)."""
    return NotFound(f"{field}: {message}", errors=[{"field": field, "code": "resource_missing", "message": message}])


InvalidStateTransition = error_type(
    "InvalidStateTransition",
    "invalid_state_transition",
    409,
    "Invalid state transition",
    doc="The object's state does not allow this (cancel a settled transfer, reverse a failed one).",
)
InsufficientScope = error_type(
    "InsufficientScope",
    "insufficient_scope",
    403,
    "Insufficient scope",
    doc="The credential lacks a scope; `required_scopes` lists the missing ones.",
)
Unauthenticated = error_type(
    "Unauthenticated",
    "authentication_required",
    401,
    "Unauthenticated",
    "Provide a secret key: `Authorization: Bearer cw_sk_...`.",
)
