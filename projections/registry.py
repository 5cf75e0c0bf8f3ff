"""The list of read models: the runtime, the runners, the rebuild and the CLI all take the views from here."""

from __future__ import annotations

from projections.analytics_bookings import AnalyticsBookingsView
from projections.bookings import BookingsView
from projections.changes.view import ChangesView
from projections.court_bookings import CourtBookingsView
from projections.payment_holds import PaymentHoldsView
from projections.resource_bookings import ResourceBookingsView
from projections.tables import TrackedView

VIEWS: tuple[type[TrackedView], ...] = (
    CourtBookingsView,
    BookingsView,
    AnalyticsBookingsView,
    PaymentHoldsView,
    ResourceBookingsView,
    ChangesView,
)


def command_names() -> list[str]:
    """The names by which `ledger replay rebuild <view>` knows the views."""
    return [view.command_name() for view in VIEWS]


def view_of_command(command_name: str) -> type[TrackedView]:
    """The view that `ledger replay rebuild <command_name>` rebuilds."""
    for view in VIEWS:
        if view.command_name() == command_name:
            return view
    raise LookupError(f"No view is called {command_name!r}; the views are {', '.join(command_names())}.")
