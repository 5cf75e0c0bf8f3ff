"""Which coach events a client may see: those of its organizations, as for every resource of a tenant."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.coach_event import CoachEvent
from domain.context import Principal


def client_may_see_event(
    principal: Principal, coach_event: CoachEvent, coach_client_grants: Iterable[frozenset[UUID]]
) -> bool:
    """Whether the principal may see (and book) the event.

    An event belongs to its organization; one without an organization belongs to the organizations granted to
    the clients its coach is linked to (`coach_client_grants`, one set per client; read lazily, so the first
    shared organization ends the search). Admins see every event.
    """
    if principal.has_scope("admin"):
        return True
    if coach_event.organization_id is not None:
        return coach_event.organization_id in principal.organization_ids
    return any(principal.organization_ids & granted for granted in coach_client_grants)
