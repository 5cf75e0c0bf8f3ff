"""The expiry of unpaid bookings: a background loop that frees the slots whose payment hold ran out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from uuid import uuid4

from domain.application import Ledger
from domain.context import Principal, RequestContext
from domain.errors import LedgerError
from ledger.periodic import PeriodicTask
from projections.payment_holds import PaymentHoldsView

log = logging.getLogger("ledger.payments")
EXPIRY = Principal(id="payment-expiry", kind="system")
BATCH_SIZE = 100


class PaymentExpiry(PeriodicTask):
    """Every `interval` seconds, expires up to `batch_size` bookings whose payment deadline has passed.

    The payment holds view lists them by deadline, so nothing is scanned. Each expiry is a command that reads
    the booking again: one paid, confirmed, cancelled or expired meanwhile (perhaps by another process running
    this loop too) is left as it is, and two processes racing on one booking write one `Expired`.
    """

    def __init__(
        self,
        ledger: Ledger,
        holds: PaymentHoldsView,
        clock: Callable[[], datetime],
        interval: float,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        super().__init__("payment-expiry", interval, log)
        self.ledger = ledger
        self.holds = holds
        self.clock = clock
        self.batch_size = batch_size

    def run_once(self) -> int:
        """Expire the bookings due now, at most one batch; how many this call expired."""
        expired = 0
        for booking_id in self.holds.due(self.clock(), self.batch_size):
            ctx = RequestContext(EXPIRY, self.clock(), f"payment-expiry-{uuid4().hex}")
            try:
                if self.ledger.expire_unpaid_booking(ctx, booking_id) is not None:
                    expired += 1
            except LedgerError as error:
                log.warning("booking %s was not expired: %s", booking_id, error.message)
        return expired
