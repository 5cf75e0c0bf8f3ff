"""Errors of resource bookings, and the check of their free texts."""

from __future__ import annotations

from domain.errors import InvalidInputError, LedgerError, NotFoundError


class ResourceBookingNotFoundError(NotFoundError):
    """Raised when a number, UUID or reference code names no resource booking the caller may see."""


class ResourceBookingStatusError(LedgerError):
    """Raised when a resource booking's status does not allow the change asked for."""


class BookingAlreadyCancelledError(ResourceBookingStatusError):
    """Raised when a cancelled resource booking is cancelled again."""


class BookingExpiredError(ResourceBookingStatusError):
    """Raised when an expired resource booking is cancelled: its slot was already given up."""


class BookingNotPendingError(ResourceBookingStatusError):
    """Raised when a resource booking that is no longer pending is confirmed or expired."""


class BookingNotPayableError(ResourceBookingStatusError):
    """Raised when a payment is asked for a booking that is not pending: confirmed, cancelled or expired."""


class InvalidBookingTextError(InvalidInputError):
    """Raised when a booking's notes, a reason or a payment id is too long, empty where needed, or has NUL."""


def checked_text(text: str, name: str, limit: int, required: bool = False) -> str:
    """The text, once it is known to have at most `limit` characters (at least one if required), no NUL."""
    if len(text) > limit or "\x00" in text or (required and not text.strip()):
        least = 1 if required else 0
        raise InvalidBookingTextError(f"{name} has {least} to {limit} characters, without NUL.", field=name)
    return text
