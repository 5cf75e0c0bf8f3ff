"""The console's pages: court calendar, a booking's history, utilisation with its charts, and view health."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Path, Request, Response
from pydantic import TypeAdapter, ValidationError

from api.console.auth import session_csrf_token
from api.console.calendar_grid import day_grid
from api.console.charts import SVG_POLICY, heatmap_svg, weekly_svg
from api.console.deps import Analyst, Reads, Viewer, chosen_organisation, parse_date, parse_uuid
from api.console.errors import ConsoleInputError
from api.console.history_view import BookingHistoryNotFoundError, booking_versions, selected_version
from api.console.rendering import render_page
from api.console.surface import SURFACE
from api.console.utilisation_view import MAX_CONSOLE_DAYS, read_console_utilisation
from api.query.deps import granted_organisation
from api.shared.deps import RuntimeDep
from domain.context import Principal
from ledger.instants import Rfc3339Instant
from ledger.metrics import view_lags
from projections.analytics_bookings import AnalyticsBookingsView
from replay.rebuild_log import last_rebuilds

router = SURFACE.router(include_in_schema=False)
CHARTS = ("heatmap", "weekly")


def signed_in_page(request: Request, principal: Principal, template: str, **context: Any) -> Response:
    """A page for the signed-in principal: its header names them and carries the sign-out form's token."""
    return render_page(template, principal=principal, csrf=session_csrf_token(request), **context)


def _zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


@cache
def _instants() -> TypeAdapter[datetime]:
    return TypeAdapter(Rfc3339Instant)


def _instant(raw: str | None) -> datetime | None:
    if raw is None or not raw.strip():
        return None
    try:
        return _instants().validate_python(raw.strip())
    except ValidationError:
        raise ConsoleInputError("asOf must be an RFC 3339 instant, e.g. 2030-05-01T10:00:00Z.") from None


@router.get("/calendar")
def calendar(
    request: Request,
    analyst: Analyst,
    reads: Reads,
    runtime: RuntimeDep,
    organisationId: str | None = None,
    venueId: str | None = None,
    day: str | None = None,
    days: str | None = None,
    cancelled: str | None = None,
) -> Response:
    """A venue's courts as columns and its bookings of every kind as blocks, for a day or a week."""
    organisations, organisation = chosen_organisation(analyst, reads, organisationId)
    venues = reads.children(organisation.id) if organisation else []
    wanted = parse_uuid(venueId, "venueId")
    venue = next((v for v in venues if v.id == wanted), None) if wanted else (venues[0] if venues else None)
    if wanted and venue is None:
        raise ConsoleInputError("The venue is not one of the organisation's.")
    zone = _zone(venue.timezone if venue else organisation.timezone if organisation else None)
    first = parse_date(day, "day") or runtime.clock().astimezone(zone).date()
    span = 7 if days == "7" else 1
    grids = []
    if organisation and venue:
        courts = reads.children(venue.id)
        last = first + timedelta(days=span - 1)
        bookings = reads.venue_bookings(organisation.id, venue.id, first, last)
        for offset in range(span):
            current = first + timedelta(days=offset)
            grids.append(day_grid(current, zone, courts, [b for b in bookings if b.local_date == current]))
    return signed_in_page(
        request,
        analyst,
        "calendar.html",
        organisations=organisations,
        organisation=organisation,
        venues=venues,
        venue=venue,
        zone=str(zone),
        first=first,
        span=span,
        show_cancelled=cancelled == "1",
        grids=grids,
        step=timedelta(days=span),
    )


@router.get("/bookings/{bookingId}/history")
def history(
    request: Request,
    viewer: Viewer,
    reads: Reads,
    runtime: RuntimeDep,
    bookingId: Annotated[str, Path()],
    version: str | None = None,
    asOf: str | None = None,
) -> Response:
    """Every event of a booking: who, when, under which request; the state as of a version or an instant."""
    booking_id = parse_uuid(bookingId, "bookingId")
    booking = reads.booking(booking_id) if booking_id else None
    if booking is None or booking_id is None:
        raise BookingHistoryNotFoundError("No booking with this id is in the bookings view.")
    # Checked as the query API checks an organisation: one not granted is refused, not hidden.
    granted_organisation(viewer, str(booking.organisation_id) if booking.organisation_id else "")
    number = _version_number(version)
    instant = _instant(asOf)
    versions = booking_versions(runtime.ledger, booking_id, viewer.has_scope("audit:read"))
    chosen = selected_version(versions, number, instant)
    venue = reads.places([booking.venue_id])[0] if booking.venue_id else None
    return signed_in_page(
        request,
        viewer,
        "history.html",
        booking=booking,
        versions=versions,
        chosen=chosen,
        zone=str(_zone(venue.timezone if venue else None)),
        as_of=asOf or "",
        personal=viewer.has_scope("audit:read"),
    )


