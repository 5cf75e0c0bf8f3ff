"""Commands of the partner-sync surface: upsert, cancel and read court bookings by external id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.calendar import Hold
from domain.context import RequestContext
from domain.court_booking import (
    CourtBooking,
    CourtBookingNotFoundError,
    CourtBookingTerms,
    OrganizationAccessDeniedError,
    UserAccessDeniedError,
    checked_participants,
)
from domain.errors import NotFoundError
from domain.ids import court_booking_id
from domain.lookups import Lookups


class CourtBookingVersionNotFoundError(NotFoundError):
    """Raised when a court booking has no version with the requested number."""


@dataclass(frozen=True)
class CourtBookingOutcome:
    """What an upsert or cancel did: the booking, whether it created it, and its ledger position."""

    booking: CourtBooking
    created: bool
    position: int | None


class CourtBookingCommands(Lookups):
    """Court-booking commands; every change saves the booking and its calendar days atomically."""

    def upsert_court_booking(
        self,
        ctx: RequestContext,
        external_service_id: UUID,
        external_court_booking_id: str,
        court_id: UUID,
        start: datetime,
        end: datetime,
        participants: Sequence[tuple[UUID | None, str | None]],
        external_updated_at: datetime,
    ) -> CourtBookingOutcome:
        terms = CourtBookingTerms(
            court_id, start, end, checked_participants(participants), external_updated_at
        )
        court = self.get_court(court_id)
        self._check_access(ctx, external_service_id, court.organization_id, terms.user_ids)
        booking_id = court_booking_id(external_service_id, external_court_booking_id)

        def attempt() -> CourtBookingOutcome:
            meta = ctx.meta()
            booking = self.find(booking_id, CourtBooking)
            if booking is None:
                booking = CourtBooking.register(
                    external_service_id, external_court_booking_id, court.organization_id, terms, meta
                )
                days = self.calendar.move(booking_id, None, Hold(court_id, start, end), meta)
                return CourtBookingOutcome(booking, True, self.save_all(booking, *days))
            if not booking.needs_revision(terms):
                return CourtBookingOutcome(booking, False, None)
            days = self.calendar.move(booking_id, self._hold_of(booking), Hold(court_id, start, end), meta)
            booking.revise(court.organization_id, terms, meta)
            return CourtBookingOutcome(booking, False, self.save_all(booking, *days))

        return self.with_retry(attempt)

    def cancel_court_booking(
        self,
        ctx: RequestContext,
        external_service_id: UUID,
        external_court_booking_id: str,
        external_updated_at: datetime,
    ) -> CourtBookingOutcome:
        booking_id = court_booking_id(external_service_id, external_court_booking_id)

        def attempt() -> CourtBookingOutcome:
            booking = self.get_court_booking(external_service_id, external_court_booking_id)
            self._check_access(ctx, external_service_id, booking.organization_id, [])
            if not booking.needs_cancel(external_updated_at):
                return CourtBookingOutcome(booking, False, None)
            meta = ctx.meta()
            days = self.calendar.move(booking_id, self._hold_of(booking), None, meta)
            booking.cancel(external_updated_at, meta)
            return CourtBookingOutcome(booking, False, self.save_all(booking, *days))

        return self.with_retry(attempt)

    def get_court_booking(
        self, external_service_id: UUID, external_court_booking_id: str, version: int | None = None
    ) -> CourtBooking:
        booking_id = court_booking_id(external_service_id, external_court_booking_id)
        if version is None:
            return self.load(booking_id, CourtBooking, CourtBookingNotFoundError, "Court booking")
        booking = self.load_version(booking_id, CourtBooking, version)
        if booking is None:
            self.get_court_booking(external_service_id, external_court_booking_id)
            raise CourtBookingVersionNotFoundError(f"The court booking has no version {version}.")
        return booking

    def _check_access(
        self, ctx: RequestContext, client_id: UUID, organization_id: UUID, user_ids: Sequence[UUID]
    ) -> None:
        if organization_id not in ctx.principal.organization_ids:
            raise OrganizationAccessDeniedError(
                "The service is not granted access to the court's organization."
            )
        unlinked = [str(user_id) for user_id in user_ids if not self.is_user_linked(client_id, user_id)]
        if unlinked:
            raise UserAccessDeniedError(
                f"The service is not granted access to user(s) {', '.join(unlinked)}.", user_ids=unlinked
            )

    @staticmethod
    def _hold_of(booking: CourtBooking) -> Hold | None:
        return Hold(booking.court_id, booking.start, booking.end) if booking.is_active else None
