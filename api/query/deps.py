"""Dependencies of the query surface: the analyst (scope and organisation grant) and the parsed query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Request

from api.query.errors import InvalidOrganisationIdError, MissingOrganisationError, OrganisationNotGrantedError
from api.query.filters import (
    parse_filters,
    parse_limit,
    parse_offset,
    parse_profile_fields,
    single_values,
)
from api.shared.auth import require_scope
from api.shared.consistency import consistent_with
from domain.context import Principal
from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_queries import BookingQuery

SCOPE = "analytics:read"
Analyst = Annotated[Principal, Depends(require_scope(SCOPE))]


def granted_organisation(principal: Principal, raw: str | None) -> UUID:
    """The organisation the analyst asks about, once its key is known to be granted it."""
    if raw is None or not raw.strip():
        raise MissingOrganisationError("organisationId is required.")
    try:
        organisation_id = UUID(raw.strip())
    except ValueError:
        raise InvalidOrganisationIdError("organisationId must be an organisation's id (a UUID).") from None
    # A client with the admin scope is the ledger's own and reads every organisation.
    if organisation_id not in principal.organization_ids and "admin" not in principal.scopes:
        raise OrganisationNotGrantedError(f"The API key is not authorised for {organisation_id}.")
    return organisation_id


def query_organisation(
    analyst: Analyst,
    organisationId: Annotated[
        str | None, Query(description="The organisation whose bookings to read; required.")
    ] = None,
) -> UUID:
    return granted_organisation(analyst, organisationId)


@dataclass(frozen=True)
class BookingsRequest:
    """A parsed `GET /api/v1/bookings`: the query of the view and the profile fields to show."""

    query: BookingQuery
    profile_fields: tuple[str, ...]


def bookings_request(
    request: Request,
    organisation_id: Annotated[UUID, Depends(query_organisation)],
    limit: Annotated[
        str | None, Query(description="At most this many bookings (default 100, at most 250).")
    ] = None,
    offset: Annotated[str | None, Query(description="Skip this many bookings (default 0).")] = None,
    profileFields: Annotated[
        str | None,
        Query(description="Comma-separated profile field ids (default: Full Name,Postcode,Email,Phone)."),
    ] = None,
) -> BookingsRequest:
    parameters = single_values(request.query_params.multi_items())
    query = BookingQuery(organisation_id, parse_filters(parameters), parse_limit(limit), parse_offset(offset))
    return BookingsRequest(query, parse_profile_fields(profileFields))


ParsedBookingsRequest = Annotated[BookingsRequest, Depends(bookings_request)]
Consistency = Annotated[
    bool | None, Depends(consistent_with(lambda runtime: runtime.view(AnalyticsBookingsView)))
]
