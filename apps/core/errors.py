"""Domain errors. Each has a stable ``code`` and an HTTP ``status``; the exception handler renders them as
``application/problem+json``. Define subclasses beside the service that raises them::

    class InsufficientFunds(ApplicationError):
        code = "insufficient_funds"
        status = 422
        title = "Insufficient funds"
"""

from typing import Any


class ApplicationError(Exception):
    code: str = "application_error"
    status: int = 422
    title: str = "Request refused"
    default_detail: str = "The request could not be completed."

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
        self.headers = headers or {}
        self.extra = extra or {}
        super().__init__(self.detail)


class BadRequest(ApplicationError):
    code = "bad_request"
    status = 400
    title = "Bad request"


class NotFound(ApplicationError):
    """Not found, or not visible to this credential: both look the same to the caller."""

    code = "resource_missing"
    status = 404
    title = "Not found"
    default_detail = "No such object."


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    title = "Conflict"


class InsufficientScope(ApplicationError):
    code = "insufficient_scope"
    status = 403
    title = "Insufficient scope"


class Unauthenticated(ApplicationError):
    code = "authentication_required"
    status = 401
    title = "Unauthenticated"
    default_detail = "Provide a secret key: `Authorization: Bearer cw_sk_...`."
