"""What the change feed says about each event: entity, change type, owning client, and the entity's new state.

The state holds what a partner syncing the entity needs to act on, and no personal data (participants,
customers, notes, free-text reasons): the entity itself is read through its own API when more is needed,
and erasing a person's data never has to reach into the feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.appointment import Appointment
from domain.booking import Booking
from domain.court_booking import CourtBooking
from domain.order import Order
from domain.resource_booking import ResourceBooking


@dataclass(frozen=True)
class EntityChange:
    """One change of one entity: a new entity's whole state (`creates`), or the state fields it sets."""

    entity: str
    entity_id: UUID
    type: str
    state: dict[str, Any]
    creates: bool = False
    owner: UUID | None = None
    """The client that sees the entity's changes; given when it is created, then looked up by entity."""
    external_id: str | None = None


def instant(moment: datetime) -> str:
    """An instant as the feed writes it: UTC with milliseconds, e.g. `2030-05-01T10:00:00.000Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def change_type(entity: str, event_class: type) -> str:
    return f"{entity}.{snake(event_class.__name__)}"


def _client_actor(meta: dict[str, str]) -> UUID | None:
    """The client that made a change: the event's actor, when that is a client."""
    return UUID(meta["actor"]) if meta.get("actorKind") == "client" else None


@dataclass(frozen=True)
class ChangeMapping:
    """How the events of one class change an entity: a creation when `owner` names the entity's client."""

    entity: str
    state: Callable[[Any], dict[str, Any]]
    owner: Callable[[Any], UUID | None] | None = None
    external_id: Callable[[Any], str] | None = None

    def __call__(self, event: Any) -> EntityChange | None:
        client = self.owner(event) if self.owner is not None else None
        if self.owner is not None and client is None:
            return None  # created by no client (an operator): no client's feed shows it
        return EntityChange(
            entity=self.entity,
            entity_id=event.originator_id,
            type=change_type(self.entity, type(event)),
            state=self.state(event),
            creates=self.owner is not None,
            owner=client,
            external_id=self.external_id(event) if self.external_id is not None else None,
        )


def _court_terms(event: Any) -> dict[str, Any]:
    return {
        "status": "active",
        "organizationId": str(event.organization_id),
        "courtId": str(event.court_id),
        "start": instant(event.start),
        "end": instant(event.end),
        "externalUpdatedAt": instant(event.external_updated_at),
        "participantCount": len(event.participants),
    }


def _booking_requested(event: Booking.Requested) -> dict[str, Any]:
    return {
        "status": "Pending",
        "orderId": str(event.order_id),
        "userId": str(event.user_id),
        "coachId": str(event.coach_id),
        "eventId": str(event.event_id),
        "sportId": str(event.sport_id),
        "startAt": instant(event.start_at),
        "endAt": instant(event.end_at),
        "completed": False,
        "dismissed": False,
    }


def _order_placed(event: Order.Placed) -> dict[str, Any]:
    return {
        "userId": str(event.user_id),
        "eventIds": [str(each) for each in event.event_ids],
        "bookingIds": [str(each) for each in event.booking_ids],
        "paymentType": event.payment_type,
        "paymentStatus": event.payment_status,
    }


def _resource_requested(event: ResourceBooking.Requested) -> dict[str, Any]:
    return {
        "status": "pending",
        "number": event.number,
        "referenceCode": event.reference_code,
        "userId": str(event.user_id),
        "resourceId": str(event.resource_id),
        "venueId": str(event.venue_id),
        "organizationId": str(event.organization_id),
        "start": instant(event.start),
        "end": instant(event.end),
        "participantCount": event.participant_count,
        "totalPrice": event.total_price,
        "currency": event.currency,
    }


def _appointment_booked(event: Appointment.Booked) -> dict[str, Any]:
    return {
        "status": "BOOKED",
        "organizationId": str(event.organization_id),
        "templateId": str(event.template_id),
        "resourceIds": [str(each) for each in event.resource_ids],
        "start": instant(event.start),
        "end": instant(event.end),
    }


def _sets(**fields: Any) -> Callable[[Any], dict[str, Any]]:
    return lambda _: dict(fields)


COURT, BOOKING, ORDER, RESOURCE, APPOINTMENT = (
    "court_booking",
    "booking",
    "order",
    "resource_booking",
    "appointment",
)
CHANGES: dict[type, ChangeMapping] = {
    CourtBooking.Registered: ChangeMapping(
        COURT,
        _court_terms,
        owner=lambda e: e.external_service_id,
        external_id=lambda e: e.external_court_booking_id,
    ),
    CourtBooking.Revised: ChangeMapping(COURT, _court_terms),
    CourtBooking.Reactivated: ChangeMapping(COURT, _court_terms),
    CourtBooking.Canceled: ChangeMapping(
        COURT, lambda e: {"status": "canceled", "externalUpdatedAt": instant(e.external_updated_at)}
    ),
    Booking.Requested: ChangeMapping(BOOKING, _booking_requested, owner=lambda e: e.client_id),
    Booking.Accepted: ChangeMapping(BOOKING, _sets(status="Accepted")),
    Booking.Rejected: ChangeMapping(BOOKING, _sets(status="Rejected")),
    Booking.Canceled: ChangeMapping(
        BOOKING,
        lambda e: {"status": "Canceled", "canceledByRole": e.role, "cancellationReasonCode": e.reason_code},
    ),
    Booking.CompletionMarked: ChangeMapping(BOOKING, lambda e: {"completed": e.completed}),
    Booking.NoteWritten: ChangeMapping(BOOKING, _sets(hasNote=True)),
    Booking.Dismissed: ChangeMapping(BOOKING, _sets(dismissed=True)),
    Booking.Disputed: ChangeMapping(BOOKING, _sets(status="InDispute")),
    Booking.DisputeResolved: ChangeMapping(BOOKING, _sets(status="DisputeDone")),
    Order.Placed: ChangeMapping(ORDER, _order_placed, owner=lambda e: e.client_id),
    Order.PaymentSettled: ChangeMapping(ORDER, lambda e: {"paymentStatus": e.status}),
    ResourceBooking.Requested: ChangeMapping(RESOURCE, _resource_requested, owner=lambda e: e.client_id),
    ResourceBooking.PaymentDue: ChangeMapping(RESOURCE, lambda e: {"paymentDueBy": instant(e.due_by)}),
    ResourceBooking.Confirmed: ChangeMapping(RESOURCE, _sets(status="confirmed")),
    ResourceBooking.Cancelled: ChangeMapping(RESOURCE, _sets(status="cancelled")),
    ResourceBooking.Expired: ChangeMapping(RESOURCE, _sets(status="expired")),
    ResourceBooking.PaymentSucceeded: ChangeMapping(RESOURCE, _sets(paymentStatus="succeeded")),
    ResourceBooking.PaymentFailed: ChangeMapping(RESOURCE, _sets(paymentStatus="failed")),
    Appointment.Booked: ChangeMapping(
        APPOINTMENT, _appointment_booked, owner=lambda e: _client_actor(e.meta)
    ),
    Appointment.Cancelled: ChangeMapping(APPOINTMENT, _sets(status="CANCELLED")),
}
ENTITIES = (COURT, BOOKING, ORDER, RESOURCE, APPOINTMENT)
CHANGE_TYPES = tuple(change_type(mapping.entity, cls) for cls, mapping in CHANGES.items())
