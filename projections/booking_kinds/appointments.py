"""Appointments booked through the module API in the bookings query view: one mapping of their events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.appointment import Appointment
from projections.booking_facts import BookingChange, BookingFacts, BookingKind, BookingPatch
from projections.personal_data import key_ids

CANCELLED = {"status": "cancelled", "userStatus": "cancelled", "orgStatus": "cancelled"}


def _booking_client(meta: dict[str, str]) -> UUID | None:
    """The client that booked the appointment: the event's actor, when that is a client."""
    return UUID(meta["actor"]) if meta.get("actorKind") == "client" else None


def appointment_change(event: Any) -> BookingChange:
    """The view's change for one event of an appointment."""
    if isinstance(event, Appointment.Cancelled):
        return BookingPatch(event.originator_id, event.recorded_at, CANCELLED)
    booked: Appointment.Booked = event
    resource_ids = booked.resource_ids
    return BookingFacts(
        booking_id=booked.originator_id,
        source="module-api",
        booking_type="appointment",
        start=booked.start,
        end=booked.end,
        status="booked",
        user_status="confirmed",
        org_status="approved",
        at=booked.recorded_at,
        organisation_id=booked.organization_id,
        client_id=_booking_client(booked.meta),
        resource_id=resource_ids[0] if resource_ids else None,
        # The template's name tells what was booked; the court is named by resourceId.
        name=booked.name,
        user_email=booked.customer.get("email") or None,
        price=Decimal(booked.price_gross),
        currency=booked.currency,
        personal_keys=tuple(key for key in [key_ids(booked, "customer")] if isinstance(key, UUID)),
    )


APPOINTMENTS = BookingKind(
    name="appointment",
    events=(Appointment.Booked, Appointment.Cancelled),
    change=appointment_change,
)
