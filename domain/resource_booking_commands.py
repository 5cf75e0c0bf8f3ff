"""Commands of resource bookings: book, confirm, cancel, expire, record payments, and look-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from domain.app_base import Saved
from domain.availability import checked_interval, price_of_interval
from domain.booking_checks import SLOT_NOT_AVAILABLE, SlotNotAvailableError, check_booking
from domain.calendar import Hold
from domain.context import RequestContext
from domain.errors import ConcurrencyExhaustedError, ConflictError
from domain.ids import reference_code_id
from domain.numbers import NumberIndex
from domain.organization import ResourceNotFoundError
from domain.payment_setup import PaymentSetup
from domain.reference_codes import ReferenceCodeIndex, is_reference_code, random_suffix, reference_code
from domain.resource_booking import BY_OPERATOR, MAX_NOTES_LENGTH, ResourceBooking
from domain.resource_booking_errors import ResourceBookingNotFoundError, checked_text
from domain.resource_booking_request import BookingRequest
from domain.resource_day import CourtBookingOverlapError
from domain.resource_terms import ResourceTerms
from domain.user import User, UserNotFoundError

# Tries of fresh reference codes before giving up; a day has 36**4 codes, so a second try is already rare.
CODE_ATTEMPTS = 10


class BookingIdTakenError(ConflictError):
    """Raised when a booking id chosen by the caller already names another client's booking."""


