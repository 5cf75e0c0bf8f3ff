"""Router of the bookings-and-orders surface (LE-KO): orders, payments and the booking lifecycle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Concatenate, ParamSpec
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.responses import Response

from api.bookings_deps import Caller, caller_with, idempotency_key, run_idempotent
from api.bookings_schemas import (
    BookingOut,
    CancelIn,
    CompletedIn,
    DisputeIn,
    ErrorsBody,
    NoteIn,
    OrderIn,
    OrderOut,
    PaymentResultIn,
    ResolutionIn,
)
from api.deps import RuntimeDep, body_openapi, json_body
from api.schemas_common import Instant
from domain.app_base import Saved
from domain.application import Ledger
from domain.booking import Booking
from domain.booking_commands import OrderWithBookings
from domain.context import RequestContext
from domain.court_booking import UserAccessDeniedError
from ledger.runtime import Runtime

router = APIRouter(prefix="/api/v1", tags=["bookings and orders"])
P = ParamSpec("P")

order_writer = caller_with("orders:write")
payment_provider = caller_with("orders:write", acting_user_required=False)
booking_writer = caller_with("bookings:write")
reader = caller_with("bookings:read")
OrderWriter = Annotated[Caller, Depends(order_writer)]
PaymentProvider = Annotated[Caller, Depends(payment_provider)]
BookingWriter = Annotated[Caller, Depends(booking_writer)]
Reader = Annotated[Caller, Depends(reader)]
VIEW_WAIT_SECONDS = 2.0
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorsBody, "description": description}
    for status, description in {
        400: "validation: a malformed body, parameter or traceparent",
        401: "unauthorized: no or an invalid API key",
        403: "forbidden, not_booking_owner, not_booking_party",
        404: "not_found",
        409: "a rule's code: event_full, invalid_status_transition, booking_not_happened_yet, ...",
        413: "payload_too_large",
        422: "idempotency_key_reused",
        429: "rate_limited: retry after Retry-After seconds",
        431: "headers_too_large",
        503: "service_unavailable or write_contention (nothing was written): retry after Retry-After seconds",
    }.items()
}
OrderBody = Annotated[OrderIn, Depends(json_body(OrderIn, order_writer))]
PaymentBody = Annotated[PaymentResultIn, Depends(json_body(PaymentResultIn, payment_provider))]
CancelBody = Annotated[CancelIn, Depends(json_body(CancelIn, booking_writer))]
CompletedBody = Annotated[CompletedIn, Depends(json_body(CompletedIn, booking_writer))]
NoteBody = Annotated[NoteIn, Depends(json_body(NoteIn, booking_writer))]
DisputeBody = Annotated[DisputeIn, Depends(json_body(DisputeIn, booking_writer))]
ResolutionBody = Annotated[ResolutionIn, Depends(json_body(ResolutionIn, booking_writer))]


def booking_views(
    runtime: Runtime, caller: Caller, bookings: list[Booking], position: int | None
) -> list[BookingOut]:
    """Bookings in the response shape; event status from the aggregates, cardinality from the view."""
    if position is not None:
        runtime.bookings.wait_for(position, VIEW_WAIT_SECONDS)
    found = runtime.bookings.bookings_by_ids(caller.visible_client(), [b.id for b in bookings])
    rows = {row["booking_id"]: row for row in found}
    statuses = {
        event_id: runtime.ledger.get_coach_event(event_id).status
        for event_id in {b.event_id for b in bookings}
    }
    return [
        BookingOut.of(b, statuses[b.event_id], rows[b.id]["service_cardinality"] if b.id in rows else None)
        for b in bookings
    ]


def as_json(runtime: Runtime, model: Any, status: int, position: int | None) -> JSONResponse:
    headers = {"X-Ledger-Position": str(runtime.reported_position(position))}
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def order_json(
    runtime: Runtime, caller: Caller, found: OrderWithBookings, position: int | None, status: int
) -> JSONResponse:
    order_out = OrderOut.of(found.order, booking_views(runtime, caller, found.bookings, position))
    return as_json(runtime, order_out, status, position)


@router.post(
    "/orders", status_code=201, response_model=OrderOut, responses=ERRORS, openapi_extra=body_openapi(OrderIn)
)
def create_order(request: Request, body: OrderBody, caller: OrderWriter, runtime: RuntimeDep) -> Response:
    """One Pending booking per event, all or nothing; honours Idempotency-Key."""

    def handle() -> Response:
        placed = runtime.ledger.place_order(
            caller.ctx,
            body.userId,
            body.eventIds,
            body.paymentMethod.type,
            body.paymentMethod.methodId,
            idempotency_key(request),
        )
        return order_json(runtime, caller, placed.value, placed.position, 201)

    return run_idempotent(request, caller, handle)


@router.get("/orders", responses=ERRORS)
def list_orders(
    caller: Reader,
    runtime: RuntimeDep,
    userId: UUID,
    startAt: Annotated[Instant | None, Query(description="Orders created at or after this.")] = None,
    endAt: Annotated[Instant | None, Query(description="Orders created before this.")] = None,
) -> list[OrderOut]:
    _check_user_visible(caller, runtime, userId)
    rows = runtime.bookings.orders_by_user(caller.visible_client(), userId, startAt, endAt)
    return [OrderOut.from_row(row) for row in rows]


@router.get("/orders/{orderId}", responses=ERRORS)
def get_order(orderId: UUID, caller: Reader, runtime: RuntimeDep) -> OrderOut:
    found = runtime.ledger.get_order(caller.ctx, orderId)
    return OrderOut.of(found.order, booking_views(runtime, caller, found.bookings, None))


@router.post(
    "/orders/{orderId}/payment",
    response_model=OrderOut,
    responses=ERRORS,
    openapi_extra=body_openapi(PaymentResultIn),
)
def settle_payment(
    request: Request,
    orderId: UUID,
    body: PaymentBody,
    caller: PaymentProvider,
    runtime: RuntimeDep,
) -> Response:
    """The payment provider's callback: Paid, or Failed (which cancels the order's bookings)."""

    def handle() -> Response:
        settled = runtime.ledger.settle_payment(caller.ctx, orderId, body.status)
        return order_json(runtime, caller, settled.value, settled.position, 200)

    return run_idempotent(request, caller, handle)


@router.get("/bookings/by-user/{userId}", responses=ERRORS)
def bookings_by_user(
    userId: UUID,
    caller: Reader,
    runtime: RuntimeDep,
    startAt: Annotated[Instant | None, Query()] = None,
    endAt: Annotated[Instant | None, Query()] = None,
) -> list[BookingOut]:
    """The user's bookings overlapping [startAt, endAt), without the ones the user dismissed."""
    _check_user_visible(caller, runtime, userId)
    rows = runtime.bookings.bookings_by_user(caller.visible_client(), userId, startAt, endAt)
    return [BookingOut.from_row(row) for row in rows]


