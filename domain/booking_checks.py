"""The rules a new booking of a resource must pass, checked in a fixed order, each with its own error."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.availability import (
    Interval,
    busy_times,
    checked_interval,
    opening_blocks,
    opening_spans,
    utc_instant,
)
from domain.booking_rules import BookingRules
from domain.errors import InvalidInputError
from domain.local_time import MINUTES_PER_DAY, is_aligned, next_aligned, previous_aligned
from domain.opening_hours import OpeningHours

SLOT_NOT_AVAILABLE = "The requested time slot is not available"


class BookingRuleError(InvalidInputError):
    """Raised when a booking breaks one of its resource's booking rules; the base of the errors below."""


class ResourceNotBookableError(BookingRuleError):
    """Raised when the resource is not open for bookings at all."""


class MisalignedBookingError(BookingRuleError):
    """Raised when a booking does not start and end on the resource's booking grid."""


class BookingTooShortError(BookingRuleError):
    """Raised when a booking is shorter than the resource's minimum duration."""


class BookingTooLongError(BookingRuleError):
    """Raised when a booking is longer than the resource's maximum duration."""


class BookingTooSoonError(BookingRuleError):
    """Raised when a booking starts sooner than the resource's minimum advance allows."""


class BookingTooFarAheadError(BookingRuleError):
    """Raised when a booking ends later than the resource's maximum advance allows."""


class ParticipantCountError(BookingRuleError):
    """Raised when a booking's participant count is not from 1 to the resource's capacity."""


class OutsideOpeningHoursError(BookingRuleError):
    """Raised when a booking is not wholly inside contiguous opening ranges of one local date."""


class UnbookableGapError(BookingRuleError):
    """Raised when a booking would leave free time next to it too short for any booking."""


class SlotNotAvailableError(BookingRuleError):
    """Raised when a booking overlaps a reservation of the resource."""


def check_booking(
    *,
    rules: BookingRules,
    opening_hours: OpeningHours,
    tz: ZoneInfo,
    reservations: Iterable[Interval],
    now: datetime,
    start: datetime,
    end: datetime,
    participant_count: int,
) -> None:
    """Raise the error of the first rule the booking [start, end) breaks, or return when it passes them all.

    `reservations` are the resource's other active reservations (leave out the booking's own when it moves).
    Durations count real time; the grid is the venue's wall clock, from each local midnight. The gap rule
    measures free time as availability shows it: up to the neighbouring reservation or opening-range edge, not
    before the minimum advance, shrunk to the grid; it ignores the maximum advance, which moves with time.
    """
    if not rules.is_bookable:
        raise ResourceNotBookableError("This resource cannot be booked.")
    start, end = checked_interval(start, end)
    step = rules.booking_interval_minutes
    if not (is_aligned(start, tz, step) and is_aligned(end, tz, step)):
        raise MisalignedBookingError(
            f"Bookings start and end on a {step}-minute grid from midnight, venue time (for example "
            f"{_example_times(step)}).",
            interval_minutes=step,
        )
    _check_duration(rules, end - start)
    now = utc_instant(now)
    earliest = now + timedelta(minutes=rules.min_advance_booking_minutes)
    if start < earliest:
        raise BookingTooSoonError(
            f"Bookings start at least {rules.min_advance_booking_minutes} minutes from now.",
            min_advance_booking_minutes=rules.min_advance_booking_minutes,
        )
    if end > now + timedelta(days=rules.max_advance_booking_days):
        raise BookingTooFarAheadError(
            f"Bookings end at most {rules.max_advance_booking_days} days from now.",
            max_advance_booking_days=rules.max_advance_booking_days,
        )
    if isinstance(participant_count, bool) or not 1 <= participant_count <= rules.capacity:
        raise ParticipantCountError(
            f"participant_count must be from 1 to {rules.capacity}.", capacity=rules.capacity
        )
    day = start.astimezone(tz).date()
    blocks = opening_blocks(opening_spans(opening_hours, tz, day))
    block = next((b for b in blocks if b[0] <= start and end <= b[1]), None)
    if block is None:
        raise OutsideOpeningHoursError("The requested time is outside the opening hours.")
    busy = busy_times(reservations)
    if rules.prevent_unbookable_gaps:
        _check_gaps(rules, tz, busy, (max(block[0], earliest), block[1]), start, end)
    if any(taken_start < end and start < taken_end for taken_start, taken_end in busy):
        raise SlotNotAvailableError(SLOT_NOT_AVAILABLE)


def _check_duration(rules: BookingRules, length: timedelta) -> None:
    minutes = length / timedelta(minutes=1)
    if minutes < rules.min_booking_duration_minutes:
        raise BookingTooShortError(
            f"A booking lasts at least {rules.min_booking_duration_minutes} minutes.",
            min_booking_duration_minutes=rules.min_booking_duration_minutes,
        )
    if minutes > rules.max_booking_duration_minutes:
        raise BookingTooLongError(
            f"A booking lasts at most {rules.max_booking_duration_minutes} minutes.",
            max_booking_duration_minutes=rules.max_booking_duration_minutes,
        )


def _check_gaps(
    rules: BookingRules,
    tz: ZoneInfo,
    busy: Sequence[Interval],
    bounds: Interval,
    start: datetime,
    end: datetime,
) -> None:
    """Refuse a booking that leaves free time before or after it shorter than the minimum duration.

    The free time next to the booking runs to the nearest reservation or to `bounds`, shrunk to the grid; a
    reservation that overlaps the booking leaves no gap on its side (availability refuses the booking next).
    """
    before = max(
        [bounds[0], *(min(taken_end, start) for taken_start, taken_end in busy if taken_start < start)]
    )
    after = min([bounds[1], *(max(taken_start, end) for taken_start, taken_end in busy if taken_end > end)])
    step = rules.booking_interval_minutes
    minimum = timedelta(minutes=rules.min_booking_duration_minutes)
    for gap in (start - next_aligned(before, tz, step), previous_aligned(after, tz, step) - end):
        if timedelta(0) < gap < minimum:
            minutes = gap // timedelta(minutes=1)
            raise UnbookableGapError(
                f"The booking would leave {minutes} free minutes next to it, fewer than the minimum "
                f"booking of {rules.min_booking_duration_minutes} minutes; start or end it at the "
                "neighbouring booking or the edge of the opening hours instead.",
                gap_minutes=minutes,
            )


def _example_times(step: int) -> str:
    first = -(-600 // step) * step
    points = [minute for minute in (first, first + step) if minute < MINUTES_PER_DAY] or [0]
    return " or ".join(f"{minute // 60:02d}:{minute % 60:02d}" for minute in points)
