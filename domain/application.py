"""The ledger's application service: all commands of the domain in one event-sourced application."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.booking_commands import BookingCommands
from domain.court_booking import CourtBooking


class Ledger(BookingCommands):
    """The event-sourced booking ledger; its methods are the commands."""

    # A snapshot every 100 events bounds the events replayed to read a long-lived booking at any version.
    # Snapshots copy the aggregate's state, personal fields included, so erasure must cover them too.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {CourtBooking: 100}
