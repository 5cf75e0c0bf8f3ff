"""An order: the bookings a user made together, with the payment method and payment status."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import ConflictError, InvalidInputError, NotFoundError

PAYMENT_TYPES = ("Cash", "Card")
SETTLED_STATUSES = ("Paid", "Failed")


class OrderNotFoundError(NotFoundError):
    """Raised when an order id names no order the caller may see."""


class InvalidPaymentMethodError(InvalidInputError):
    """Raised when a payment type is unknown, or a Card payment has no `methodId`."""


class InvalidOrderError(InvalidInputError):
    """Raised when an order names no events or names one event twice."""


class PaymentAlreadySettledError(ConflictError):
    """Raised when a payment result arrives for an order that is not awaiting payment."""


class Order(LedgerAggregate):
    """Bookings placed together by one user through one client."""

    class Placed(LedgerAggregate.Created):
        order_id: UUID
        client_id: UUID
        user_id: UUID
        event_ids: list[UUID]
        booking_ids: list[UUID]
        payment_type: str
        payment_method_id: UUID | None
        payment_status: str

    class PaymentSettled(LedgerAggregate.Event):
        status: str

    @classmethod
    def place(
        cls,
        order_id: UUID,
        client_id: UUID,
        user_id: UUID,
        event_ids: list[UUID],
        booking_ids: list[UUID],
        payment_type: str,
        payment_method_id: UUID | None,
        meta: dict[str, str],
    ) -> Order:
        check_order_request(event_ids, payment_type, payment_method_id)
        return cls(
            order_id=order_id,
            client_id=client_id,
            user_id=user_id,
            event_ids=list(event_ids),
            booking_ids=list(booking_ids),
            payment_type=payment_type,
            payment_method_id=payment_method_id,
            payment_status="Cash" if payment_type == "Cash" else "Pending",
            meta=meta,
        )

    @staticmethod
    def create_id(order_id: UUID, **_: object) -> UUID:
        # Chosen by the command: derived from the Idempotency-Key when there is one, so a retry finds it.
        return order_id

    @event(Placed)
    def __init__(
        self,
        order_id: UUID,
        client_id: UUID,
        user_id: UUID,
        event_ids: list[UUID],
        booking_ids: list[UUID],
        payment_type: str,
        payment_method_id: UUID | None,
        payment_status: str,
        meta: dict[str, str],
    ) -> None:
        self.client_id = client_id
        self.user_id = user_id
        self.event_ids = list(event_ids)
        self.booking_ids = list(booking_ids)
        self.payment_type = payment_type
        self.payment_method_id = payment_method_id
        self.payment_status = payment_status
        self.created_at = datetime.fromisoformat(meta["recordedAt"])

    def settle_payment(self, status: str, meta: dict[str, str]) -> None:
        if status not in SETTLED_STATUSES:
            raise InvalidPaymentMethodError(f"A payment result is one of {', '.join(SETTLED_STATUSES)}.")
        if self.payment_status != "Pending":
            raise PaymentAlreadySettledError(
                f"Order {self.id} is not awaiting payment ({self.payment_status})."
            )
        self._settle(status=status, meta=meta)

    @event(PaymentSettled)
    def _settle(self, status: str, meta: dict[str, str]) -> None:
        self.payment_status = status


def check_order_request(event_ids: list[UUID], payment_type: str, payment_method_id: UUID | None) -> None:
    """The order's own rules: at least one unique event, a known payment type, a Card's method id."""
    if not event_ids:
        raise InvalidOrderError("An order names at least one event.")
    if len(set(event_ids)) != len(event_ids):
        raise InvalidOrderError("eventIds must be unique.")
    if payment_type not in PAYMENT_TYPES:
        raise InvalidPaymentMethodError(f"paymentMethod.type is one of {', '.join(PAYMENT_TYPES)}.")
    if payment_type == "Card" and payment_method_id is None:
        raise InvalidPaymentMethodError("paymentMethod.methodId is required for Card payments.")
