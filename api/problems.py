"""Errors that the HTTP layer raises itself, before a command runs."""

from __future__ import annotations

from domain.errors import AccessDeniedError, InvalidInputError, LedgerError


class MissingApiTokenError(AccessDeniedError):
    """Raised when a request carries no API token."""


class AdminTokenRequiredError(AccessDeniedError):
    """Raised when an admin call lacks the admin bearer token or carries a wrong one."""


class ScopePermissionDeniedError(AccessDeniedError):
    """Raised when the client lacks the scope that the endpoint needs."""


class ExternalServiceAccessDeniedError(AccessDeniedError):
    """Raised when the token's client is not the external service named in the path."""


class RequestSchemaError(InvalidInputError):
    """Raised when a path, query or header value does not have its declared form."""

    def __init__(self, message: str, issues: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.issues = issues


class HeadersTooLargeError(LedgerError):
    """Raised when a request's headers exceed the configured total size."""


class PayloadTooLargeError(LedgerError):
    """Raised when a request body exceeds the configured maximum size."""


class ServiceUnavailableError(LedgerError):
    """Raised when the database cannot be reached."""
