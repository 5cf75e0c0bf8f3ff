"""Commands of appointments: book a signed slot for a customer, read an appointment, cancel it."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.app_base import Saved
from domain.appointment import (
    Appointment,
    AppointmentNotFoundError,
    SlotNoLongerBookableError,
    SlotTakenError,
)
from domain.booking_template import BookingTemplate, BookingTemplateNotFoundError
from domain.context import RequestContext
from domain.customer import Customer
from domain.errors import AccessDeniedError
from domain.resource_day import CourtBookingOverlapError, ResourceDay
from domain.slot_ids import InvalidSlotIdError, SlotClaim, read_slot_id
from domain.template_reads import TemplateReads
from domain.template_slots import Verdict, hold_of, slot_verdict

SLOT_TAKEN = "The booking slot was booked by someone else in the meantime; choose another slot."


class OrganizationNotGrantedError(AccessDeniedError):
    """Raised when the caller books or reads appointments of an organization not granted to it."""


class AppointmentCommands(TemplateReads):
    """Appointments; each booking and cancellation saves the appointment with its calendar days."""

    def add_appointment(
        self,
        ctx: RequestContext,
        organization_id: UUID,
        slot_id: str,
        customer: Customer,
        *,
        slot_keys: Sequence[bytes],
    ) -> Saved[Appointment]:
        """Book the slot that `slot_id` states (signed with one of `slot_keys`) for the customer, bindingly.

        The slot is checked again against the template and the calendar as they are now; a slot booked in
        the meantime raises `SlotTakenError`, also when a concurrent booking wins the race for it.
        """
        self._check_granted(ctx, organization_id)
        claim = read_slot_id(slot_id, slot_keys, ctx.now)

        def attempt() -> Saved[Appointment]:
            template = self._template_of_slot(organization_id, claim)
            customer.check_required(template.terms)
            self._check_slot(template, claim, ctx)
            meta = ctx.meta()
            appointment = Appointment.book(template, claim.resource_ids, claim.start, customer, meta)
            days: list[ResourceDay] = []
            for hold in appointment.holds:
                try:
                    days.extend(self.calendar.reserve(appointment.id, hold, meta))
                except CourtBookingOverlapError:
                    raise SlotTakenError(SLOT_TAKEN) from None
            return Saved(appointment, created=True, position=self.save_all(appointment, *days))

        return self.with_retry(attempt)

    def get_appointment(
        self, ctx: RequestContext, organization_id: UUID, appointment_id: UUID
    ) -> Appointment:
        """The organization's appointment; another organization's is not found, as a missing one."""
        self._check_granted(ctx, organization_id)
        appointment = self.find(appointment_id, Appointment)
        if appointment is None or appointment.organization_id != organization_id:
            raise AppointmentNotFoundError(f"Appointment {appointment_id} was not found.")
        return appointment

    def cancel_appointment(
        self, ctx: RequestContext, organization_id: UUID, appointment_id: UUID
    ) -> Saved[Appointment]:
        """Cancel the appointment before it starts and free what it held; cancelling again changes nothing."""

        def attempt() -> Saved[Appointment]:
            appointment = self.get_appointment(ctx, organization_id, appointment_id)
            meta = ctx.meta()
            if not appointment.cancel(ctx.now, meta):
                return Saved(appointment)
            days = [
                day for hold in appointment.holds for day in self.calendar.release(appointment.id, hold, meta)
            ]
            return Saved(appointment, position=self.save_all(appointment, *days))

        return self.with_retry(attempt)

    def _template_of_slot(self, organization_id: UUID, claim: SlotClaim) -> BookingTemplate:
        try:
            return self.get_booking_template(organization_id, claim.template_id)
        except BookingTemplateNotFoundError:
            raise InvalidSlotIdError("The slot id is not one of this organization's booking slots.") from None

    def _check_slot(self, template: BookingTemplate, claim: SlotClaim, ctx: RequestContext) -> None:
        """Raise unless the claimed start is still a slot of the template on each of its resources."""
        terms = template.terms
        if not set(claim.resource_ids) <= set(terms.resource_ids):
            raise SlotNoLongerBookableError("The booking template no longer books this slot's resources.")
        tz = self.template_timezone(template)
        resources = self.template_resources(claim.resource_ids)
        for times in self.resource_times(resources, hold_of(terms, claim.start)):
            verdict = slot_verdict(terms, times, tz, ctx.now, claim.start)
            if verdict is Verdict.TAKEN:
                raise SlotTakenError(SLOT_TAKEN)
            if verdict is Verdict.UNAVAILABLE:
                raise SlotNoLongerBookableError(
                    "The booking slot is no longer bookable: it is outside the template's booking window or "
                    "the resource's opening hours now; choose another slot."
                )

    @staticmethod
    def _check_granted(ctx: RequestContext, organization_id: UUID) -> None:
        principal = ctx.principal
        if not principal.has_scope("admin") and organization_id not in principal.organization_ids:
            raise OrganizationNotGrantedError("The organization is not granted to the caller.")
