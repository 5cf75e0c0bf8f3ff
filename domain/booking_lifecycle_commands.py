"""Commands of the booking lifecycle: one booking read or changed by a party to it."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from domain.booking import NO_ROLE, Booking, BookingNotFoundError, NotBookingPartyError
from domain.context import RequestContext
from domain.lookups import Lookups


class BookingLifecycleCommands(Lookups):
    """Lifecycle changes of one booking; a change that frees the seat releases it in the same save."""

    def get_booking(self, ctx: RequestContext, booking_id: UUID) -> Booking:
        booking = self.find(booking_id, Booking)
        if booking is None or not self._may_see(ctx, booking.client_id):
            raise BookingNotFoundError(f"Booking {booking_id} was not found.")
        return booking

    def change_booking(
        self,
        ctx: RequestContext,
        booking_id: UUID,
        acting_user_id: UUID | None,
        change: Callable[[Booking, str, dict[str, str]], None],
    ) -> tuple[Booking, int | None]:
        """Apply one lifecycle change as the caller's role; a cancellation also frees the seat."""

        def attempt() -> tuple[Booking, int | None]:
            booking = self.get_booking(ctx, booking_id)
            try:
                role = booking.role_of(acting_user_id, ctx.principal.has_scope("admin"))
            except NotBookingPartyError:
                # Each change checks the role it needs; dismissing needs the owner instead.
                role = NO_ROLE
            held_seat = booking.holds_seat
            meta = ctx.meta()
            change(booking, role, meta)
            changed: list[object] = [booking]
            if held_seat and not booking.holds_seat:
                coach_event = self.get_coach_event(booking.event_id)
                coach_event.release_seat(booking.id, meta)
                changed.append(coach_event)
            return booking, self.save_all(*changed)

        return self.with_retry(attempt)
