"""Givens for resource-booking command tests: an in-memory ledger, a Berlin court with the seed's rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.application import Ledger
from domain.context import ADMIN, Principal, RequestContext
from domain.organization import Resource
from domain.resource_booking import ResourceBooking
from tests.unit.allocators import in_memory_ledger
from tests.unit.availability_support import SEED_DAY, SEED_HOURS, SEED_RULES, berlin

# The seed's request: booked the day before, 10:00-11:30 in Berlin (37.50 at 25.00 an hour).
NOW = datetime(2025, 1, 14, 15, 30, tzinfo=UTC)
START = berlin(SEED_DAY, 10)
END = berlin(SEED_DAY, 11, 30)


def admin_context(now: datetime = NOW) -> RequestContext:
    return RequestContext(ADMIN, now, "r-admin")


def suffixes(*drawn: str) -> Iterator[str]:
    """The suffixes a reference-code draw yields, in order."""
    yield from drawn


@dataclass
class Club:
    """Given: a ledger with a Berlin venue, a court with the seed's rules, a client granted it, a user."""

    ledger: Ledger = field(default_factory=in_memory_ledger)

    def __post_init__(self) -> None:
        admin = admin_context()
        ledger = self.ledger
        organization = ledger.create_organization(admin, "Club", "Europe/Berlin").value
        self.venue = ledger.create_venue(admin, organization.id, "Centre", "Munich", None).value
        self.court = ledger.create_court(admin, self.venue.id, "Court 1").value
        ledger.set_booking_rules(admin, self.court.id, SEED_RULES, SEED_HOURS)
        self.client = ledger.create_client(
            admin, "Partner", ["court-bookings:write"], [organization.id]
        ).value
        self.other_client = ledger.create_client(
            admin, "Other", ["court-bookings:write"], [organization.id]
        ).value
        self.user = ledger.create_user(admin, "ana@example.com", None, None).value
        self.organization = organization

    def context(self, client_id: UUID | None = None, now: datetime = NOW) -> RequestContext:
        """The context of a client (by default the club's partner) calling at `now`."""
        client = self.ledger.get_client(client_id or self.client.id)
        principal = Principal(
            id=str(client.id),
            kind="client",
            scopes=frozenset(client.scopes),
            organization_ids=frozenset(client.organization_ids),
        )
        return RequestContext(principal, now, "r-client")

    def book(
        self,
        start: datetime = START,
        end: datetime = END,
        participants: int = 2,
        resource: str | int | UUID | None = None,
        client_id: UUID | None = None,
        now: datetime = NOW,
        booking_id: UUID | None = None,
    ) -> ResourceBooking:
        """When: the client books the court (or `resource`) for the user."""
        client = client_id or self.client.id
        return self.ledger.book_resource(
            self.context(client, now),
            client,
            self.user.id,
            resource if resource is not None else self.court.id,
            start,
            end,
            participants,
            "Optional booking notes",
            booking_id=booking_id,
        ).value

    def unruled_court(self) -> Resource:
        """Given: another court of the venue, without booking rules."""
        return self.ledger.create_court(admin_context(), self.venue.id, "Court 2").value

    def later(self, hours: float) -> datetime:
        return NOW + timedelta(hours=hours)
