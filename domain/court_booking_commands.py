"""Commands of the partner-sync surface: upsert, cancel and read court bookings by external id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from domain.app_base import Saved
from domain.context import RequestContext
from domain.court_booking import (
    CourtBooking,
    CourtBookingNotFoundError,
    OrganizationAccessDeniedError,
    UserAccessDeniedError,
)
from domain.errors import InvalidInputError, NotFoundError
from domain.ids import court_booking_id
from domain.lookups import Lookups


class CourtBookingVersionNotFoundError(NotFoundError):
    """Raised when a court booking has no version with the requested number."""


class TimeTravelConflictError(InvalidInputError):
    """Raised when a read asks for a version and an instant at once."""


class CourtBookingCommands(Lookups):
    """Court-booking cancels and reads (upserts: `CourtBookingUpserts`); a cancel saves the booking and its
    calendar days atomically."""

    def cancel_court_booking(
        self,
        ctx: RequestContext,
        external_service_id: UUID,
        external_court_booking_id: str,
        external_updated_at: datetime,
    ) -> Saved[CourtBooking]:
        booking_id = court_booking_id(external_service_id, external_court_booking_id)

        def attempt() -> Saved[CourtBooking]:
            booking = self.get_court_booking(external_service_id, external_court_booking_id)
            self._check_access(ctx, booking.organization_id, [])
            held, meta = booking.hold, ctx.meta()
            if not booking.cancel(external_updated_at, meta):
                return Saved(booking)
            days = self.calendar.move(booking_id, held, None, meta)
            return Saved(booking, position=self.save_all(booking, *days))

        return self.with_retry(attempt)

    def get_court_booking(
        self,
        external_service_id: UUID,
        external_court_booking_id: str,
        version: int | None = None,
        as_of: datetime | None = None,
    ) -> CourtBooking:
        """The booking now, at `version`, or as recorded by the instant `as_of` (not both)."""
        booking_id = court_booking_id(external_service_id, external_court_booking_id)
        if version is not None and as_of is not None:
            raise TimeTravelConflictError("Give either version or asOf, not both.")
        if version is None:
            return self.load(booking_id, CourtBooking, CourtBookingNotFoundError, "Court booking", as_of)
        booking = self.load_version(booking_id, CourtBooking, version)
        if booking is None:
            self.get_court_booking(external_service_id, external_court_booking_id)
            raise CourtBookingVersionNotFoundError(f"The court booking has no version {version}.")
        return booking

    def _check_access(self, ctx: RequestContext, organization_id: UUID, user_ids: Sequence[UUID]) -> None:
        if organization_id not in ctx.principal.organization_ids:
            raise OrganizationAccessDeniedError(
                "The service is not granted access to the court's organization."
            )
        unlinked = [str(user_id) for user_id in user_ids if not self.can_act_for(ctx.principal, user_id)]
        if unlinked:
            raise UserAccessDeniedError(
                f"The service is not granted access to user(s) {', '.join(unlinked)}.", user_ids=unlinked
            )
