"""Router of the client API's availability: a resource's free, priced ranges by your resource id."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, Response

from api.client_api.booking_schemas import AvailabilityOut
from api.client_api.deps import ClientContext
from api.client_api.schemas import ExternalIdQuery
from api.client_api.surface import SURFACE
from api.shared.deps import RuntimeDep
from domain.booking_checks import ResourceNotBookableError
from domain.calendar import MAX_DAYS_READ, InvalidDateRangeError
from domain.client_mappings import ResourceMappingNotFoundError

router = SURFACE.router(prefix="/api/v1/resources", tags=["client API: availability"])


@router.get(
    "/availability/",
    response_model=AvailabilityOut,
    responses=SURFACE.responses(
        InvalidDateRangeError, ResourceNotBookableError, ResourceMappingNotFoundError
    ),
)
def resource_availability(
    resource_external_id: ExternalIdQuery,
    start_date: Annotated[date, Query(description="The first of the venue's dates, YYYY-MM-DD.")],
    ctx: ClientContext,
    runtime: RuntimeDep,
    end_date: Annotated[
        date | None,
        Query(description=f"The last date (default: start_date); at most {MAX_DAYS_READ} dates in all."),
    ] = None,
) -> Response:
    """The free ranges of your resource on each of the venue's dates from start_date to end_date: its
    opening hours minus every reservation (from any surface), from `min_advance_booking_minutes` to
    `max_advance_booking_days` ahead, on its booking grid, split where the price or label changes; ranges
    shorter than the minimum duration are left out. Times are the venue's wall clock (its `timezone`)."""
    last = start_date if end_date is None else end_date
    if last < start_date:
        raise InvalidDateRangeError("end_date must not be before start_date.")
    if (last - start_date).days >= MAX_DAYS_READ:
        raise InvalidDateRangeError(f"Availability covers at most {MAX_DAYS_READ} days per request.")
    ledger = runtime.ledger
    mapped = ledger.lookup_client_resource(ctx, resource_external_id)
    found = ledger.resource_availability(mapped.resource, start_date, last, ctx.now, mapped.venue)
    terms = found.terms
    number = terms.resource.number
    if number is None:
        number = ledger.numbered_resource(ctx, terms.resource.id).value.number or 0
    ranges = (free for day in sorted(found.ranges) for free in found.ranges[day])
    dates = (start_date, last)
    body = AvailabilityOut.json_of(
        number, terms.resource, terms.venue, terms.rules, dates, ranges, terms.rules.currency
    )
    return Response(body, media_type="application/json")
