"""Errors shared by every aggregate and command; each surface maps them to its own format."""

from __future__ import annotations


class LedgerError(Exception):
    """Raised when a command is refused; the base of every domain error."""

    def __init__(self, message: str = "", **details: object) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        self.message = message or (self.__doc__ or "").strip()
        self.details = details


class NotFoundError(LedgerError):
    """Raised when an entity that a command names does not exist."""


class InvalidInputError(LedgerError):
    """Raised when a value is well-formed but not acceptable to the domain."""


class AccessDeniedError(LedgerError):
    """Raised when the principal may not act on the entity it names."""


class ConflictError(LedgerError):
    """Raised when a command conflicts with the current state."""


class ConcurrencyExhaustedError(LedgerError):
    """Raised when a command kept losing version races and gave up after its bounded retries.

    Not a conflict with the stored state: nothing was decided, and the same request may simply be sent again.
    """
