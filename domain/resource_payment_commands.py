"""Commands of resource bookings' payments: a payment intent, the provider's result, expiry when unpaid."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from domain.app_base import Saved
from domain.context import RequestContext
from domain.ids import payment_intent_index_id
from domain.payment_records import PaymentIntentIndex
from domain.payments import OnlinePaymentNotConfiguredError, PaymentIntent, PaymentIntentTakenError
from domain.resource_booking import CANCELLED, CONFIRMED, EXPIRED, PENDING, ResourceBooking
from domain.resource_booking_commands import ResourceBookingCommands
from domain.resource_booking_errors import BookingNotPayableError, ResourceBookingNotFoundError

_NOT_PAYABLE = {
    CONFIRMED: "is already confirmed; it needs no payment",
    CANCELLED: "is cancelled; it cannot be paid",
    EXPIRED: "has expired; it cannot be paid",
}


def check_payable(booking: ResourceBooking) -> None:
    """Only a pending booking is paid for; any other answers why not."""
    if booking.status != PENDING:
        raise BookingNotPayableError(
            f"Booking {booking.reference_code} {_NOT_PAYABLE[booking.status]}.", status=booking.status
        )


class ResourcePaymentCommands(ResourceBookingCommands):
    """Online payment of resource bookings through the payment provider port (`payments`)."""

    def create_payment_intent(
        self, ctx: RequestContext, booking_ref: str | int | UUID
    ) -> Saved[PaymentIntent]:
        """A payment intent for the caller's pending booking (number, UUID or reference code): its total
        price, paid to its venue's connected account. The intent is recorded with the booking it pays for,
        so the provider's notification finds the booking; asked again, the same intent is answered.
        """
        booking = self.get_resource_booking(ctx, booking_ref)
        check_payable(booking)
        gateway, account = self.payments, self.payment_account_of(booking.venue_id)
        if gateway is None or account is None:
            raise OnlinePaymentNotConfiguredError("Online payment is not configured for this venue.")
        intent = gateway.create_payment_intent(
            amount=booking.total_price,
            currency=booking.currency,
            reference=booking.reference_code,
            metadata={"booking_id": str(booking.id), "reference_code": booking.reference_code},
            connected_account=account,
            # One intent per booking: a retried request, or a second try after a failed payment, gets it back.
            idempotency_key=f"resource-booking-{booking.id}",
        )

        def attempt() -> Saved[PaymentIntent]:
            index = self.find(payment_intent_index_id(intent.payment_intent_id), PaymentIntentIndex)
            if index is not None:
                if index.booking_id != booking.id:
                    raise PaymentIntentTakenError(
                        f"Payment intent {intent.payment_intent_id} pays for another booking."
                    )
                return Saved(intent)
            claimed = PaymentIntentIndex.claim(
                intent.payment_intent_id, booking.id, f"{intent.amount:f}", intent.currency, ctx.meta()
            )
            return Saved(intent, created=True, position=self.save_all(claimed))

        return self.with_retry(attempt)

    def record_intent_payment(
        self,
        ctx: RequestContext,
        payment_intent_id: str,
        succeeded: bool,
        amount: Decimal | None = None,
        reason: str = "",
    ) -> Saved[ResourceBooking] | None:
        """Record the provider's result of a payment intent on the booking it pays for (a success confirms
        a pending booking); None when the ledger made no such intent. A repeated result records nothing.
        """
        index = self.find(payment_intent_index_id(payment_intent_id), PaymentIntentIndex)
        if index is None:
            return None
        booking_id = index.booking_id

        def attempt() -> Saved[ResourceBooking]:
            booking = self.load(booking_id, ResourceBooking, ResourceBookingNotFoundError, "Booking")
            if not booking.record_payment(payment_intent_id, succeeded, amount, reason, ctx.meta()):
                return Saved(booking)
            return Saved(booking, position=self.save_all(booking))

        return self.with_retry(attempt)

    def expire_unpaid_booking(self, ctx: RequestContext, booking_id: UUID) -> Saved[ResourceBooking] | None:
        """Expire the booking and free its slot if it is still pending, unpaid, past its payment deadline
        at `ctx.now`; otherwise (paid, confirmed, cancelled, expired, not due) change nothing and answer None.
        """

        def attempt() -> Saved[ResourceBooking] | None:
            booking = self.find(booking_id, ResourceBooking)
            if booking is None or booking.status != PENDING:
                return None
            if booking.payment_due_by is None or booking.payment_due_by > ctx.now:
                return None
            held, meta = booking.hold, ctx.meta()
            booking.expire(meta)
            days = self.calendar.move(booking.id, held, None, meta)
            return Saved(booking, position=self.save_all(booking, *days))

        return self.with_retry(attempt)
