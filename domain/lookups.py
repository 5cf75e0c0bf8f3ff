"""Reads that the command groups share: registry entities by UUID or number, links, events, the calendar."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.app_base import LedgerBase
from domain.caches import BoundedCache
from domain.calendar import Calendar
from domain.client import Client, ClientNotFoundError, ClientUserLink, UserClients
from domain.coach_event import CoachEvent, CoachEventNotFoundError
from domain.context import Principal, RequestContext
from domain.event_visibility import client_may_see_event
from domain.ids import client_user_link_id, number_index_id, resource_day_id, user_clients_id
from domain.key_checks import RecentKeyChecks
from domain.numbers import NumberIndex, parse_ref
from domain.organization import (
    CourtNotFoundError,
    Organization,
    OrganizationNotFoundError,
    Resource,
    ResourceNotFoundError,
    Venue,
    VenueNotFoundError,
)
from domain.resource_day import ResourceDay


class Lookups(LedgerBase):
    """The shared base of the command groups: the reads they have in common, so no group calls another."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._courts: BoundedCache[Resource] = BoundedCache()
        self._grants: BoundedCache[frozenset[UUID]] = BoundedCache()
        self.calendar = Calendar(self._find_day, self._find_days)
        # Calendar days as range reads last saw them; each read brings them up to date with their new events.
        self._days_read: BoundedCache[ResourceDay] = BoundedCache(4096)
        # A number names the same entity forever, so the ids found by number are cached.
        self._ids_by_number: BoundedCache[UUID] = BoundedCache()
        self.key_checks = RecentKeyChecks()

    def get_organization(self, organization_id: UUID) -> Organization:
        return self.load(organization_id, Organization, OrganizationNotFoundError, "Organization")

    def get_client(self, client_id: UUID) -> Client:
        return self.load(client_id, Client, ClientNotFoundError, "Client")

    def get_court(self, court_id: UUID) -> Resource:
        # A court's organization, venue and kind never change, so a cached court serves the booking checks;
        # its number may be assigned later (numbered_resource), so read the number through resolve_resource.
        court = self._courts.get(court_id)
        if court is None:
            court = self.load(court_id, Resource, CourtNotFoundError, "Court")
            if court.kind != "court":
                raise CourtNotFoundError(f"Court {court_id} was not found.")
            self._courts.put(court_id, court)
        return court

    def resolve_venue(self, ref: str | int | UUID) -> Venue:
        """The venue that `ref` names: its integer number (an int or a string of digits) or its UUID."""
        venue_id = self._entity_id("venue", ref)
        venue = self.find(venue_id, Venue) if venue_id is not None else None
        if venue is None:
            raise VenueNotFoundError(f"Venue {ref} was not found.")
        return venue

    def resolve_resource(self, ref: str | int | UUID) -> Resource:
        """The resource that `ref` names: its integer number (an int or a string of digits) or its UUID."""
        resource_id = self._entity_id("resource", ref)
        resource = self.find(resource_id, Resource) if resource_id is not None else None
        if resource is None:
            raise ResourceNotFoundError(f"Resource {ref} was not found.")
        return resource

    def is_user_linked(self, client_id: UUID, user_id: UUID) -> bool:
        return self.find(client_user_link_id(client_id, user_id), ClientUserLink) is not None

    def can_act_for(self, principal: Principal, user_id: UUID) -> bool:
        """Whether the principal may act for the user: only a client the user is linked to may."""
        client_id = principal.client_id
        return client_id is not None and self.is_user_linked(client_id, user_id)

    def can_see_user(self, principal: Principal, user_id: UUID) -> bool:
        """Whether the principal may read the user's records: an admin client, or one acting for them."""
        return principal.has_scope("admin") or self.can_act_for(principal, user_id)

    def clients_of_user(self, user_id: UUID) -> list[UUID]:
        """The clients the user is linked to, read from the user's side of the links."""
        user_clients = self.find(user_clients_id(user_id), UserClients)
        return list(user_clients.client_ids) if user_clients is not None else []

    def organizations_of_client(self, client_id: UUID) -> frozenset[UUID]:
        """The organizations granted to the client; grants never change, so they are cached."""
        granted = self._grants.get(client_id)
        if granted is None:
            granted = frozenset(self.get_client(client_id).organization_ids)
            self._grants.put(client_id, granted)
        return granted

    def get_coach_event(self, event_id: UUID, as_of: datetime | None = None) -> CoachEvent:
        return self.load(event_id, CoachEvent, CoachEventNotFoundError, "Coach event", as_of)

    def get_visible_coach_event(self, ctx: RequestContext, event_id: UUID) -> CoachEvent:
        """The event, if the caller may see it; an event of another tenant is not found, as a missing one."""
        coach_event = self.find(event_id, CoachEvent)
        if coach_event is None or not self.may_see_event(ctx.principal, coach_event):
            raise CoachEventNotFoundError(f"Event {event_id} was not found.", event_ids=[str(event_id)])
        return coach_event

    def may_see_event(self, principal: Principal, coach_event: CoachEvent) -> bool:
        grants = self._coach_client_grants(principal, coach_event.coach_id)
        return client_may_see_event(principal, coach_event, grants)

    def _coach_client_grants(self, principal: Principal, coach_id: UUID) -> Iterator[frozenset[UUID]]:
        """The organizations of each client the coach is linked to, read only as far as they are asked for.

        The caller's own link is read first and directly, so links made before the user's side was kept count.
        """
        client_id = principal.client_id
        if client_id is not None and self.is_user_linked(client_id, coach_id):
            yield principal.organization_ids
        for other in self.clients_of_user(coach_id):
            if other != client_id:
                yield self.organizations_of_client(other)

    def _entity_id(self, kind: str, ref: str | int | UUID) -> UUID | None:
        """The id of the entity of `kind` that `ref` names, by UUID or through the number index."""
        parsed = parse_ref(ref)
        if not isinstance(parsed, int):
            return parsed
        cached = self._ids_by_number.get((kind, parsed))
        if cached is None:
            index = self.find(number_index_id(kind, parsed), NumberIndex)
            if index is None:
                return None
            cached = index.entity_id
            self._ids_by_number.put((kind, parsed), cached)
        return cached

    def _assign_number(self, kind: str, entity: Venue | Resource, ctx: RequestContext) -> NumberIndex:
        """Assign the next number of `kind` to the unnumbered entity; the index entry to save with it."""
        meta, number = ctx.meta(), self.next_number(kind)
        entity.assign_number(number, meta)
        return NumberIndex.claim(kind, number, entity.id, meta)

    def _find_day(self, resource_id: UUID, day: date) -> ResourceDay | None:
        return self.find(resource_day_id(resource_id, day), ResourceDay)

    def _find_days(self, resource_id: UUID, days: Sequence[date]) -> dict[date, ResourceDay]:
        day_of = {resource_day_id(resource_id, day): day for day in days}
        found = self.find_all(list(day_of), ResourceDay, self._days_read)
        return {day_of[day.id]: day for day in found.values()}

    def _may_see(self, ctx: RequestContext, client_id: UUID) -> bool:
        return ctx.principal.client_id == client_id or ctx.principal.has_scope("admin")
