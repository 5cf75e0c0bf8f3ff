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


class PositionBeyondHeadError(InvalidInputError):
    """Raised when a request asks to wait for a ledger position that has not been written yet."""

    def __init__(self, parameter: str, wanted: int, head: int) -> None:
        message = (
            f"{parameter} {wanted} is beyond the head of the ledger, {head}; "
            "use a position that a write returned in X-Ledger-Position."
        )
        super().__init__(message)
        self.head = head
        issue = {"path": [parameter], "code": "position_beyond_head", "message": f"The head is {head}."}
        self.issues = [{**issue, "head": head}]


class ConsistencyWaitersBusyError(ServiceUnavailableError):
    """Raised when as many requests as allowed already wait for a view to reach a position."""


class CredentialInQueryError(InvalidInputError):
    """Raised when a query string carries a parameter named like a credential, which belongs in a header."""

    def __init__(self, names: list[str]) -> None:
        message = (
            f"Credentials are not accepted in the query string ({', '.join(names)}); send the API key in "
            "the Authorization or x-api-key header, and use a new key if this one was shared."
        )
        super().__init__(message)
        self.issues = [
            {
                "path": ["query", name],
                "code": "credential_in_query",
                "message": "Send credentials in a header.",
            }
            for name in names
        ]
