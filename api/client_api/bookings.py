"""Router of the client API's bookings: book a resource for a user by your ids, list, read and cancel."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Response

from api.client_api.booking_reads import (
    BookingRenderer,
    UserExternalIdHeader,
    UserIdHeader,
    acting_user,
    cancel_body,
    users_booking,
)
from api.client_api.booking_schemas import (
    BookingFacts,
    ClientBookingIn,
    ClientBookingOut,
    ClientCancelIn,
    Status,
)
from api.client_api.deps import IDEMPOTENT, ClientContext, client_context, etag, run_idempotent, written
from api.client_api.schemas import Limit, Offset
from api.client_api.surface import SURFACE
from api.shared.consistency import consistent_with
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.problems import PositionBeyondHeadError
from domain import booking_checks
from domain.availability import InvalidIntervalError
from domain.calendar import InvalidDateRangeError
from domain.client_mappings import ResourceMappingNotFoundError
from domain.ids import resource_booking_id
from domain.organization import ResourceNotFoundError
from domain.resource_booking_commands import BookingIdTakenError
from domain.resource_booking_errors import (
    BookingAlreadyCancelledError,
    BookingExpiredError,
    InvalidBookingTextError,
    ResourceBookingNotFoundError,
)
from domain.user_mapping_commands import (
    UserIdentificationRequiredError,
    UserIdentityMismatchError,
    UserMappingNotFoundError,
)
from domain.venue_mappings import VenueMappingNotApprovedError, VenueNotMappedError
from projections.resource_bookings import ResourceBookingFilter, ResourceBookingsView

router = SURFACE.router(prefix="/api/v1/bookings", tags=["client API: bookings"])
BookingBody = Annotated[ClientBookingIn, Depends(json_body(ClientBookingIn, client_context))]
Consistency = Annotated[
    bool | None, Depends(consistent_with(lambda runtime: runtime.view(ResourceBookingsView)))
]
BookingRef = Annotated[
    str,
    Path(min_length=1, max_length=64, description="The booking's number, UUID or reference code."),
]
USER_ERRORS = (UserIdentificationRequiredError, UserIdentityMismatchError, UserMappingNotFoundError)
RULE_ERRORS = (
    booking_checks.ResourceNotBookableError,
    booking_checks.MisalignedBookingError,
    booking_checks.BookingTooShortError,
    booking_checks.BookingTooLongError,
    booking_checks.BookingTooSoonError,
    booking_checks.BookingTooFarAheadError,
    booking_checks.ParticipantCountError,
    booking_checks.OutsideOpeningHoursError,
    booking_checks.UnbookableGapError,
    booking_checks.SlotNotAvailableError,
)


@router.post(
    "/",
    response_model=ClientBookingOut,
    status_code=201,
    responses={
        201: {
            "model": ClientBookingOut,
            "description": "The booking, pending (confirmed at once when free).",
        },
        **SURFACE.responses(
            *USER_ERRORS,
            ResourceMappingNotFoundError,
            ResourceNotFoundError,
            VenueNotMappedError,
            VenueMappingNotApprovedError,
            InvalidIntervalError,
            InvalidBookingTextError,
            BookingIdTakenError,
            *RULE_ERRORS,
            *IDEMPOTENT,
        ),
    },
    openapi_extra=body_openapi(ClientBookingIn),
)
def create_booking(
    request: Request,
    body: BookingBody,
    ctx: ClientContext,
    runtime: RuntimeDep,
    user_external_id: UserExternalIdHeader = None,
    user_id: UserIdHeader = None,
) -> Response:
    """Book your resource for the user of X-User-External-ID (or X-User-ID). The checks run in this order,
    each with its own error: the resource is mapped by you (404), its venue mapping approved (403) and the
    resource bookable; start and end on the booking grid; the minimum and maximum duration; the advance
    limits; participant_count from 1 to the capacity; inside the opening hours; no free gap left shorter
    than the minimum duration (with prevent_unbookable_gaps); and the time free (400 `The requested time
    slot is not available`). The price is the sum over the priced opening ranges covered. A race with any
    other booking of the slot, from any surface, has one winner. Honours Idempotency-Key."""
    ledger = runtime.ledger

    def handle() -> Response:
        user = ledger.resolve_client_user(ctx, user_external_id, user_id)
        bookable = ledger.bookable_resource_for_client(ctx, body.resource_external_id)
        client_id = bookable.mapped.mapping.client_id
        key = request.headers.get("idempotency-key")
        saved = ledger.book_resource(
            ctx,
            client_id,
            user.id,
            bookable.mapped.resource.id,
            body.start_datetime,
            body.end_datetime,
            body.participant_count,
            body.notes,
            booking_id=resource_booking_id(client_id, key) if key else None,
        )
        out = BookingRenderer(ledger, ctx).booking(saved.value)
        return written(runtime, out, 201, saved.position)

    return run_idempotent(request, ctx, handle, user_external_id or "", user_id or "")


@router.get(
    "/",
    responses=SURFACE.responses(
        InvalidDateRangeError, ResourceMappingNotFoundError, *USER_ERRORS, PositionBeyondHeadError
    ),
)
def list_bookings(
    ctx: ClientContext,
    runtime: RuntimeDep,
    consistency: Consistency,
    status: Annotated[Status | None, Query(description="Only bookings of this status.")] = None,
    resource_external_id: Annotated[
        str | None, Query(min_length=1, max_length=255, description="Only bookings of your resource.")
    ] = None,
    user_external_id: Annotated[
        str | None,
        Query(min_length=1, max_length=255, description="Only your user's (default: the user headers')."),
    ] = None,
    start_date: Annotated[
        date | None, Query(description="Bookings starting on this venue date or later.")
    ] = None,
    end_date: Annotated[
        date | None, Query(description="Bookings starting on this venue date or earlier.")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    header_external_id: UserExternalIdHeader = None,
    header_user_id: UserIdHeader = None,
) -> list[ClientBookingOut]:
    """Your bookings ordered by start, from the bookings view: wait for your own write with
    `consistentWith=<its X-Ledger-Position>` (or the X-Ledger-Consistent-With header)."""
    ledger = runtime.ledger
    if start_date is not None and end_date is not None and end_date < start_date:
        raise InvalidDateRangeError("end_date must not be before start_date.")
    user = (
        ledger.lookup_client_user(ctx, user_external_id).user
        if user_external_id is not None
        else acting_user(ledger, ctx, header_external_id, header_user_id)
    )
    resource = (
        ledger.lookup_client_resource(ctx, resource_external_id).resource
        if resource_external_id is not None
        else None
    )
    where = ResourceBookingFilter(
        client_id=ledger.calling_client(ctx),
        status=status,
        resource_id=resource.id if resource is not None else None,
        user_id=user.id if user is not None else None,
        first_date=start_date,
        last_date=end_date,
    )
    rows = runtime.view(ResourceBookingsView).list_resource_bookings(where, limit, offset)
    render = BookingRenderer(ledger, ctx)
    return [render(BookingFacts.of_row(row)) for row in rows]


@router.get("/{booking_id}/", responses=SURFACE.responses(ResourceBookingNotFoundError, *USER_ERRORS))
def get_booking(
    booking_id: BookingRef,
    ctx: ClientContext,
    runtime: RuntimeDep,
    response: Response,
    user_external_id: UserExternalIdHeader = None,
    user_id: UserIdHeader = None,
) -> ClientBookingOut:
    """Your booking by its number, UUID or reference code; with a user header, only that user's. Another
    client's bookings are never found."""
    booking = users_booking(runtime.ledger, ctx, booking_id, user_external_id, user_id)
    response.headers["ETag"] = etag(booking.version)
    return BookingRenderer(runtime.ledger, ctx).booking(booking)


