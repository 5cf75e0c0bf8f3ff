"""Appointments: a booking template booked for a customer at a slot, holding its resources on the calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.booking_template import BookingTemplate
from domain.calendar import Hold
from domain.customer import Customer
from domain.errors import ConflictError, NotFoundError
from domain.template_slots import hold_of

STATUS_BOOKED = "booked"
STATUS_CANCELLED = "cancelled"


class AppointmentNotFoundError(NotFoundError):
    """Raised when an appointment id names no appointment of the organization."""


class SlotTakenError(ConflictError):
    """Raised when a slot's time was booked on its resource since the slot was offered."""


class SlotNoLongerBookableError(ConflictError):
    """Raised when a slot is no longer within its template's booking window, resources or opening hours."""


class AppointmentStartedError(ConflictError):
    """Raised when an appointment is cancelled once it has started."""


class Appointment(LedgerAggregate):
    """A template's appointment for a customer: when, on which resources, at what price, and its status.

    It holds its resources from `hold_start` (its start less the template's lead time) to `hold_end` (its end
    plus the follow-up time), as the template said when it was booked.
    """

    class Booked(LedgerAggregate.Created):
        organization_id: UUID
        template_id: UUID
        resource_ids: list[UUID]
        name: str
        start: datetime
        end: datetime
        hold_start: datetime
        hold_end: datetime
        price_gross: str
        tax_rate: str
        currency: str
        customer: dict[str, Any]

    class Cancelled(LedgerAggregate.Event):
        pass

    PERSONAL_FIELDS = ("customer",)

    @classmethod
    def book(
        cls,
        template: BookingTemplate,
        resource_ids: tuple[UUID, ...],
        start: datetime,
        customer: Customer,
        meta: dict[str, str],
    ) -> Appointment:
        """An appointment of the template at `start`; the slot and the customer are checked by the caller."""
        terms = template.terms
        hold_start, hold_end = hold_of(terms, start)
        return cls(
            organization_id=template.organization_id,
            template_id=template.id,
            resource_ids=list(resource_ids),
            name=terms.name,
            start=start,
            end=start + terms.length,
            hold_start=hold_start,
            hold_end=hold_end,
            price_gross=template.settings["price_gross"],
            tax_rate=template.settings["tax_rate"],
            currency=terms.currency,
            customer=customer.as_dict(),
            meta=meta,
        )

    @event(Booked)
    def __init__(
        self,
        organization_id: UUID,
        template_id: UUID,
        resource_ids: list[UUID],
        name: str,
        start: datetime,
        end: datetime,
        hold_start: datetime,
        hold_end: datetime,
        price_gross: str,
        tax_rate: str,
        currency: str,
        customer: dict[str, Any],
        meta: dict[str, str],
    ) -> None:
        self.organization_id = organization_id
        self.template_id = template_id
        self.resource_ids = list(resource_ids)
        self.name = name
        self.start = start
        self.end = end
        self.hold_start = hold_start
        self.hold_end = hold_end
        self.price_gross = price_gross
        self.tax_rate = tax_rate
        self.currency = currency
        self.customer = dict(customer)
        self.status = STATUS_BOOKED

    @property
    def holds(self) -> list[Hold]:
        """What the appointment holds on the calendar, one hold per resource."""
        return [Hold(resource_id, self.hold_start, self.hold_end) for resource_id in self.resource_ids]

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def cancel(self, now: datetime, meta: dict[str, str]) -> bool:
        """Cancel before the start; answers False when it already was cancelled."""
        if self.status == STATUS_CANCELLED:
            return False
        if now >= self.start:
            raise AppointmentStartedError("An appointment can be cancelled only before it starts.")
        self._cancel(meta=meta)
        return True

    @event(Cancelled)
    def _cancel(self, meta: dict[str, str]) -> None:
        self.status = STATUS_CANCELLED
