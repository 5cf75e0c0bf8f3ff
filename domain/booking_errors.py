"""Errors of a booking's lifecycle: who may change it, and when."""

from __future__ import annotations

from domain.errors import AccessDeniedError, ConflictError, InvalidInputError, NotFoundError


class BookingNotFoundError(NotFoundError):
    """Raised when a booking id names no booking the caller may see."""


class InvalidStatusTransitionError(ConflictError):
    """Raised when the booking's status does not allow the requested change."""


class BookingNotHappenedYetError(ConflictError):
    """Raised when a change needs the booking to be over, and it is not."""


class BookingNotCanceledError(ConflictError):
    """Raised when only a cancelled booking may be dismissed."""


class NotBookingOwnerError(AccessDeniedError):
    """Raised when only the booking's owner may make the change."""


class NotBookingPartyError(AccessDeniedError):
    """Raised when the caller is neither the booking's owner, nor the event's coach, nor the system."""


class InvalidCancellationReasonError(InvalidInputError):
    """Raised when a cancellation reason code is not one of the seed's codes."""


class InvalidBookingTextError(InvalidInputError):
    """Raised when a note, reason or resolution contains a NUL character."""
