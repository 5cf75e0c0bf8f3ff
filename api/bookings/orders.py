"""Router of the orders of the bookings-and-orders surface (LE-KO): placing, reading and paying orders."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Request
from starlette.responses import Response

from api.bookings.deps import (
    OrderWriter,
    PaymentProvider,
    Reader,
    check_user_visible,
    idempotency_key,
    order_writer,
    payment_provider,
    run_idempotent,
)
from api.bookings.responses import booking_views, order_json
from api.bookings.schemas import OrderIn, OrderOut, PaymentResultIn
from api.bookings.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.idempotency import IdempotencyInProgressError, IdempotencyKeyReusedError
from api.shared.problems import PayloadTooLargeError
from api.shared.schemas import AsOf, Instant
from domain.coach_event import (
    CoachEventNotFoundError,
    EventAlreadyBookedError,
    EventAlreadyStartedError,
    EventCanceledError,
    EventFullError,
)
from domain.order import OrderNotFoundError, PaymentAlreadySettledError

router = SURFACE.router(prefix="/api/v1/orders", tags=["bookings and orders"])
IDEMPOTENT = (IdempotencyKeyReusedError, IdempotencyInProgressError, PayloadTooLargeError)
OrderBody = Annotated[OrderIn, Depends(json_body(OrderIn, order_writer))]
PaymentBody = Annotated[PaymentResultIn, Depends(json_body(PaymentResultIn, payment_provider))]


@router.post(
    "",
    status_code=201,
    response_model=OrderOut,
    responses=SURFACE.responses(
        CoachEventNotFoundError,
        EventFullError,
        EventCanceledError,
        EventAlreadyStartedError,
        EventAlreadyBookedError,
        *IDEMPOTENT,
    ),
    openapi_extra=body_openapi(OrderIn),
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


@router.get("", responses=SURFACE.responses())
def list_orders(
    caller: Reader,
    runtime: RuntimeDep,
    userId: UUID,
    startAt: Annotated[Instant | None, Query(description="Orders created at or after this.")] = None,
    endAt: Annotated[Instant | None, Query(description="Orders created before this.")] = None,
) -> list[OrderOut]:
    check_user_visible(caller, runtime, userId)
    rows = runtime.bookings.orders_by_user(caller.visible_client(), userId, startAt, endAt)
    return [OrderOut.from_row(row) for row in rows]


@router.get("/{orderId}", responses=SURFACE.responses(OrderNotFoundError))
def get_order(orderId: UUID, caller: Reader, runtime: RuntimeDep, asOf: AsOf = None) -> OrderOut:
    """The order now, or with its bookings as recorded by the instant `asOf`."""
    found = runtime.ledger.get_order(caller.ctx, orderId, asOf)
    return OrderOut.of(found.order, booking_views(runtime, caller, found.bookings, None, asOf))


@router.post(
    "/{orderId}/payment",
    response_model=OrderOut,
    responses=SURFACE.responses(OrderNotFoundError, PaymentAlreadySettledError, *IDEMPOTENT),
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
