"""Commands of the bookings-and-orders surface: coach events, orders and payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

from domain.app_base import Saved
from domain.booking import SYSTEM, Booking
from domain.booking_errors import BookingNotFoundError
from domain.client import ClientUserLink
from domain.coach_event import CoachEvent, CoachEventNotFoundError, TimeSlot
from domain.context import RequestContext
from domain.court_booking import UserAccessDeniedError
from domain.errors import ConflictError, LedgerError
from domain.ids import client_user_link_id
from domain.ids import order_id as derived_order_id
from domain.lookups import Lookups
from domain.order import Order, OrderNotFoundError, check_order_request
from domain.user import User, UserNotFoundError


class OrderRejectedError(ConflictError):
    """Raised when any event of an order cannot be booked; nothing of the order is written."""

    def __init__(self, problems: list[LedgerError]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class OrderWithBookings:
    """An order and its bookings, in the order of its events."""

    order: Order
    bookings: list[Booking]


class BookingCommands(Lookups):
    """Coach events, orders and payments; seats are taken in the same save as the bookings."""

    def schedule_coach_event(
        self,
        ctx: RequestContext,
        coach_id: UUID,
        sport_id: UUID,
        start_at: datetime,
        end_at: datetime,
        address_id: UUID | None,
        timeslot: TimeSlot,
        organization_id: UUID | None = None,
    ) -> Saved[CoachEvent]:
        self.load(coach_id, User, UserNotFoundError, "Coach")
        if organization_id is not None:
            self.get_organization(organization_id)
        coach_event = CoachEvent.schedule(
            coach_id, sport_id, start_at, end_at, address_id, timeslot, ctx.meta(), organization_id
        )
        return Saved(coach_event, created=True, position=self.save_all(coach_event))

    def cancel_coach_event(self, ctx: RequestContext, event_id: UUID) -> Saved[CoachEvent]:
        """Cancel the event and, with role System, every booking that held a seat."""

        def attempt() -> Saved[CoachEvent]:
            meta = ctx.meta()
            coach_event = self.get_coach_event(event_id)
            bookings = [
                self.load(booking_id, Booking, BookingNotFoundError, "Booking")
                for booking_id in coach_event.cancel(meta)
            ]
            for booking in bookings:
                booking.cancel(SYSTEM, None, None, meta)
            return Saved(coach_event, position=self.save_all(coach_event, *bookings))

        return self.with_retry(attempt)

    def place_order(
        self,
        ctx: RequestContext,
        user_id: UUID,
        event_ids: list[UUID],
        payment_type: str,
        payment_method_id: UUID | None,
        idempotency_key: str | None = None,
    ) -> Saved[OrderWithBookings]:
        """All or nothing: one Pending booking per event, seats taken atomically with the order.

        Under an Idempotency-Key the order's id derives from the key, so a retry answers with the same order.
        """
        check_order_request(event_ids, payment_type, payment_method_id)
        client_id = ctx.principal.client_id
        if client_id is None:
            raise UserAccessDeniedError(f"The client may not act for user {user_id}.")
        order_id = derived_order_id(client_id, idempotency_key) if idempotency_key else uuid4()
        booking_ids = [uuid5(order_id, str(event_id)) for event_id in event_ids]
        link_id = client_user_link_id(client_id, user_id)

        def attempt() -> Saved[OrderWithBookings]:
            # The link, the order, its events and (for a retry) its bookings, read in one query: their ids are
            # all known from the request, so an order costs one read and one append, and a retry one read.
            found = self.find_together([link_id, order_id, *event_ids, *booking_ids])
            if not isinstance(found.get(link_id), ClientUserLink):
                raise UserAccessDeniedError(f"The client may not act for user {user_id}.")
            existing = found.get(order_id)
            if isinstance(existing, Order):
                return Saved(OrderWithBookings(existing, self._bookings_among(existing, found)))
            meta = ctx.meta()
            events, problems = self._bookable_events(ctx, event_ids, user_id, found)
            if problems:
                raise OrderRejectedError(problems)
            order = Order.place(
                order_id, client_id, user_id, event_ids, booking_ids, payment_type, payment_method_id, meta
            )
            bookings = []
            for booking_id, coach_event in zip(booking_ids, events, strict=True):
                coach_event.take_seat(booking_id, user_id, ctx.now, meta)
                bookings.append(
                    Booking(
                        booking_id=booking_id,
                        client_id=client_id,
                        order_id=order_id,
                        user_id=user_id,
                        coach_id=coach_event.coach_id,
                        event_id=coach_event.id,
                        sport_id=coach_event.sport_id,
                        start_at=coach_event.start_at,
                        end_at=coach_event.end_at,
                        timeslot=coach_event.timeslot,
                        meta=meta,
                    )
                )
            position = self.save_all(order, *bookings, *events)
            return Saved(OrderWithBookings(order, bookings), created=True, position=position)

        return self.with_retry(attempt)

    def _bookable_events(
        self, ctx: RequestContext, event_ids: list[UUID], user_id: UUID, found: dict[UUID, Any]
    ) -> tuple[list[CoachEvent], list[LedgerError]]:
        """The order's events from `found` (read together with the order), and why any cannot be booked."""
        events: list[CoachEvent] = []
        problems: list[LedgerError] = []
        for event_id in event_ids:
            coach_event = found.get(event_id)
            if not isinstance(coach_event, CoachEvent) or not self.may_see_event(ctx.principal, coach_event):
                problems.append(
                    CoachEventNotFoundError(f"Event {event_id} was not found.", event_ids=[str(event_id)])
                )
                continue
            try:
                coach_event.check_seat_available(user_id, ctx.now)
            except ConflictError as problem:
                problems.append(problem)
            events.append(coach_event)
        return events, problems

    def _bookings_among(self, order: Order, found: dict[UUID, Any]) -> list[Booking]:
        """The order's bookings from `found`; read anew when a retry named other events than the order."""
        bookings = [each for each in map(found.get, order.booking_ids) if isinstance(each, Booking)]
        return bookings if len(bookings) == len(order.booking_ids) else self.bookings_of(order)

    def get_order(
        self, ctx: RequestContext, order_id: UUID, as_of: datetime | None = None
    ) -> OrderWithBookings:
        """The order with its bookings now, or all as recorded by the instant `as_of`."""
        order = self.find(order_id, Order, as_of)
        if order is None or not self._may_see(ctx, order.client_id):
            raise OrderNotFoundError(f"Order {order_id} was not found.")
        return OrderWithBookings(order, self.bookings_of(order, as_of))

    def bookings_of(self, order: Order, as_of: datetime | None = None) -> list[Booking]:
        return [
            self.load(booking_id, Booking, BookingNotFoundError, "Booking", as_of)
            for booking_id in order.booking_ids
        ]

    def settle_payment(self, ctx: RequestContext, order_id: UUID, status: str) -> Saved[OrderWithBookings]:
        """Record the payment provider's result; a failed payment cancels the order's bookings."""

        def attempt() -> Saved[OrderWithBookings]:
            found = self.get_order(ctx, order_id)
            order, bookings = found.order, found.bookings
            meta = ctx.meta()
            order.settle_payment(status, meta)
            changed: list[object] = [order]
            if status == "Failed":
                for booking in bookings:
                    if booking.is_active:
                        booking.cancel(SYSTEM, None, None, meta)
                        coach_event = self.get_coach_event(booking.event_id)
                        coach_event.release_seat(booking.id, meta)
                        changed += [booking, coach_event]
            return Saved(found, position=self.save_all(*changed))

        return self.with_retry(attempt)
