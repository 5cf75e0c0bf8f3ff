"""Partner court bookings (partner-sync surface) in the bookings query view: one mapping of their events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.court_booking import CourtBooking, RecordedTerms
from projections.booking_facts import BookingChange, BookingFacts, BookingKind, BookingPatch
from projections.personal_data import element_key

CANCELED = {"status": "canceled", "userStatus": "cancelled", "orgStatus": "cancelled"}


def _member(participants: list[dict[str, str]]) -> tuple[UUID | None, str | None]:
    """The booking's member: its first participant who is a user, else the first one's email."""
    for participant in participants:
        if "userId" in participant:
            return UUID(participant["userId"]), None
    return None, participants[0].get("email") if participants else None


def court_booking_change(event: Any) -> BookingChange:
    """The view's change for one event of a court booking."""
    if isinstance(event, CourtBooking.Canceled):
        return BookingPatch(event.originator_id, event.recorded_at, CANCELED)
    terms: RecordedTerms = event
    member_id, email = _member(terms.participants)
    # Only registration names the partner and its own id; a revision leaves them as they were.
    registered = isinstance(event, CourtBooking.Registered)
    return BookingFacts(
        booking_id=event.originator_id,
        source="partner-sync",
        booking_type="court",
        start=terms.start,
        end=terms.end,
        status="active",
        user_status="confirmed",
        org_status="approved",
        at=event.recorded_at,
        organisation_id=terms.organization_id,
        client_id=event.external_service_id if registered else None,
        resource_id=terms.court_id,
        member_id=member_id,
        user_email=email,
        booker_id=member_id,
        type="individual" if len(terms.participants) == 1 else "group",
        external_id=event.external_court_booking_id if registered else None,
        personal_keys=tuple(key for key in [element_key(event, "participants", 0)] if email and key),
    )


COURT_BOOKINGS = BookingKind(
    name="court",
    events=(
        CourtBooking.Registered,
        CourtBooking.Revised,
        CourtBooking.Reactivated,
        CourtBooking.Canceled,
    ),
    change=court_booking_change,
)
