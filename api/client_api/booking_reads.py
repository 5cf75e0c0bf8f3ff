"""What the booking routes of the client API share: user headers, the cancel body, the booking shape."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Request

from api.client_api.booking_schemas import BookingFacts, ClientBookingOut, ClientCancelIn
from api.client_api.deps import client_context
from api.shared.deps import json_body
from domain.application import Ledger
from domain.context import RequestContext
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from domain.resource_booking import ResourceBooking
from domain.resource_booking_errors import ResourceBookingNotFoundError
from domain.user import User

UserExternalIdHeader = Annotated[
    str | None,
    Header(
        alias="X-User-External-ID",
        max_length=255,
        description="Your id of the user the request acts for (or give X-User-ID).",
    ),
]
UserIdHeader = Annotated[
    str | None,
    Header(alias="X-User-ID", max_length=64, description="The ledger's id (UUID) of the user."),
]


def acting_user(
    ledger: Ledger, ctx: RequestContext, external_id: str | None, user_id: str | None
) -> User | None:
    """The user the headers name among the client's own users; None when they name no one."""
    if not (external_id and external_id.strip()) and not (user_id and user_id.strip()):
        return None
    return ledger.resolve_client_user(ctx, external_id, user_id)


def users_booking(
    ledger: Ledger, ctx: RequestContext, ref: str, external_id: str | None, user_id: str | None
) -> ResourceBooking:
    """The client's booking that `ref` names (number, UUID or reference code). With a user header it must
    be that user's booking too; any other booking is not found, exactly as a missing one."""
    booking = ledger.get_resource_booking(ctx, ref)
    user = acting_user(ledger, ctx, external_id, user_id)
    if user is not None and booking.user_id != user.id:
        raise ResourceBookingNotFoundError(f"Booking {ref} was not found.")
    return booking


_parse_cancel = json_body(ClientCancelIn, client_context)


async def cancel_body(
    request: Request, ctx: Annotated[RequestContext, Depends(client_context)]
) -> ClientCancelIn:
    """The cancellation's reason and notes; an empty body gives neither."""
    if not (await request.body()).strip():
        return ClientCancelIn()
    return await _parse_cancel(request, ctx)


class BookingRenderer:
    """Shows bookings in the seed's shape, reading each resource and venue once per response."""

    def __init__(self, ledger: Ledger, ctx: RequestContext) -> None:
        self.ledger = ledger
        self.ctx = ctx
        self._resources: dict[UUID, tuple[int, Resource]] = {}
        self._venues: dict[UUID, Venue] = {}

    def __call__(self, facts: BookingFacts) -> ClientBookingOut:
        number, resource = self._resource(facts.resource_id)
        return ClientBookingOut.of(facts, number, resource, self._venue(resource.venue_id))

    def booking(self, booking: ResourceBooking) -> ClientBookingOut:
        return self(BookingFacts.of_booking(booking))

    def _resource(self, resource_id: UUID) -> tuple[int, Resource]:
        if resource_id not in self._resources:
            resource = self.ledger.load(resource_id, Resource, ResourceNotFoundError, "Resource")
            if resource.number is None:
                resource = self.ledger.numbered_resource(self.ctx, resource_id).value
            self._resources[resource_id] = (resource.number or 0, resource)
        return self._resources[resource_id]

    def _venue(self, venue_id: UUID) -> Venue:
        if venue_id not in self._venues:
            self._venues[venue_id] = self.ledger.load(venue_id, Venue, VenueNotFoundError, "Venue")
        return self._venues[venue_id]
