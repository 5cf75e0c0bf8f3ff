"""The console's calendar grid: where a booking's block goes, given the venue's courts and local time."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from api.console.calendar_grid import FIRST_HOUR, day_grid, grid_stylesheet
from projections.console_reads import BookingBlock, Place

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2031, 3, 4)  # UTC+1 in Berlin
VENUE = uuid.uuid4()


def court(name: str) -> Place:
    return Place(uuid.uuid4(), VENUE, name, None)


def booking(on: Place, start: datetime, end: datetime, status: str = "confirmed") -> BookingBlock:
    return BookingBlock(
        booking_id=uuid.uuid4(),
        organisation_id=uuid.uuid4(),
        source="partner-sync",
        status="active",
        user_status=status,
        start_at=start,
        end_at=end,
        local_date=DAY,
        resource_id=on.id,
        venue_id=VENUE,
        price=Decimal("10"),
        currency="EUR",
    )


def test_a_booking_is_placed_in_its_courts_column_from_its_local_start() -> None:
    first, second = court("A"), court("B")
    # 09:00-10:30 UTC is 10:00-11:30 in Berlin.
    made = booking(second, datetime(2031, 3, 4, 9, tzinfo=UTC), datetime(2031, 3, 4, 10, 30, tzinfo=UTC))
    grid = day_grid(DAY, BERLIN, [first, second], [made])
    [block] = grid.blocks
    assert block.column == 3  # column 1 holds the hours
    # Row 1 holds the courts' names; the day shows from FIRST_HOUR, a row per quarter hour.
    assert block.row == 2 + (10 - FIRST_HOUR) * 4
    assert block.span == 6
    assert block.label.startswith("10:00-11:30")


def test_a_booking_that_runs_past_midnight_is_cut_at_the_end_of_the_day() -> None:
    late = court("A")
    made = booking(late, datetime(2031, 3, 4, 22, tzinfo=UTC), datetime(2031, 3, 5, 1, tzinfo=UTC))
    [block] = day_grid(DAY, BERLIN, [late], [made]).blocks
    assert block.span == 4  # 23:00 to midnight in Berlin


def test_an_early_booking_widens_the_day_and_keeps_its_hour_row() -> None:
    early = court("A")
    made = booking(early, datetime(2031, 3, 4, 4, tzinfo=UTC), datetime(2031, 3, 4, 5, tzinfo=UTC))
    grid = day_grid(DAY, BERLIN, [early], [made])
    [block] = grid.blocks
    assert grid.hours[0] == (block.row, "05:00")


def test_a_booking_on_a_court_the_venue_no_longer_lists_is_counted_not_drawn() -> None:
    listed, gone = court("A"), court("B")
    made = booking(gone, datetime(2031, 3, 4, 9, tzinfo=UTC), datetime(2031, 3, 4, 10, tzinfo=UTC))
    grid = day_grid(DAY, BERLIN, [listed], [made])
    assert grid.blocks == []
    assert grid.unplaced == 1


def test_a_cancelled_booking_is_marked_released() -> None:
    only = court("A")
    made = booking(
        only, datetime(2031, 3, 4, 9, tzinfo=UTC), datetime(2031, 3, 4, 10, tzinfo=UTC), "cancelled"
    )
    [block] = day_grid(DAY, BERLIN, [only], [made]).blocks
    assert block.released
    assert block.status == "cancelled"


def test_the_stylesheet_has_a_class_for_every_row_span_and_column_a_block_can_take() -> None:
    css = grid_stylesheet()
    assert ".r98{grid-row-start:98}" in css
    assert ".s96{grid-row-end:span 96}" in css
    assert ".c65{grid-column:65}" in css