class ResourceBookingCommands(ResourceTerms, PaymentSetup):
    """Resource bookings; every change of a booking's hold saves the booking and its calendar days at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Draws the random part of a reference code; the command draws it, never an event's application.
        self.reference_suffix: Callable[[], str] = random_suffix

    def book_resource(
        self,
        ctx: RequestContext,
        client_id: UUID,
        user_id: UUID,
        resource_id: str | int | UUID,
        start: datetime,
        end: datetime,
        participant_count: int,
        notes: str = "",
        booking_id: UUID | None = None,
    ) -> Saved[ResourceBooking]:
        """Book [start, end) of the resource (number or UUID) for the client's user, pending until paid or
        confirmed (a booking that costs nothing is confirmed at once). Where the venue takes payment online,
        the booking must be paid within the payment hold, or it may be expired.

        The resource's rules are checked in their fixed order against every reservation of the resource, the
        price is the sum over the opening ranges covered, and the hold is saved with the booking: a racing
        booking of the same time, from any surface, loses on the calendar day. A `booking_id` that names an
        existing booking of the client answers that booking (a retried request).
        """
        checked_text(notes, "notes", MAX_NOTES_LENGTH)
        self.load(user_id, User, UserNotFoundError, "User")
        new_id = booking_id or uuid4()

        def attempt() -> Saved[ResourceBooking]:
            if booking_id is not None and (existing := self.find(booking_id, ResourceBooking)) is not None:
                if existing.client_id != client_id:
                    raise BookingIdTakenError(f"Booking id {booking_id} is taken.")
                return Saved(existing)
            resource = self.resolve_resource(resource_id)
            if resource.organization_id not in self.organizations_of_client(client_id):
                raise ResourceNotFoundError(f"Resource {resource_id} was not found.")
            terms = self.terms_of(resource)
            tz = terms.tz
            check_booking(
                rules=terms.rules,
                opening_hours=terms.opening_hours,
                tz=tz,
                reservations=self.reservations_near(terms, start, end),
                now=ctx.now,
                start=start,
                end=end,
                participant_count=participant_count,
            )
            start_utc, end_utc = checked_interval(start, end)
            meta, number = ctx.meta(), self.next_number("booking")
            code = self._free_code(start.astimezone(tz).date(), new_id, meta)
            request = BookingRequest(
                booking_id=new_id,
                number=number,
                reference_code=code.code,
                client_id=client_id,
                user_id=user_id,
                resource_id=terms.resource.id,
                venue_id=terms.venue.id,
                organization_id=terms.resource.organization_id,
                start=start_utc,
                end=end_utc,
                participant_count=participant_count,
                notes=notes,
                total_price=price_of_interval(start, end, terms.opening_hours, tz),
                currency=terms.rules.currency,
            )
            due_by = self.payment_due_by(terms.venue.id, ctx.now, request.total_price)
            booking = ResourceBooking.request(request, meta, payment_due_by=due_by)
            index = NumberIndex.claim("booking", number, new_id, meta)
            try:
                days = self.calendar.reserve(new_id, Hold(terms.resource.id, start_utc, end_utc), meta)
            except CourtBookingOverlapError:
                # Another booking took the time after the checks read the calendar: the same answer as when
                # the checks see it.
                raise SlotNotAvailableError(SLOT_NOT_AVAILABLE) from None
            return Saved(booking, created=True, position=self.save_all(booking, index, code, *days))

        return self.with_retry(attempt)

    def get_resource_booking(self, ctx: RequestContext, ref: str | int | UUID) -> ResourceBooking:
        """The booking that `ref` names (number, UUID or reference code), if the caller may see it: its own
        client's (any for an admin); any other is not found, exactly as a missing one."""
        booking_id = self._resource_booking_id(ref)
        booking = self.find(booking_id, ResourceBooking) if booking_id is not None else None
        if booking is None or not self._may_see(ctx, booking.client_id):
            raise ResourceBookingNotFoundError(f"Booking {ref} was not found.")
        return booking

    def cancel_resource_booking(
        self, ctx: RequestContext, ref: str | int | UUID, reason: str = "", notes: str = ""
    ) -> Saved[ResourceBooking]:
        """Cancel a pending or confirmed booking and free its slot; a cancelled one answers an error."""

        def attempt() -> Saved[ResourceBooking]:
            booking = self.get_resource_booking(ctx, ref)
            held, meta = booking.hold, ctx.meta()
            booking.cancel(reason, notes, meta)
            days = self.calendar.move(booking.id, held, None, meta)
            return Saved(booking, position=self.save_all(booking, *days))

        return self.with_retry(attempt)

    def confirm_resource_booking(self, ctx: RequestContext, ref: str | int | UUID) -> Saved[ResourceBooking]:
        """An operator confirms a pending booking; a confirmed one is answered as it is."""

        def attempt() -> Saved[ResourceBooking]:
            booking = self.get_resource_booking(ctx, ref)
            if not booking.confirm(BY_OPERATOR, ctx.meta()):
                return Saved(booking)
            return Saved(booking, position=self.save_all(booking))

        return self.with_retry(attempt)

    def expire_resource_booking(self, ctx: RequestContext, ref: str | int | UUID) -> Saved[ResourceBooking]:
        """Expire an unpaid pending booking and free its slot; any other status answers an error."""

        def attempt() -> Saved[ResourceBooking]:
            booking = self.get_resource_booking(ctx, ref)
            held, meta = booking.hold, ctx.meta()
            booking.expire(meta)
            days = self.calendar.move(booking.id, held, None, meta)
            return Saved(booking, position=self.save_all(booking, *days))

        return self.with_retry(attempt)

    def record_payment(
        self,
        ctx: RequestContext,
        ref: str | int | UUID,
        payment_id: str,
        succeeded: bool,
        amount: Decimal | None = None,
        reason: str = "",
    ) -> Saved[ResourceBooking]:
        """Record a payment provider's result for the booking; a success confirms it while it is pending.

        The same result of the same payment again records nothing: a re-delivered notification is harmless.
        """

        def attempt() -> Saved[ResourceBooking]:
            booking = self.get_resource_booking(ctx, ref)
            if not booking.record_payment(payment_id, succeeded, amount, reason, ctx.meta()):
                return Saved(booking)
            return Saved(booking, position=self.save_all(booking))

        return self.with_retry(attempt)

    def _free_code(self, local_start: date, booking_id: UUID, meta: dict[str, str]) -> ReferenceCodeIndex:
        """A reference code that no booking holds yet, claimed for the booking (saved with it)."""
        for _ in range(CODE_ATTEMPTS):
            code = reference_code(local_start, self.reference_suffix())
            if self.find(reference_code_id(code), ReferenceCodeIndex) is None:
                return ReferenceCodeIndex.claim(code, booking_id, meta)
        raise ConcurrencyExhaustedError("No free reference code was found; retry the request.")

    def _resource_booking_id(self, ref: str | int | UUID) -> UUID | None:
        if isinstance(ref, str) and is_reference_code(ref.strip().upper()):
            index = self.find(reference_code_id(ref.strip().upper()), ReferenceCodeIndex)
            return index.booking_id if index is not None else None
        return self._entity_id("booking", ref)
