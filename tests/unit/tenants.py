"""Given helpers for command tests without a database: a ledger with an organization, a court and clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from domain.application import Ledger
from domain.context import ADMIN, Principal, RequestContext
from domain.organization import Organization, Resource, Venue
from tests.unit.allocators import in_memory_ledger

NOW = datetime(2030, 1, 1, 9, 30, tzinfo=UTC)


def admin_context() -> RequestContext:
    return RequestContext(ADMIN, NOW, "admin-request")


@dataclass
class Place:
    """Given: an in-memory ledger with one organization, one venue with one court, and a client granted it."""

    ledger: Ledger
    organization: Organization
    venue: Venue
    court: Resource
    client: RequestContext

    def new_client(self, *organization_ids: UUID) -> RequestContext:
        """The context of a further client, granted the given organizations."""
        return client_context(self.ledger, *organization_ids)

    def new_court(self, venue: Venue | None = None) -> Resource:
        return self.ledger.create_court(admin_context(), (venue or self.venue).id, "Court").value

    def new_organization(self) -> tuple[Organization, Venue, Resource]:
        """A further organization, not granted to the client, with a venue and a court."""
        ledger, admin = self.ledger, admin_context()
        organization = ledger.create_organization(admin, "Other Club", "Europe/Berlin").value
        venue = ledger.create_venue(admin, organization.id, "Other Centre", "Munich", None).value
        return organization, venue, ledger.create_court(admin, venue.id, "Other Court").value


def client_context(ledger: Ledger, *organization_ids: UUID) -> RequestContext:
    client = ledger.create_client(admin_context(), "Partner", ["court-bookings:read"], list(organization_ids))
    principal = Principal(
        id=str(client.value.id),
        kind="client",
        scopes=frozenset(client.value.scopes),
        organization_ids=frozenset(organization_ids),
    )
    return RequestContext(principal, NOW, "client-request")


def place() -> Place:
    ledger, admin = in_memory_ledger(), admin_context()
    organization = ledger.create_organization(admin, "Club", "Europe/Berlin").value
    venue = ledger.create_venue(admin, organization.id, "Sports Center Munich", "Munich", None).value
    court = ledger.create_court(admin, venue.id, "Court 1").value
    return Place(ledger, organization, venue, court, client_context(ledger, organization.id))


def client_id(ctx: RequestContext) -> UUID:
    assert ctx.principal.client_id is not None
    return ctx.principal.client_id
