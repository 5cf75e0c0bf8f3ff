"""A seat booked in a coach event through an order; its lifecycle follows the LE-KO seed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.booking_errors import (
    BookingNotCanceledError,
    BookingNotHappenedYetError,
    InvalidBookingTextError,
    InvalidCancellationReasonError,
    InvalidStatusTransitionError,
    NotBookingOwnerError,
    NotBookingPartyError,
)

ATHLETE, COACH, SYSTEM = "Athlete", "Coach", "System"
NO_ROLE = ""  # a caller linked to the client but not a party to this booking
REASON_CODES = ("NotFeelingWell", "NoTime", "Other")
ACTIVE = ("Pending", "Accepted")
SEAT_FREEING = ("Canceled", "Rejected")


def checked_text(text: str | None) -> str | None:
    if text is not None and "\x00" in text:
        raise InvalidBookingTextError("Text must not contain NUL characters.")
    return text


class Booking(LedgerAggregate):
    """One user's seat at one coach event."""

    PERSONAL_FIELDS = ("reason_text", "note", "reason", "resolution")

    class Requested(LedgerAggregate.Created):
        booking_id: UUID
        client_id: UUID
        order_id: UUID
        user_id: UUID
        coach_id: UUID
        event_id: UUID
        sport_id: UUID
        start_at: datetime
        end_at: datetime
        timeslot: dict[str, Any]

    class Accepted(LedgerAggregate.Event):
        pass

    class Rejected(LedgerAggregate.Event):
        pass

    class Canceled(LedgerAggregate.Event):
        role: str
        reason_code: str | None
        reason_text: str | None

    class CompletionMarked(LedgerAggregate.Event):
        completed: bool

    class NoteWritten(LedgerAggregate.Event):
        note: str

    class Dismissed(LedgerAggregate.Event):
        pass

    class Disputed(LedgerAggregate.Event):
        reason: str

    class DisputeResolved(LedgerAggregate.Event):
        resolution: str

    @staticmethod
    def create_id(booking_id: UUID, **_: object) -> UUID:
        return booking_id

    @event(Requested)
    def __init__(
        self,
        booking_id: UUID,
        client_id: UUID,
        order_id: UUID,
        user_id: UUID,
        coach_id: UUID,
        event_id: UUID,
        sport_id: UUID,
        start_at: datetime,
        end_at: datetime,
        timeslot: dict[str, Any],
        meta: dict[str, str],
    ) -> None:
        self.client_id = client_id
        self.order_id = order_id
        self.user_id = user_id
        self.coach_id = coach_id
        self.event_id = event_id
        self.sport_id = sport_id
        self.start_at = start_at
        self.end_at = end_at
        self.timeslot = dict(timeslot)
        self.status = "Pending"
        self.completed = False
        self.note: str | None = None
        self.canceled_at: datetime | None = None
        self.canceled_by_role: str | None = None
        self.reason_code: str | None = None
        self.reason_text: str | None = None
        self.dismissed = False
        self.dispute_reason: str | None = None
        self.dispute_resolution: str | None = None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def holds_seat(self) -> bool:
        """Whether the booking occupies a seat: until it is cancelled or rejected (a dispute keeps it)."""
        return self.status not in SEAT_FREEING

    def role_of(self, acting_user_id: UUID | None, is_system: bool) -> str:
        """The caller's role: owner -> Athlete, the event's coach -> Coach, an admin client -> System."""
        if acting_user_id is not None and acting_user_id == self.user_id:
            return ATHLETE
        if acting_user_id is not None and acting_user_id == self.coach_id:
            return COACH
        if is_system:
            return SYSTEM
        raise NotBookingPartyError("Only the booking's owner, the event's coach or the system may do this.")

    def accept(self, role: str, meta: dict[str, str]) -> None:
        self._require_role(role, (COACH, SYSTEM))
        self._require_status(("Pending",), "accept")
        self._accept(meta=meta)

    def reject(self, role: str, meta: dict[str, str]) -> None:
        self._require_role(role, (COACH, SYSTEM))
        self._require_status(("Pending",), "reject")
        self._reject(meta=meta)

    def cancel(
        self, role: str, reason_code: str | None, reason_text: str | None, meta: dict[str, str]
    ) -> None:
        self._require_role(role, (ATHLETE, COACH, SYSTEM))
        if reason_code is not None and reason_code not in REASON_CODES:
            raise InvalidCancellationReasonError(
                f"cancellationReasonCode is one of {', '.join(REASON_CODES)}."
            )
        self._require_status(ACTIVE, "cancel")
        self._cancel(role=role, reason_code=reason_code, reason_text=checked_text(reason_text), meta=meta)

    def mark_completed(self, completed: bool, role: str, now: datetime, meta: dict[str, str]) -> None:
        self._require_role(role, (ATHLETE, COACH, SYSTEM))
        self._require_happened(now)
        self._require_status(("Accepted", "Pending", "InDispute", "DisputeDone"), "complete")
        if completed != self.completed:
            self._mark_completed(completed=completed, meta=meta)

    def write_note(self, note: str, role: str, now: datetime, meta: dict[str, str]) -> None:
        self._require_role(role, (ATHLETE, COACH))
        self._require_happened(now)
        self._write_note(note=str(checked_text(note)), meta=meta)

    def dismiss(self, acting_user_id: UUID, meta: dict[str, str]) -> None:
        if acting_user_id != self.user_id:
            raise NotBookingOwnerError("Only the booking's owner may dismiss it.")
        if self.status != "Canceled":
            raise BookingNotCanceledError("Only a cancelled booking can be dismissed.")
        if not self.dismissed:
            self._dismiss(meta=meta)

    def open_dispute(self, reason: str, role: str, now: datetime, meta: dict[str, str]) -> None:
        self._require_role(role, (ATHLETE, COACH))
        self._require_happened(now)
        self._require_status(("Accepted",), "dispute")
        self._dispute(reason=str(checked_text(reason)), meta=meta)

    def resolve_dispute(self, resolution: str, role: str, now: datetime, meta: dict[str, str]) -> None:
        self._require_role(role, (ATHLETE, COACH))
        self._require_happened(now)
        self._require_status(("InDispute",), "resolve the dispute of")
        self._resolve(resolution=str(checked_text(resolution)), meta=meta)

    def _require_role(self, role: str, allowed: tuple[str, ...]) -> None:
        if role not in allowed:
            caller = f"the {role}" if role else "someone who is not a party to the booking"
            raise NotBookingPartyError(f"This change is for the {' or the '.join(allowed)}, not {caller}.")

    def _require_status(self, allowed: tuple[str, ...], action: str) -> None:
        if self.status not in allowed:
            raise InvalidStatusTransitionError(f"Cannot {action} a booking that is {self.status}.")

    def _require_happened(self, now: datetime) -> None:
        if now < self.end_at:
            raise BookingNotHappenedYetError("The booking has not happened yet.")

    @event(Accepted)
    def _accept(self, meta: dict[str, str]) -> None:
        self.status = "Accepted"

    @event(Rejected)
    def _reject(self, meta: dict[str, str]) -> None:
        self.status = "Rejected"

    @event(Canceled)
    def _cancel(
        self, role: str, reason_code: str | None, reason_text: str | None, meta: dict[str, str]
    ) -> None:
        self.status = "Canceled"
        self.canceled_at = datetime.fromisoformat(meta["recordedAt"])
        self.canceled_by_role = role
        self.reason_code = reason_code
        self.reason_text = reason_text

    @event(CompletionMarked)
    def _mark_completed(self, completed: bool, meta: dict[str, str]) -> None:
        self.completed = completed

    @event(NoteWritten)
    def _write_note(self, note: str, meta: dict[str, str]) -> None:
        self.note = note

    @event(Dismissed)
    def _dismiss(self, meta: dict[str, str]) -> None:
        self.dismissed = True

    @event(Disputed)
    def _dispute(self, reason: str, meta: dict[str, str]) -> None:
        self.status = "InDispute"
        self.dispute_reason = reason

    @event(DisputeResolved)
    def _resolve(self, resolution: str, meta: dict[str, str]) -> None:
        self.status = "DisputeDone"
        self.dispute_resolution = resolution
