"""A booking of a resource made through the client API: priced by its rules, held on the calendar."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.calendar import Hold
from domain.resource_booking_errors import (
    BookingAlreadyCancelledError,
    BookingExpiredError,
    BookingNotPendingError,
    checked_text,
)
from domain.resource_booking_request import BookingRequest as BookingRequest

PENDING, CONFIRMED, CANCELLED, EXPIRED = "pending", "confirmed", "cancelled", "expired"
STATUSES = (PENDING, CONFIRMED, CANCELLED, EXPIRED)
BY_OPERATOR, BY_PAYMENT, AT_NO_CHARGE = "operator", "payment", "no_charge"
MAX_NOTES_LENGTH = 2000
MAX_REASON_LENGTH = 100
MAX_PAYMENT_TEXT_LENGTH = 255


class ResourceBooking(LedgerAggregate):
    """One booking of one resource for [start, end): pending until paid or confirmed, then maybe cancelled."""

    PERSONAL_FIELDS = ("notes",)

    class Requested(LedgerAggregate.Created):
        booking_id: UUID
        number: int
        reference_code: str
        client_id: UUID
        user_id: UUID
        resource_id: UUID
        venue_id: UUID
        organization_id: UUID
        start: datetime
        end: datetime
        participant_count: int
        notes: str
        total_price: str
        currency: str

    class Confirmed(LedgerAggregate.Event):
        via: str

    class Cancelled(LedgerAggregate.Event):
        reason: str
        notes: str

    class Expired(LedgerAggregate.Event):
        pass

    class PaymentDue(LedgerAggregate.Event):
        due_by: datetime

    class PaymentSucceeded(LedgerAggregate.Event):
        payment_id: str
        amount: str | None

    class PaymentFailed(LedgerAggregate.Event):
        payment_id: str
        reason: str

    @classmethod
    def request(
        cls, request: BookingRequest, meta: dict[str, str], payment_due_by: datetime | None = None
    ) -> ResourceBooking:
        """A pending booking; one that costs nothing is confirmed at once. With `payment_due_by` (its venue
        takes payment online), an unpaid booking may be expired from then on."""
        booking = cls(
            booking_id=request.booking_id,
            number=request.number,
            reference_code=request.reference_code,
            client_id=request.client_id,
            user_id=request.user_id,
            resource_id=request.resource_id,
            venue_id=request.venue_id,
            organization_id=request.organization_id,
            start=request.start,
            end=request.end,
            participant_count=request.participant_count,
            notes=checked_text(request.notes, "notes", MAX_NOTES_LENGTH),
            total_price=f"{request.total_price:f}",
            currency=request.currency,
            meta=meta,
        )
        if request.total_price == 0:
            booking._confirm(via=AT_NO_CHARGE, meta=meta)
        elif payment_due_by is not None:
            booking._payment_due(due_by=payment_due_by, meta=meta)
        return booking

    @staticmethod
    def create_id(booking_id: UUID, **_: object) -> UUID:
        # Chosen by the command, so a caller may derive it from an idempotency key and find it on a retry.
        return booking_id

    @event(Requested)
    def __init__(
        self,
        booking_id: UUID,
        number: int,
        reference_code: str,
        client_id: UUID,
        user_id: UUID,
        resource_id: UUID,
        venue_id: UUID,
        organization_id: UUID,
        start: datetime,
        end: datetime,
        participant_count: int,
        notes: str,
        total_price: str,
        currency: str,
        meta: dict[str, str],
    ) -> None:
        self.number = number
        self.reference_code = reference_code
        self.client_id = client_id
        self.user_id = user_id
        self.resource_id = resource_id
        self.venue_id = venue_id
        self.organization_id = organization_id
        self.start = start
        self.end = end
        self.participant_count = participant_count
        self.notes = notes
        self.total_price = Decimal(total_price)
        self.currency = currency
        self.status = PENDING
        self.created_at = datetime.fromisoformat(meta["recordedAt"])
        self.confirmed_via: str | None = None
        self.cancellation: tuple[str, str] | None = None
        self.payments: dict[str, str] = {}
        self.payment_due_by: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status in (PENDING, CONFIRMED)

    @property
    def hold(self) -> Hold | None:
        """The booking's hold on its resource while it is pending or confirmed."""
        return Hold(self.resource_id, self.start, self.end) if self.is_active else None

    def confirm(self, via: str, meta: dict[str, str]) -> bool:
        """Confirm a pending booking; confirming a confirmed one records nothing (False)."""
        if self.status == CONFIRMED:
            return False
        self._check_pending("confirmed")
        self._confirm(via=via, meta=meta)
        return True

    def cancel(self, reason: str, notes: str, meta: dict[str, str]) -> None:
        """Cancel a pending or confirmed booking; its slot is then free."""
        reason = checked_text(reason, "reason", MAX_REASON_LENGTH)
        notes = checked_text(notes, "notes", MAX_NOTES_LENGTH)
        if self.status == CANCELLED:
            raise BookingAlreadyCancelledError(f"Booking {self.reference_code} is already cancelled.")
        if self.status == EXPIRED:
            raise BookingExpiredError(f"Booking {self.reference_code} has expired; it cannot be cancelled.")
        self._cancel(reason=reason, notes=notes, meta=meta)

    def expire(self, meta: dict[str, str]) -> None:
        """Give up an unpaid pending booking's slot."""
        self._check_pending("expired")
        self._expire(meta=meta)

    def record_payment(
        self, payment_id: str, succeeded: bool, amount: Decimal | None, reason: str, meta: dict[str, str]
    ) -> bool:
        """Record a payment result; a success confirms a pending booking. A repeated result records nothing.

        A payment is a fact of the provider, so it is recorded whatever the status; a success on a cancelled
        or expired booking leaves it so (the money is owed back).
        """
        payment_id = checked_text(payment_id, "payment_id", MAX_PAYMENT_TEXT_LENGTH, required=True)
        known = self.payments.get(payment_id)
        if known == "succeeded" or (known == "failed" and not succeeded):
            return False
        if not succeeded:
            self._payment_failed(
                payment_id=payment_id,
                reason=checked_text(reason, "reason", MAX_PAYMENT_TEXT_LENGTH),
                meta=meta,
            )
            return True
        self._payment_succeeded(
            payment_id=payment_id, amount=None if amount is None else f"{amount:f}", meta=meta
        )
        if self.status == PENDING:
            self._confirm(via=BY_PAYMENT, meta=meta)
        return True

    def _check_pending(self, change: str) -> None:
        if self.status != PENDING:
            raise BookingNotPendingError(
                f"Booking {self.reference_code} is {self.status}; only a pending booking can be {change}.",
                status=self.status,
            )

    @event(Confirmed)
    def _confirm(self, via: str, meta: dict[str, str]) -> None:
        self.status = CONFIRMED
        self.confirmed_via = via

    @event(Cancelled)
    def _cancel(self, reason: str, notes: str, meta: dict[str, str]) -> None:
        self.status = CANCELLED
        self.cancellation = (reason, notes)

    @event(Expired)
    def _expire(self, meta: dict[str, str]) -> None:
        self.status = EXPIRED

    @event(PaymentDue)
    def _payment_due(self, due_by: datetime, meta: dict[str, str]) -> None:
        self.payment_due_by = due_by

    @event(PaymentSucceeded)
    def _payment_succeeded(self, payment_id: str, amount: str | None, meta: dict[str, str]) -> None:
        self.payments[payment_id] = "succeeded"

    @event(PaymentFailed)
    def _payment_failed(self, payment_id: str, reason: str, meta: dict[str, str]) -> None:
        self.payments[payment_id] = "failed"
