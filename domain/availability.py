"""Availability: a resource's free, priced ranges per local date, and the price of an interval.

Local wall times are read by `domain.local_time.wall_instant`: a range starts and ends at the first moment
the venue's clock shows its times. So on the day clocks spring forward a range loses the skipped hour
(02:00-03:00 is empty in Europe/Berlin), and on the day they fall back the repeated hour belongs to the range
that runs through 03:00, where the clock turns back (02:00-03:00 is then open for two hours). Durations and
prices count real time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from domain.booking_rules import CENT, BookingRules
from domain.calendar import MAX_DAYS_READ, InvalidDateRangeError
from domain.errors import InvalidInputError
from domain.local_time import DayGrid, wall_instant
from domain.opening_hours import OpeningHours
from domain.resource_day import MAX_BOOKING_LENGTH

Interval = tuple[datetime, datetime]


class InvalidIntervalError(InvalidInputError):
    """Raised when an interval lacks a UTC offset, does not end after its start, or lasts more than 7 days."""


@dataclass(frozen=True)
class PricedSpan:
    """An opening range of one local date, as UTC instants."""

    start: datetime
    end: datetime
    price_per_hour: Decimal
    label: str


@dataclass(frozen=True)
class FreeRange:
    """Free time of a resource on one local date at one price, from `start` to `end` (UTC instants)."""

    date: date
    start: datetime
    end: datetime
    price_per_hour: Decimal
    label: str
    tz: ZoneInfo

    @property
    def local_start(self) -> datetime:
        """The start as the venue's clock shows it, for display (`fold` tells a repeated hour apart)."""
        return self.start.astimezone(self.tz)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.tz)


def opening_spans(hours: OpeningHours, tz: ZoneInfo, day: date) -> list[PricedSpan]:
    """The day's opening ranges as instants, by start; a range skipped by a clock change is left out."""
    spans = []
    for opening in hours.on(day.weekday()):
        start = wall_instant(day, opening.start_minute, tz)
        end = wall_instant(day, opening.end_minute, tz)
        if start < end:
            spans.append(PricedSpan(start, end, opening.price_per_hour, opening.label))
    return spans


def opening_blocks(spans: Sequence[PricedSpan]) -> list[Interval]:
    """The day's spans joined where one ends as the next starts: the stretches a booking may cover."""
    blocks: list[Interval] = []
    for span in spans:
        if blocks and blocks[-1][1] == span.start:
            blocks[-1] = (blocks[-1][0], span.end)
        else:
            blocks.append((span.start, span.end))
    return blocks


def busy_times(reservations: Iterable[Interval]) -> list[Interval]:
    """The reservations as sorted, disjoint UTC intervals (overlapping or touching ones joined)."""
    busy: list[Interval] = []
    for start, end in sorted((utc_instant(start), utc_instant(end)) for start, end in reservations):
        if start >= end:
            continue
        if busy and start <= busy[-1][1]:
            busy[-1] = (busy[-1][0], max(busy[-1][1], end))
        else:
            busy.append((start, end))
    return busy


def free_within(block: Interval, busy: Sequence[Interval], first: int) -> tuple[list[Interval], int]:
    """The parts of `block` outside `busy`, and the index to resume from for a later block.

    `first` is where the previous call stopped, so a sweep over blocks in order reads each interval of `busy`
    once plus once per further block it reaches into.
    """
    block_start, block_end = block
    while first < len(busy) and busy[first][1] <= block_start:
        first += 1
    free: list[Interval] = []
    cursor = block_start
    index = first
    while index < len(busy) and busy[index][0] < block_end:
        if busy[index][0] > cursor:
            free.append((cursor, busy[index][0]))
        cursor = max(cursor, busy[index][1])
        index += 1
    if cursor < block_end:
        free.append((cursor, block_end))
    return free, first


def bookable(
    free: Interval, lower: datetime, upper: datetime, grid: DayGrid, minimum: timedelta
) -> Interval | None:
    """The free interval cut to [lower, upper] and shrunk to the grid; None when shorter than `minimum`."""
    start, end = max(free[0], lower), min(free[1], upper)
    if end - start < minimum:
        return None  # shrinking to the grid only shortens it; most short pieces never reach the clock lookups
    start, end = grid.next(start), grid.previous(end)
    return (start, end) if end - start >= minimum else None


