"""Commands of the bookings-and-orders surface: coach events, orders and payments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5

from domain.booking import SYSTEM, Booking, BookingNotFoundError
from domain.coach_event import CoachEvent, CoachEventNotFoundError, TimeSlot
from domain.context import RequestContext
from domain.court_booking import UserAccessDeniedError
from domain.errors import ConflictError, LedgerError
from domain.lookups import Lookups
from domain.order import Order, OrderNotFoundError, check_order_request
from domain.user import User, UserNotFoundError


class OrderRejectedError(ConflictError):
    """Raised when any event of an order cannot be booked; nothing of the order is written."""

    def __init__(self, problems: list[LedgerError]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class PlacedOrder:
    """An order with its bookings, whether this call created it, and the position of its last event."""

    order: Order
    bookings: list[Booking]
    created: bool
    position: int | None


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
    ) -> tuple[CoachEvent, int | None]:
        self.load(coach_id, User, UserNotFoundError, "Coach")
        coach_event = CoachEvent.schedule(
            coach_id, sport_id, start_at, end_at, address_id, timeslot, ctx.meta()
        )
        return coach_event, self.save_all(coach_event)

    def cancel_coach_event(self, ctx: RequestContext, event_id: UUID) -> tuple[CoachEvent, int | None]:
        """Cancel the event and, with role System, every booking that held a seat."""

        def attempt() -> tuple[CoachEvent, int | None]:
            meta = ctx.meta()
            coach_event = self.get_coach_event(event_id)
            bookings = [
                self.load(booking_id, Booking, BookingNotFoundError, "Booking")
                for booking_id in coach_event.cancel(meta)
            ]
            for booking in bookings:
                booking.cancel(SYSTEM, None, None, meta)
            return coach_event, self.save_all(coach_event, *bookings)

        return self.with_retry(attempt)

    def place_order(
        self,
        ctx: RequestContext,
        order_id: UUID,
        user_id: UUID,
        event_ids: list[UUID],
        payment_type: str,
        payment_method_id: UUID | None,
    ) -> PlacedOrder:
        """All or nothing: one Pending booking per event, seats taken atomically with the order."""
        check_order_request(event_ids, payment_type, payment_method_id)
        client_id = ctx.principal.client_id
        if client_id is None or not self.is_user_linked(client_id, user_id):
            raise UserAccessDeniedError(f"The client may not act for user {user_id}.")

        def attempt() -> PlacedOrder:
            existing = self.find(order_id, Order)
            if existing is not None:
                return PlacedOrder(existing, self.bookings_of(existing), False, None)
            meta = ctx.meta()
            events, problems = self._bookable_events(event_ids, user_id, ctx.now)
            if problems:
                raise OrderRejectedError(problems)
            booking_ids = [uuid5(order_id, str(event_id)) for event_id in event_ids]
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
            return PlacedOrder(order, bookings, True, self.save_all(order, *bookings, *events))

        return self.with_retry(attempt)

    def _bookable_events(
        self, event_ids: list[UUID], user_id: UUID, now: datetime
    ) -> tuple[list[CoachEvent], list[LedgerError]]:
        events: list[CoachEvent] = []
        problems: list[LedgerError] = []
        for event_id in event_ids:
            coach_event = self.find(event_id, CoachEvent)
            if coach_event is None:
                problems.append(
                    CoachEventNotFoundError(f"Event {event_id} was not found.", event_ids=[str(event_id)])
                )
                continue
            try:
                coach_event.check_seat_available(user_id, now)
            except ConflictError as problem:
                problems.append(problem)
            events.append(coach_event)
        return events, problems

    def get_order(self, ctx: RequestContext, order_id: UUID) -> tuple[Order, list[Booking]]:
        order = self.find(order_id, Order)
        if order is None or not self._may_see(ctx, order.client_id):
            raise OrderNotFoundError(f"Order {order_id} was not found.")
        return order, self.bookings_of(order)

    def bookings_of(self, order: Order) -> list[Booking]:
        return [
            self.load(booking_id, Booking, BookingNotFoundError, "Booking")
            for booking_id in order.booking_ids
        ]

    def settle_payment(self, ctx: RequestContext, order_id: UUID, status: str) -> PlacedOrder:
        """Record the payment provider's result; a failed payment cancels the order's bookings."""

        def attempt() -> PlacedOrder:
            order, bookings = self.get_order(ctx, order_id)
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
            return PlacedOrder(order, bookings, False, self.save_all(*changed))

        return self.with_retry(attempt)
