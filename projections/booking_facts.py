"""The booking document every kind of booking maps to: its fields and types, a kind's facts and patches."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

# The type of each field of the document, in the order a response lists them: the query API's seed fields,
# then the ledger's own. `uuid` fields are strings holding a UUID; `instant` fields are UTC ISO 8601 strings.
SEED_FIELDS: dict[str, str] = {
    "bookingId": "uuid",
    "managedBy": "uuid",
    "date": "date",
    "eventId": "uuid",
    "memberId": "uuid",
    "funderMemberId": "string",
    "slotId": "string",
    "ticketId": "string",
    "ticketName": "string",
    "ticketSeries": "string",
    "funderProgrammeId": "string",
    "name": "string",
    "type": "string",
    "user": "uuid",
    "userEmail": "string",
    "userName": "string",
    "userStatus": "string",
    "orgStatus": "string",
    "attending": "boolean",
    "bookingType": "string",
    "booker": "uuid",
    "created": "instant",
    "updated": "instant",
    "start": "instant",
    "end": "instant",
    "duration": "number",
    "orderId": "uuid",
    "childEventId": "string",
    "customPrice": "number",
}
LEDGER_FIELDS: dict[str, str] = {
    "status": "string",
    "source": "string",
    "resourceId": "uuid",
    "venueId": "uuid",
    "externalServiceId": "uuid",
    "externalId": "string",
    "price": "number",
    "currency": "string",
    "ledgerPosition": "number",
}
DOCUMENT_FIELDS: dict[str, str] = {**SEED_FIELDS, **LEDGER_FIELDS}
# Seed fields that no kind fills yet; a kind that has them passes them in `BookingFacts.extra`.
OPEN_FIELDS = (
    "funderMemberId",
    "slotId",
    "ticketId",
    "ticketName",
    "ticketSeries",
    "funderProgrammeId",
    "childEventId",
    "customPrice",
)
# Where a booking came from: set by its first facts, kept when later facts revise its terms.
ORIGIN_FIELDS = ("created", "source", "bookingType", "externalServiceId", "externalId", "orderId")


def document_instant(moment: datetime) -> str:
    """An instant as the seed writes it: UTC with milliseconds, e.g. `2025-01-15T10:30:00.000Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _text(value: UUID | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class BookingFacts:
    """What a kind of booking knows about one booking at one event: the whole row, in the view's terms.

    References are resolved by the view: with no `organisation_id`, the booking belongs to the event's
    organisation, else to the ordering client's when it is granted exactly one; `venue_id` and `name` default
    to the resource's venue and name; `user_email` yields to the member's own; the local date is the start's
    in the venue's timezone, else the organisation's, else UTC.
    """

    booking_id: UUID
    source: str
    booking_type: str
    start: datetime
    end: datetime
    status: str
    user_status: str
    org_status: str
    at: datetime
    organisation_id: UUID | None = None
    client_id: UUID | None = None
    resource_id: UUID | None = None
    venue_id: UUID | None = None
    event_id: UUID | None = None
    member_id: UUID | None = None
    user_email: str | None = None
    booker_id: UUID | None = None
    order_id: UUID | None = None
    name: str | None = None
    type: str = "individual"
    attending: bool | None = None
    price: Decimal | None = None
    currency: str | None = None
    external_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    personal_keys: tuple[UUID, ...] = ()
    """The data keys of the personal values in the document (`userEmail`), kept out of the answers."""

    def __post_init__(self) -> None:
        unknown = set(self.extra) - set(OPEN_FIELDS)
        if unknown:
            raise ValueError(f"extra holds only the open seed fields, not {sorted(unknown)}.")

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def document(self, position: int) -> dict[str, Any]:
        """The document's fields known from the event; the view adds the ones it resolves."""
        return {
            **dict.fromkeys(DOCUMENT_FIELDS),
            "bookingId": str(self.booking_id),
            "eventId": _text(self.event_id),
            "memberId": _text(self.member_id),
            "name": self.name,
            "type": self.type,
            "user": _text(self.member_id),
            "userEmail": self.user_email,
            "userStatus": self.user_status,
            "orgStatus": self.org_status,
            "attending": self.attending,
            "bookingType": self.booking_type,
            "booker": _text(self.booker_id),
            "created": document_instant(self.at),
            "updated": document_instant(self.at),
            "start": document_instant(self.start),
            "end": document_instant(self.end),
            "duration": self.duration_minutes,
            "orderId": _text(self.order_id),
            "status": self.status,
            "source": self.source,
            "resourceId": _text(self.resource_id),
            "externalServiceId": _text(self.client_id),
            "externalId": self.external_id,
            "price": None if self.price is None else float(self.price),
            "currency": self.currency,
            "ledgerPosition": position,
            **self.extra,
            # Not a document field: erasure finds the documents holding a destroyed key's values by it.
            "personalKeys": [str(key) for key in self.personal_keys],
        }


PATCHABLE = frozenset({"status", "userStatus", "orgStatus", "attending", *OPEN_FIELDS})


@dataclass(frozen=True)
class BookingPatch:
    """A change to some fields of a booking already in the view (its lifecycle), at `at`."""

    booking_id: UUID
    at: datetime
    fields: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Fields the view resolves or indexes change only with whole facts, which resolve them again.
        unknown = set(self.fields) - PATCHABLE
        if unknown:
            raise ValueError(f"A patch changes only {sorted(PATCHABLE)}, not {sorted(unknown)}.")

    def document(self, position: int) -> dict[str, Any]:
        return {**self.fields, "updated": document_instant(self.at), "ledgerPosition": position}


BookingChange = BookingFacts | BookingPatch


@dataclass(frozen=True)
class BookingKind:
    """One kind of booking: the events that change one, and the one function that maps each to the view.

    The view writes and queries every kind alike, so a new kind of booking is one of these and nothing else.
    """

    name: str
    events: tuple[type, ...]
    change: Callable[[Any], BookingChange | None]
