"""Commands of the booking lifecycle: one booking read or changed by a party to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from domain.app_base import Saved
from domain.booking import NO_ROLE, Booking
from domain.booking_errors import BookingNotFoundError, NotBookingOwnerError, NotBookingPartyError
from domain.context import RequestContext
from domain.lookups import Lookups

# A change of one booking, made in the caller's role with the event metadata of the command.
Change = Callable[[Booking, str, dict[str, str]], None]


class BookingLifecycleCommands(Lookups):
    """Lifecycle changes of one booking; a change that frees the seat releases it in the same save."""

    def get_booking(self, ctx: RequestContext, booking_id: UUID, as_of: datetime | None = None) -> Booking:
        """The booking now, or as recorded by the instant `as_of`, if the caller may see it."""
        booking = self.find(booking_id, Booking, as_of)
        if booking is None or not self._may_see(ctx, booking.client_id):
            raise BookingNotFoundError(f"Booking {booking_id} was not found.")
        return booking

    def accept_booking(self, ctx: RequestContext, booking_id: UUID) -> Saved[Booking]:
        """For the event's coach or an admin client."""
        return self._change(ctx, booking_id, lambda b, role, meta: b.accept(role, meta))

    def reject_booking(self, ctx: RequestContext, booking_id: UUID) -> Saved[Booking]:
        """For the event's coach or an admin client; frees the seat."""
        return self._change(ctx, booking_id, lambda b, role, meta: b.reject(role, meta))

    def cancel_booking(
        self, ctx: RequestContext, booking_id: UUID, reason_code: str | None, reason_text: str | None
    ) -> Saved[Booking]:
        """Cancel and free the seat; the role (Athlete, Coach, System) comes from the caller."""
        return self._change(
            ctx, booking_id, lambda b, role, meta: b.cancel(role, reason_code, reason_text, meta)
        )

    def mark_completed(self, ctx: RequestContext, booking_id: UUID, completed: bool) -> Saved[Booking]:
        """Only after the booking has happened."""
        return self._change(
            ctx, booking_id, lambda b, role, meta: b.mark_completed(completed, role, ctx.now, meta)
        )

    def write_note(self, ctx: RequestContext, booking_id: UUID, note: str) -> Saved[Booking]:
        """Only after the booking has happened, by its owner or its coach."""
        return self._change(ctx, booking_id, lambda b, role, meta: b.write_note(note, role, ctx.now, meta))

    def dismiss_booking(self, ctx: RequestContext, booking_id: UUID, user_id: UUID) -> Saved[Booking]:
        """Only the owner, acting for themself, only a cancelled booking; permanent."""
        if user_id != ctx.acting_user_id:
            raise NotBookingOwnerError("userId must be the acting user, the booking's owner.")
        return self._change(ctx, booking_id, lambda b, role, meta: b.dismiss(user_id, meta))

    def open_dispute(self, ctx: RequestContext, booking_id: UUID, reason: str) -> Saved[Booking]:
        """Only after the booking has happened, by its owner or its coach."""
        return self._change(
            ctx, booking_id, lambda b, role, meta: b.open_dispute(reason, role, ctx.now, meta)
        )

    def resolve_dispute(self, ctx: RequestContext, booking_id: UUID, resolution: str) -> Saved[Booking]:
        """Only for a booking in dispute, by its owner or its coach."""
        return self._change(
            ctx, booking_id, lambda b, role, meta: b.resolve_dispute(resolution, role, ctx.now, meta)
        )

    def _change(self, ctx: RequestContext, booking_id: UUID, change: Change) -> Saved[Booking]:
        """Load the booking, apply the change as the caller's role, free the seat it gave up, and save."""

        def attempt() -> Saved[Booking]:
            booking = self.get_booking(ctx, booking_id)
            try:
                role = booking.role_of(ctx.acting_user_id, ctx.principal.has_scope("admin"))
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
            return Saved(booking, position=self.save_all(*changed))

        return self.with_retry(attempt)
