"""The ledger's application service: all commands of the domain in one event-sourced application."""

from __future__ import annotations

from domain.court_booking_commands import CourtBookingCommands


class Ledger(CourtBookingCommands):
    """The event-sourced booking ledger; its methods are the commands."""
