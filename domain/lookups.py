"""Reads that the command groups share: registry entities, client-user links, coach events, the calendar."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.app_base import LedgerBase
from domain.caches import BoundedCache
from domain.calendar import Calendar
from domain.client import Client, ClientNotFoundError, ClientUserLink
from domain.coach_event import CoachEvent, CoachEventNotFoundError
from domain.context import Principal, RequestContext
from domain.ids import client_user_link_id, resource_day_id
from domain.organization import CourtNotFoundError, Organization, OrganizationNotFoundError, Resource
from domain.resource_day import ResourceDay


class Lookups(LedgerBase):
    """The shared base of the command groups: the reads they have in common, so no group calls another."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._courts: BoundedCache[Resource] = BoundedCache()
        self.calendar = Calendar(self._find_day)

    def get_organization(self, organization_id: UUID) -> Organization:
        return self.load(organization_id, Organization, OrganizationNotFoundError, "Organization")

    def get_client(self, client_id: UUID) -> Client:
        return self.load(client_id, Client, ClientNotFoundError, "Client")

    def get_court(self, court_id: UUID) -> Resource:
        # Resources have no events after their registration, so a loaded court never goes stale.
        court = self._courts.get(court_id)
        if court is None:
            court = self.load(court_id, Resource, CourtNotFoundError, "Court")
            if court.kind != "court":
                raise CourtNotFoundError(f"Court {court_id} was not found.")
            self._courts.put(court_id, court)
        return court

    def is_user_linked(self, client_id: UUID, user_id: UUID) -> bool:
        return self.find(client_user_link_id(client_id, user_id), ClientUserLink) is not None

    def can_act_for(self, principal: Principal, user_id: UUID) -> bool:
        """Whether the principal may act for the user: only a client the user is linked to may."""
        client_id = principal.client_id
        return client_id is not None and self.is_user_linked(client_id, user_id)

    def can_see_user(self, principal: Principal, user_id: UUID) -> bool:
        """Whether the principal may read the user's records: an admin client, or one acting for them."""
        return principal.has_scope("admin") or self.can_act_for(principal, user_id)

    def get_coach_event(self, event_id: UUID) -> CoachEvent:
        return self.load(event_id, CoachEvent, CoachEventNotFoundError, "Coach event")

    def _find_day(self, resource_id: UUID, day: date) -> ResourceDay | None:
        return self.find(resource_day_id(resource_id, day), ResourceDay)

    def _may_see(self, ctx: RequestContext, client_id: UUID) -> bool:
        return ctx.principal.client_id == client_id or ctx.principal.has_scope("admin")