def available_ranges(
    *,
    rules: BookingRules,
    opening_hours: OpeningHours,
    tz: ZoneInfo,
    reservations: Iterable[Interval],
    now: datetime,
    first_day: date,
    last_day: date,
) -> dict[date, list[FreeRange]]:
    """Each local date from `first_day` to `last_day` (at most 31) with its free ranges, by start.

    A date's free time is its opening ranges minus every reservation, from `min_advance_booking_minutes` after
    `now` to `max_advance_booking_days` (of 24 hours) after it, shrunk to the booking grid. A free stretch
    shorter than the minimum duration is left out; a longer one is split where the price or label changes, so
    a piece next to such a change may be shorter than the minimum: a booking may cover both sides of it.
    Every date is answered, with no ranges when closed or when the resource is not bookable.
    """
    span = (last_day - first_day).days + 1
    if not 1 <= span <= MAX_DAYS_READ:
        raise InvalidDateRangeError(f"Availability covers 1 to {MAX_DAYS_READ} days, from start to end date.")
    days = [first_day + timedelta(days=offset) for offset in range(span)]
    result: dict[date, list[FreeRange]] = {day: [] for day in days}
    if not rules.is_bookable:
        return result
    now = utc_instant(now)
    lower = now + timedelta(minutes=rules.min_advance_booking_minutes)
    upper = now + timedelta(days=rules.max_advance_booking_days)
    minimum = timedelta(minutes=rules.min_booking_duration_minutes)
    busy = busy_times(reservations)
    resume = 0
    for day in days:
        spans = opening_spans(opening_hours, tz, day)
        grid = DayGrid(day, tz, rules.booking_interval_minutes)
        for block in opening_blocks(spans):
            free, resume = free_within(block, busy, resume)
            for piece in free:
                stretch = bookable(piece, lower, upper, grid, minimum)
                if stretch is not None:
                    result[day].extend(_priced(day, stretch, spans, tz))
    return result


def price_of_interval(start: datetime, end: datetime, opening_hours: OpeningHours, tz: ZoneInfo) -> Decimal:
    """The interval's price: over the opening ranges it covers, price per hour times hours covered.

    Summed exactly, then rounded half up to cents. Time outside the opening hours adds nothing; bookings are
    checked to lie inside them.
    """
    start, end = checked_interval(start, end)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    amount = Decimal(0)
    for offset in range((last - first).days + 1):
        for span in opening_spans(opening_hours, tz, first + timedelta(days=offset)):
            covered = min(end, span.end) - max(start, span.start)
            if covered > timedelta(0):
                amount += span.price_per_hour * Decimal(covered // timedelta(microseconds=1))
    return (amount / Decimal(3_600_000_000)).quantize(CENT, rounding=ROUND_HALF_UP)


def _priced(day: date, stretch: Interval, spans: Sequence[PricedSpan], tz: ZoneInfo) -> list[FreeRange]:
    """The stretch cut where the price or label of the spans it covers changes."""
    pieces: list[FreeRange] = []
    for span in spans:
        start, end = max(stretch[0], span.start), min(stretch[1], span.end)
        if start >= end:
            continue
        last = pieces[-1] if pieces else None
        if last and (last.price_per_hour, last.label) == (span.price_per_hour, span.label):
            pieces[-1] = FreeRange(day, last.start, end, span.price_per_hour, span.label, tz)
        else:
            pieces.append(FreeRange(day, start, end, span.price_per_hour, span.label, tz))
    return pieces


def checked_interval(start: datetime, end: datetime) -> Interval:
    """The interval in UTC, once it is known to carry offsets, end after it starts and last at most 7 days."""
    start, end = utc_instant(start), utc_instant(end)
    if not start < end <= start + MAX_BOOKING_LENGTH:
        raise InvalidIntervalError(
            f"The end must be after the start, at most {MAX_BOOKING_LENGTH.days} days later."
        )
    return start, end


def utc_instant(moment: datetime) -> datetime:
    """The moment in UTC, once it is known to carry an offset."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidIntervalError("Datetimes must carry a UTC offset.")
    return moment.astimezone(UTC)
