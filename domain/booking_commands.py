"""Commands of the bookings-and-orders surface: coach events, orders, payments and the booking lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid5

from domain.booking import NO_ROLE, SYSTEM, Booking, BookingNotFoundError, NotBookingPartyError
from domain.coach_event import CoachEvent, CoachEventNotFoundError, TimeSlot
from domain.context import Principal, RequestContext
from domain.court_booking import UserAccessDeniedError
from domain.court_booking_commands import CourtBookingCommands
from domain.errors import ConflictError, LedgerError
from domain.event_visibility import client_may_see_event
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


class BookingCommands(CourtBookingCommands):
    """Coach events, orders and bookings; seats are taken in the same save as the bookings."""

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
    ) -> tuple[CoachEvent, int | None]:
        self.load(coach_id, User, UserNotFoundError, "Coach")
        if organization_id is not None:
            self.get_organization(organization_id)
        coach_event = CoachEvent.schedule(
            coach_id, sport_id, start_at, end_at, address_id, timeslot, ctx.meta(), organization_id
        )
        return coach_event, self.save_all(coach_event)

    def get_coach_event(self, event_id: UUID) -> CoachEvent:
        return self.load(event_id, CoachEvent, CoachEventNotFoundError, "Coach event")

    def get_visible_coach_event(self, ctx: RequestContext, event_id: UUID) -> CoachEvent:
        """The event, if the caller may see it; an event of another tenant is not found, as a missing one."""
        coach_event = self.find(event_id, CoachEvent)
        if coach_event is None or not self.may_see_event(ctx.principal, coach_event):
            raise CoachEventNotFoundError(f"Event {event_id} was not found.", event_ids=[str(event_id)])
        return coach_event

    def may_see_event(self, principal: Principal, coach_event: CoachEvent) -> bool:
        grants = self._coach_client_grants(principal, coach_event.coach_id)
        return client_may_see_event(principal, coach_event, grants)

    def _coach_client_grants(self, principal: Principal, coach_id: UUID) -> Iterator[frozenset[UUID]]:
        """The organizations of each client the coach is linked to, read only as far as they are asked for.

        The caller's own link is read first and directly, so links made before the user's side was kept count.
        """
        client_id = principal.client_id
        if client_id is not None and self.is_user_linked(client_id, coach_id):
            yield principal.organization_ids
        for other in self.clients_of_user(coach_id):
            if other != client_id:
                yield self.organizations_of_client(other)

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
            events, problems = self._bookable_events(ctx, event_ids, user_id)
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
        self, ctx: RequestContext, event_ids: list[UUID], user_id: UUID
    ) -> tuple[list[CoachEvent], list[LedgerError]]:
        events: list[CoachEvent] = []
        problems: list[LedgerError] = []
        for event_id in event_ids:
            try:
                coach_event = self.get_visible_coach_event(ctx, event_id)
            except CoachEventNotFoundError as problem:
                problems.append(problem)
                continue
            try:
                coach_event.check_seat_available(user_id, ctx.now)
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

    def _may_see(self, ctx: RequestContext, client_id: UUID) -> bool:
        return ctx.principal.client_id == client_id or ctx.principal.has_scope("admin")