@router.post(
    "/{booking_id}/cancel/",
    response_model=ClientBookingOut,
    responses=SURFACE.responses(
        ResourceBookingNotFoundError,
        *USER_ERRORS,
        BookingAlreadyCancelledError,
        BookingExpiredError,
        InvalidBookingTextError,
        *IDEMPOTENT,
    ),
    openapi_extra={"requestBody": {**body_openapi(ClientCancelIn)["requestBody"], "required": False}},
)
def cancel_booking(
    request: Request,
    booking_id: BookingRef,
    body: Annotated[ClientCancelIn, Depends(cancel_body)],
    ctx: ClientContext,
    runtime: RuntimeDep,
    user_external_id: UserExternalIdHeader = None,
    user_id: UserIdHeader = None,
) -> Response:
    """Cancel your booking (with a user header, only that user's): its slot is free at once. A cancelled
    or expired booking answers 400. The body `{reason, notes}` is optional. Honours Idempotency-Key."""
    ledger = runtime.ledger

    def handle() -> Response:
        booking = users_booking(ledger, ctx, booking_id, user_external_id, user_id)
        saved = ledger.cancel_resource_booking(ctx, booking.id, body.reason, body.notes)
        return written(runtime, BookingRenderer(ledger, ctx).booking(saved.value), 200, saved.position)

    return run_idempotent(request, ctx, handle, user_external_id or "", user_id or "")
