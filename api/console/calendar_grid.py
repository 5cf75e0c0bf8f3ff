"""The court calendar of one venue: per day, a grid with a column per court and a row per quarter hour."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from uuid import UUID
from zoneinfo import ZoneInfo

from projections.analytics_summaries import RELEASED
from projections.console_reads import BookingBlock, Place

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
MAX_COLUMNS = 64
# The hours a day shows at least; bookings outside them widen the window.
FIRST_HOUR, LAST_HOUR = 7, 22
# Grid row 1 holds the courts' names, so slot n of the day is row n + 2.
HEADER_ROWS = 1
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Block:
    """A booking placed on the grid: its column, first row and rows spanned, and how it is labelled."""

    booking_id: UUID
    column: int
    row: int
    span: int
    label: str
    source: str
    status: str
    released: bool


@dataclass(frozen=True)
class DayGrid:
    """One day of the calendar: its columns' courts, its hour labels by row, its blocks."""

    day: date
    courts: list[Place]
    hours: list[tuple[int, str]]
    blocks: list[Block]
    unplaced: int
    """Bookings of the day on a court the venue no longer lists, or past the last column."""


def slug(value: str) -> str:
    return _SLUG.sub("-", value.lower()).strip("-") or "other"


@cache
def grid_stylesheet() -> str:
    """The grid's placement classes: CSS may not be inline under the console's policy, so every row, span
    and column a block can take has a class of its own."""
    rules = [f".r{n}{{grid-row-start:{n}}}" for n in range(1, SLOTS_PER_DAY + HEADER_ROWS + 2)]
    rules += [f".s{n}{{grid-row-end:span {n}}}" for n in range(1, SLOTS_PER_DAY + 1)]
    rules += [f".c{n}{{grid-column:{n}}}" for n in range(1, MAX_COLUMNS + 2)]
    rules += [
        f".cols{n}{{grid-template-columns:4rem repeat({n},minmax(6rem,1fr))}}" for n in range(MAX_COLUMNS + 1)
    ]
    return "\n".join(rules) + "\n"


def _slot(moment: datetime, day_start: datetime) -> int:
    return max(0, min(SLOTS_PER_DAY, math.floor((moment - day_start).total_seconds() / 60 / SLOT_MINUTES)))


def _window(bookings: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The first and last slot a day shows: the usual hours, widened to its bookings."""
    first = min([FIRST_HOUR * 60 // SLOT_MINUTES, *(start for start, _ in bookings)])
    last = max([LAST_HOUR * 60 // SLOT_MINUTES, *(end for _, end in bookings)])
    return first, last


def day_grid(
    day: date, timezone: ZoneInfo, courts: Sequence[Place], bookings: Sequence[BookingBlock]
) -> DayGrid:
    """The day's grid; `bookings` are the venue's bookings of that local day."""
    shown = list(courts[:MAX_COLUMNS])
    columns = {court.id: index + 2 for index, court in enumerate(shown)}
    day_start = datetime.combine(day, time(0), timezone)
    day_end = datetime.combine(day + timedelta(days=1), time(0), timezone)
    placed: list[tuple[BookingBlock, int, int]] = []
    unplaced = 0
    for booking in bookings:
        start = _slot(max(booking.start_at, day_start), day_start)
        end = max(
            start + 1,
            math.ceil((min(booking.end_at, day_end) - day_start).total_seconds() / 60 / SLOT_MINUTES),
        )
        if booking.resource_id not in columns:
            unplaced += 1
            continue
        placed.append((booking, start, min(end, SLOTS_PER_DAY)))
    first, last = _window([(start, end) for _, start, end in placed])
    blocks = [
        Block(
            booking_id=booking.booking_id,
            column=columns[booking.resource_id],  # type: ignore[index]
            row=start - first + HEADER_ROWS + 1,
            span=end - start,
            label=_label(booking, timezone),
            source=slug(booking.source),
            status=slug(booking.user_status),
            released=booking.user_status in RELEASED,
        )
        for booking, start, end in placed
    ]
    hours = [
        (slot - first + HEADER_ROWS + 1, f"{slot * SLOT_MINUTES // 60:02d}:00")
        for slot in range(first, last)
        if slot * SLOT_MINUTES % 60 == 0
    ]
    return DayGrid(day, shown, hours, blocks, unplaced)


def _label(booking: BookingBlock, timezone: ZoneInfo) -> str:
    start = booking.start_at.astimezone(timezone).strftime("%H:%M")
    end = booking.end_at.astimezone(timezone).strftime("%H:%M")
    return f"{start}-{end} {booking.source} ({booking.user_status})"
