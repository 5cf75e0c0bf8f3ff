"""The command groups behind the module API: booking templates, their slots, and appointments."""

from __future__ import annotations

from domain.appointment_commands import AppointmentCommands
from domain.booking_template_commands import BookingTemplateCommands
from domain.slot_commands import SlotCommands


class ModuleCommands(BookingTemplateCommands, SlotCommands, AppointmentCommands):
    """Booking templates, slots and appointments, on the same calendar as every other booking."""