def _version_number(raw: str | None) -> int | None:
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise ConsoleInputError("version must be a positive whole number.")
    return int(raw.strip())


def _period(runtime: RuntimeDep, raw_from: str | None, raw_to: str | None) -> tuple[date, date]:
    today = runtime.clock().date()
    monday = today - timedelta(days=today.weekday())
    first = parse_date(raw_from, "from") or monday - timedelta(days=21)
    last = parse_date(raw_to, "to") or monday + timedelta(days=6)
    if not 0 <= (last - first).days < MAX_CONSOLE_DAYS:
        raise ConsoleInputError(f"from must come before to, at most {MAX_CONSOLE_DAYS} days before it.")
    return first, last


@router.get("/utilisation")
def utilisation(
    request: Request,
    analyst: Analyst,
    reads: Reads,
    runtime: RuntimeDep,
    organisationId: str | None = None,
    to: str | None = None,
) -> Response:
    """Booked against open minutes per court and week, cancellations and revenue: the analytics numbers."""
    raw_from = request.query_params.get("from")
    organisations, organisation = chosen_organisation(analyst, reads, organisationId)
    first, last = _period(runtime, raw_from, to)
    numbers = (
        read_console_utilisation(runtime.view(AnalyticsBookingsView), organisation.id, first, last)
        if organisation
        else None
    )
    return signed_in_page(
        request,
        analyst,
        "utilisation.html",
        organisations=organisations,
        organisation=organisation,
        first=first,
        last=last,
        numbers=numbers,
    )


@router.get("/charts/utilisation-{chart}.svg")
def utilisation_chart(
    request: Request,
    analyst: Analyst,
    reads: Reads,
    runtime: RuntimeDep,
    chart: str,
    organisationId: str | None = None,
    to: str | None = None,
) -> Response:
    if chart not in CHARTS:
        raise ConsoleInputError(f"The charts are {', '.join(CHARTS)}.")
    _, organisation = chosen_organisation(analyst, reads, organisationId)
    if organisation is None:
        raise ConsoleInputError("organisationId is required.")
    first, last = _period(runtime, request.query_params.get("from"), to)
    numbers = read_console_utilisation(runtime.view(AnalyticsBookingsView), organisation.id, first, last)
    weeks = tuple(week.key or "" for week in numbers.weeks)
    if chart == "heatmap":
        courts = tuple(court.name or court.key or "" for court in numbers.named_courts)
        svg = heatmap_svg(courts, weeks, tuple(map(tuple, numbers.ratios())))
    else:
        booked = tuple(week.booked_minutes for week in numbers.weeks)
        svg = weekly_svg(weeks, booked, tuple(week.available_minutes for week in numbers.weeks))
    headers = {
        "Content-Security-Policy": SVG_POLICY,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(svg, media_type="image/svg+xml", headers=headers)


@router.get("/health")
def health(request: Request, viewer: Viewer, runtime: RuntimeDep) -> Response:
    """Each view's position against the log's head, and when it was last rebuilt."""
    lags = view_lags(runtime)
    positions = {name: view.position() for name, view in runtime.views.items()}
    some_view = next(iter(runtime.views.values()))
    with some_view.datastore.transaction(commit=False) as curs:
        rebuilds = last_rebuilds(curs, runtime.settings.db_schema)
    rows = [
        {"name": name, "position": positions[name], "lag": lag, "rebuild": rebuilds.get(name)}
        for name, lag in sorted(lags.items())
    ]
    checked_at = datetime.now(tz=ZoneInfo("UTC"))
    return signed_in_page(request, viewer, "health.html", rows=rows, checked_at=checked_at)
