"""The ledger's application service: all commands of the domain in one event-sourced application."""

from __future__ import annotations

from domain.booking_commands import BookingCommands


class Ledger(BookingCommands):
    """The event-sourced booking ledger; its methods are the commands."""