@router.get("/bookings/by-event/{eventId}", responses=ERRORS)
def bookings_by_event(
    eventId: UUID,
    caller: Reader,
    runtime: RuntimeDep,
    startAt: Annotated[Instant | None, Query()] = None,
    endAt: Annotated[Instant | None, Query()] = None,
) -> list[BookingOut]:
    runtime.ledger.get_visible_coach_event(caller.ctx, eventId)
    rows = runtime.bookings.bookings_by_event(caller.visible_client(), eventId, startAt, endAt)
    return [BookingOut.from_row(row) for row in rows]


@router.get("/bookings/{bookingId}", responses=ERRORS)
def get_booking(bookingId: UUID, caller: Reader, runtime: RuntimeDep) -> BookingOut:
    return booking_views(runtime, caller, [runtime.ledger.get_booking(caller.ctx, bookingId)], None)[0]


@dataclass(frozen=True)
class BookingChange:
    """A lifecycle change of the booking in the path by the caller, answered once per Idempotency-Key."""

    request: Request
    booking_id: UUID
    caller: Caller
    runtime: Runtime

    @property
    def ledger(self) -> Ledger:
        return self.runtime.ledger

    def apply(
        self,
        command: Callable[Concatenate[RequestContext, UUID, P], Saved[Booking]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Response:
        """Run the lifecycle command on the booking as the caller, answered once per Idempotency-Key."""

        def handle() -> Response:
            saved = command(self.caller.ctx, self.booking_id, *args, **kwargs)
            view = booking_views(self.runtime, self.caller, [saved.value], saved.position)[0]
            return as_json(self.runtime, view, 200, saved.position)

        return run_idempotent(self.request, self.caller, handle)


def booking_change(
    request: Request, bookingId: UUID, caller: BookingWriter, runtime: RuntimeDep
) -> BookingChange:
    return BookingChange(request, bookingId, caller, runtime)


Change = Annotated[BookingChange, Depends(booking_change)]


def change_route(path: str, body: type[BaseModel] | None = None, method: str = "post") -> Callable[..., Any]:
    """The route decorator of a lifecycle change: its path, its body's documentation, its responses."""
    extra = body_openapi(body) if body else None
    return router.api_route(
        f"/bookings/{{bookingId}}/{path}",
        methods=[method.upper()],
        response_model=BookingOut,
        responses=ERRORS,
        openapi_extra=extra,
    )


@change_route("accept")
def accept_booking(change: Change) -> Response:
    """For the event's coach or an admin client."""
    return change.apply(change.ledger.accept_booking)


@change_route("reject")
def reject_booking(change: Change) -> Response:
    """For the event's coach or an admin client; frees the seat."""
    return change.apply(change.ledger.reject_booking)


@change_route("cancel", CancelIn)
def cancel_booking(body: CancelBody, change: Change) -> Response:
    """Cancel and free the seat; the role (Athlete, Coach, System) comes from the caller."""
    return change.apply(
        change.ledger.cancel_booking, body.cancellationReasonCode, body.cancellationReasonText
    )


@change_route("completed", CompletedIn, method="patch")
def mark_completed(body: CompletedBody, change: Change) -> Response:
    """Only after the booking has happened."""
    return change.apply(change.ledger.mark_completed, body.completed)


@change_route("note", NoteIn, method="put")
def write_note(body: NoteBody, change: Change) -> Response:
    """Only after the booking has happened, by its owner or its coach."""
    return change.apply(change.ledger.write_note, body.note)


@change_route("dismiss")
def dismiss_booking(userId: UUID, change: Change) -> Response:
    """Only the owner, only a cancelled booking; permanent. It leaves the owner's listings, not history."""
    return change.apply(change.ledger.dismiss_booking, userId)


@change_route("disputes", DisputeIn)
def open_dispute(body: DisputeBody, change: Change) -> Response:
    """Only after the booking has happened, by its owner or its coach."""
    return change.apply(change.ledger.open_dispute, body.reason)


@change_route("disputes/resolve", ResolutionIn)
def resolve_dispute(body: ResolutionBody, change: Change) -> Response:
    """Only for a booking in dispute, by its owner or its coach."""
    return change.apply(change.ledger.resolve_dispute, body.resolution)


def _check_user_visible(caller: Caller, runtime: Runtime, user_id: UUID) -> None:
    if not runtime.ledger.can_see_user(caller.ctx.principal, user_id):
        raise UserAccessDeniedError("The user is not linked to this client.")
