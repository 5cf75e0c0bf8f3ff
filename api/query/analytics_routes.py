"""Analytics of the query surface: utilisation, and bookings with their lead times, over a period."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from api.query.analytics_params import PERIOD_ERRORS, period_query
from api.query.analytics_schemas import BookingsSummaryOut, UtilisationOut
from api.query.deps import Analyst, Consistency, query_organisation
from api.query.errors import InvalidOrganisationIdError, MissingOrganisationError, RepeatedParameterError
from api.query.routes import answer
from api.query.surface import SURFACE
from api.shared.deps import RuntimeDep
from api.shared.problems import PositionBeyondHeadError
from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_summaries import (
    BOOKINGS_KEYS,
    UTILISATION_KEYS,
    PeriodQuery,
    read_lead_times,
    read_utilisation,
)

router = SURFACE.router(prefix="/api/v1/analytics", tags=["query"])
Organisation = Annotated[UUID, Depends(query_organisation)]
ERRORS = SURFACE.responses(
    MissingOrganisationError,
    InvalidOrganisationIdError,
    RepeatedParameterError,
    PositionBeyondHeadError,
    *PERIOD_ERRORS,
)
From = Annotated[str | None, Query(alias="from", description="First local date, YYYY-MM-DD; required.")]
To = Annotated[str | None, Query(description="Last local date (included), YYYY-MM-DD; at most 366 days on.")]


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):f}"


def _head(query: PeriodQuery) -> dict[str, Any]:
    return {
        "organisationId": str(query.organisation_id),
        "from": query.first.isoformat(),
        "to": query.last.isoformat(),
        "groupBy": query.group_by,
    }


@router.get(
    "/utilisation",
    summary="Utilisation of an organisation's places",
    response_model=UtilisationOut,
    responses=ERRORS,
)
def utilisation(
    request: Request,
    analyst: Analyst,
    organisation_id: Organisation,
    consistency: Consistency,
    runtime: RuntimeDep,
    response: Response,
    from_: From = None,
    to: To = None,
    groupBy: Annotated[str | None, Query(description="resource, venue, day (default) or week.")] = None,
) -> JSONResponse:
    """Booked minutes, bookings, cancellations and revenue per currency of the bookings whose local date is
    in the period, per resource, venue, day or week (its Monday); where the resources' opening hours are
    known, also their open minutes and the utilisation ratio."""
    query = period_query(request, organisation_id, tuple(UTILISATION_KEYS))
    groups = read_utilisation(runtime.view(AnalyticsBookingsView), query)
    body = {
        **_head(query),
        "groups": [
            {
                "key": group.key,
                "name": group.name,
                "bookedMinutes": group.booked_minutes,
                "bookings": group.bookings,
                "cancellations": group.cancellations,
                "revenue": {currency: _money(amount) for currency, amount in sorted(group.revenue.items())},
                "availableMinutes": group.available_minutes,
                "utilisation": group.utilisation,
            }
            for group in groups
        ],
    }
    return answer(body, response)


@router.get(
    "/bookings",
    summary="Bookings and lead times of an organisation",
    response_model=BookingsSummaryOut,
    responses=ERRORS,
)
def bookings(
    request: Request,
    analyst: Analyst,
    organisation_id: Organisation,
    consistency: Consistency,
    runtime: RuntimeDep,
    response: Response,
    from_: From = None,
    to: To = None,
    groupBy: Annotated[str | None, Query(description="source, status (userStatus) or day (default).")] = None,
) -> JSONResponse:
    """Bookings whose local date is in the period, per source, member status (`userStatus`) or day, with
    the percentiles 50 and 90 of their lead time (start minus creation) in minutes."""
    query = period_query(request, organisation_id, tuple(BOOKINGS_KEYS))
    groups = read_lead_times(runtime.view(AnalyticsBookingsView), query)
    body = {
        **_head(query),
        "groups": [
            {
                "key": group.key,
                "bookings": group.bookings,
                "leadTimeMinutes": {"p50": group.lead_p50_minutes, "p90": group.lead_p90_minutes},
            }
            for group in groups
        ],
    }
    return answer(body, response)
