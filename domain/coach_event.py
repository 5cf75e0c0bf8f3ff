"""A coach's bookable session (LE-KO `eventId`): its timeslot and the seats that orders take."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import ConflictError, InvalidInputError, NotFoundError

SLOT_TYPES = ("Online", "Offline")
LEVELS = ("Any", "Beginner", "Medium", "Pro")
ELIGIBILITIES = ("All", "Men", "Women")
CURRENCIES = ("RUB",)
PAYMENT_METHODS = ("Cash",)


class CoachEventNotFoundError(NotFoundError):
    """Raised when an event id names no coach event."""


class InvalidCoachEventError(InvalidInputError):
    """Raised when a coach event's times or timeslot fields are outside the seed's ranges."""


class EventCanceledError(ConflictError):
    """Raised when a seat is asked of a cancelled event, or an event is cancelled twice."""


class EventAlreadyStartedError(ConflictError):
    """Raised when a seat is asked of an event that has already started."""


class EventFullError(ConflictError):
    """Raised when every seat of the event is taken."""


class EventAlreadyBookedError(ConflictError):
    """Raised when the user already holds an active seat at the event."""


@dataclass(frozen=True)
class TimeSlot:
    """The seed's TimeSlot: seats, audience, price (integer minor units) and format of the session."""

    time_slot_id: UUID
    start_time: str
    end_time: str
    number_of_participants: int
    slot_type: str
    age_from: int
    age_to: int
    duration: int
    price: int
    price_currency: str
    payment_method: str
    public: bool
    level: str
    eligibility: str

    def __post_init__(self) -> None:
        problems = []
        if self.number_of_participants < 1:
            problems.append("numberOfParticipants must be at least 1")
        if not (18 <= self.age_from <= 99 and 18 <= self.age_to <= 99 and self.age_from <= self.age_to):
            problems.append("ageFrom and ageTo must be within 18..99, ageFrom <= ageTo")
        if self.duration < 15:
            problems.append("duration must be at least 15")
        if self.price < 0:
            problems.append("price must not be negative")
        for value, allowed, name in (
            (self.slot_type, SLOT_TYPES, "slotType"),
            (self.level, LEVELS, "level"),
            (self.eligibility, ELIGIBILITIES, "eligibility"),
            (self.price_currency, CURRENCIES, "priceCurrency"),
            (self.payment_method, PAYMENT_METHODS, "paymentMethod"),
        ):
            if value not in allowed:
                problems.append(f"{name} must be one of {', '.join(allowed)}")
        if problems:
            raise InvalidCoachEventError("; ".join(problems) + ".")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields, as stored in events and views."""
        return {**asdict(self), "time_slot_id": str(self.time_slot_id)}


class CoachEvent(LedgerAggregate):
    """A coach's session with a fixed number of seats; seats are taken in the same save as the bookings."""

    class Scheduled(LedgerAggregate.Created):
        coach_id: UUID
        sport_id: UUID
        start_at: datetime
        end_at: datetime
        address_id: UUID | None
        timeslot: dict[str, Any]
        organization_id: UUID | None

        # Version 2 added the organization; events scheduled before have none.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["organization_id"] = None

    class SeatTaken(LedgerAggregate.Event):
        booking_id: UUID
        user_id: UUID

    class SeatReleased(LedgerAggregate.Event):
        booking_id: UUID

    class Canceled(LedgerAggregate.Event):
        pass

    @classmethod
    def schedule(
        cls,
        coach_id: UUID,
        sport_id: UUID,
        start_at: datetime,
        end_at: datetime,
        address_id: UUID | None,
        timeslot: TimeSlot,
        meta: dict[str, str],
        organization_id: UUID | None = None,
    ) -> CoachEvent:
        if start_at.tzinfo is None or end_at.tzinfo is None or start_at >= end_at:
            raise InvalidCoachEventError("startAt must be before endAt, both with a UTC offset.")
        return cls(
            coach_id=coach_id,
            sport_id=sport_id,
            start_at=start_at,
            end_at=end_at,
            address_id=address_id,
            timeslot={**timeslot.as_dict(), "address_id": str(address_id) if address_id else None},
            organization_id=organization_id,
            meta=meta,
        )

    @event(Scheduled)
    def __init__(
        self,
        coach_id: UUID,
        sport_id: UUID,
        start_at: datetime,
        end_at: datetime,
        address_id: UUID | None,
        timeslot: dict[str, Any],
        organization_id: UUID | None,
        meta: dict[str, str],
    ) -> None:
        self.coach_id = coach_id
        self.sport_id = sport_id
        self.start_at = start_at
        self.end_at = end_at
        self.address_id = address_id
        self.timeslot = dict(timeslot)
        # The organization the event, and its bookings, belong to; None: its coach's clients' organizations.
        self.organization_id = organization_id
        self.status = "Active"
        self.holders: dict[UUID, UUID] = {}

    @property
    def seats(self) -> int:
        return int(self.timeslot["number_of_participants"])

    @property
    def is_canceled(self) -> bool:
        return self.status == "Canceled"

    def check_seat_available(self, user_id: UUID, now: datetime) -> None:
        """Raise the first reason why `user_id` cannot take a seat now."""
        if self.is_canceled:
            raise EventCanceledError(f"Event {self.id} is cancelled.", event_ids=[str(self.id)])
        if now >= self.start_at:
            raise EventAlreadyStartedError(f"Event {self.id} has already started.", event_ids=[str(self.id)])
        if user_id in self.holders.values():
            raise EventAlreadyBookedError(
                f"The user already booked event {self.id}.", event_ids=[str(self.id)]
            )
        if len(self.holders) >= self.seats:
            raise EventFullError(f"Event {self.id} is full.", event_ids=[str(self.id)])

    def take_seat(self, booking_id: UUID, user_id: UUID, now: datetime, meta: dict[str, str]) -> None:
        self.check_seat_available(user_id, now)
        self._take_seat(booking_id=booking_id, user_id=user_id, meta=meta)

    def release_seat(self, booking_id: UUID, meta: dict[str, str]) -> None:
        if booking_id in self.holders:
            self._release_seat(booking_id=booking_id, meta=meta)

    def cancel(self, meta: dict[str, str]) -> list[UUID]:
        """Cancel the event; returns the bookings that held seats, which the command cancels too."""
        if self.is_canceled:
            raise EventCanceledError(f"Event {self.id} is already cancelled.", event_ids=[str(self.id)])
        holders = list(self.holders)
        for booking_id in holders:
            self._release_seat(booking_id=booking_id, meta=meta)
        self._cancel(meta=meta)
        return holders

    @event(SeatTaken)
    def _take_seat(self, booking_id: UUID, user_id: UUID, meta: dict[str, str]) -> None:
        self.holders[booking_id] = user_id

    @event(SeatReleased)
    def _release_seat(self, booking_id: UUID, meta: dict[str, str]) -> None:
        del self.holders[booking_id]

    @event(Canceled)
    def _cancel(self, meta: dict[str, str]) -> None:
        self.status = "Canceled"
