"""Router of the booking lifecycle of the bookings-and-orders surface: accept, cancel, complete, dispute..."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Concatenate, ParamSpec
from uuid import UUID

from fastapi import Depends, Request
from pydantic import BaseModel
from starlette.responses import Response

from api.bookings.deps import BookingWriter, Caller, booking_writer, run_idempotent
from api.bookings.responses import as_json, booking_views
from api.bookings.schemas import BookingOut, CancelIn, CompletedIn, DisputeIn, NoteIn, ResolutionIn
from api.bookings.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.idempotency import IdempotencyInProgressError, IdempotencyKeyReusedError
from api.shared.problems import PayloadTooLargeError
from domain.app_base import Saved
from domain.application import Ledger
from domain.booking import Booking
from domain.booking_errors import (
    BookingNotCanceledError,
    BookingNotFoundError,
    BookingNotHappenedYetError,
    InvalidStatusTransitionError,
    NotBookingOwnerError,
    NotBookingPartyError,
)
from domain.context import RequestContext
from ledger.runtime import Runtime

router = SURFACE.router(prefix="/api/v1/bookings", tags=["bookings and orders"])
P = ParamSpec("P")
# What every change may answer: the booking is unknown or not the caller's to change, and its key's replays.
CHANGE_ERRORS = (
    BookingNotFoundError,
    NotBookingPartyError,
    IdempotencyKeyReusedError,
    IdempotencyInProgressError,
    PayloadTooLargeError,
)
AFTER_IT_HAPPENED = (BookingNotHappenedYetError, InvalidStatusTransitionError)
CancelBody = Annotated[CancelIn, Depends(json_body(CancelIn, booking_writer))]
CompletedBody = Annotated[CompletedIn, Depends(json_body(CompletedIn, booking_writer))]
NoteBody = Annotated[NoteIn, Depends(json_body(NoteIn, booking_writer))]
DisputeBody = Annotated[DisputeIn, Depends(json_body(DisputeIn, booking_writer))]
ResolutionBody = Annotated[ResolutionIn, Depends(json_body(ResolutionIn, booking_writer))]


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


def change_route(
    path: str,
    raises: tuple[type[Exception], ...],
    body: type[BaseModel] | None = None,
    method: str = "post",
) -> Callable[..., Any]:
    """The route decorator of a lifecycle change: its path, its body's documentation, the errors it raises."""
    extra = body_openapi(body) if body else None
    return router.api_route(
        f"/{{bookingId}}/{path}",
        methods=[method.upper()],
        response_model=BookingOut,
        responses=SURFACE.responses(*CHANGE_ERRORS, *raises),
        openapi_extra=extra,
    )


@change_route("accept", (InvalidStatusTransitionError,))
def accept_booking(change: Change) -> Response:
    """For the event's coach or an admin client."""
    return change.apply(change.ledger.accept_booking)


@change_route("reject", (InvalidStatusTransitionError,))
def reject_booking(change: Change) -> Response:
    """For the event's coach or an admin client; frees the seat."""
    return change.apply(change.ledger.reject_booking)


@change_route("cancel", (InvalidStatusTransitionError,), CancelIn)
def cancel_booking(body: CancelBody, change: Change) -> Response:
    """Cancel and free the seat; the role (Athlete, Coach, System) comes from the caller."""
    return change.apply(
        change.ledger.cancel_booking, body.cancellationReasonCode, body.cancellationReasonText
    )


@change_route("completed", AFTER_IT_HAPPENED, CompletedIn, method="patch")
def mark_completed(body: CompletedBody, change: Change) -> Response:
    """Only after the booking has happened."""
    return change.apply(change.ledger.mark_completed, body.completed)


@change_route("note", AFTER_IT_HAPPENED, NoteIn, method="put")
def write_note(body: NoteBody, change: Change) -> Response:
    """Only after the booking has happened, by its owner or its coach."""
    return change.apply(change.ledger.write_note, body.note)


@change_route("dismiss", (NotBookingOwnerError, BookingNotCanceledError))
def dismiss_booking(userId: UUID, change: Change) -> Response:
    """Only the owner, only a cancelled booking; permanent. It leaves the owner's listings, not history."""
    return change.apply(change.ledger.dismiss_booking, userId)


@change_route("disputes", AFTER_IT_HAPPENED, DisputeIn)
def open_dispute(body: DisputeBody, change: Change) -> Response:
    """Only after the booking has happened, by its owner or its coach."""
    return change.apply(change.ledger.open_dispute, body.reason)


@change_route("disputes/resolve", AFTER_IT_HAPPENED, ResolutionIn)
def resolve_dispute(body: ResolutionBody, change: Change) -> Response:
    """Only for a booking in dispute, by its owner or its coach."""
    return change.apply(change.ledger.resolve_dispute, body.resolution)
