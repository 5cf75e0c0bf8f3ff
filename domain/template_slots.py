"""Bookable starts of a booking template on its resources: the slots the module API offers.

A slot at `start` holds its resource for [start - leadTime, start + duration + followupTime): all of that must
be free of reservations and inside the resource's contiguous opening hours (joined across midnight when one
day's hours end as the next day's begin). Starts lie on a grid of the resource's booking interval, from each
local midnight of the venue (every 15 minutes for a resource without booking rules, which is open all day). A
start must be at least `bookingLeadTime` minutes after now, on a local date from `bookingDayEarliest` to
`bookingDayLatest` days after today's. The repeated hour when clocks fall back has its slots twice (real time
counts); the hour skipped when they spring forward has none.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.availability import Interval, busy_times, free_within, opening_blocks, opening_spans, utc_instant
from domain.booking_rules import BookingRules
from domain.errors import InvalidInputError
from domain.local_time import next_aligned, wall_instant
from domain.opening_hours import OpeningHours, OpeningRange
from domain.organization import Resource
from domain.template_terms import TemplateTerms

DEFAULT_STEP_MINUTES = 15
MAX_SLOT_RANGE = timedelta(days=7)
ALL_DAY = OpeningHours(tuple(OpeningRange(weekday, time(), time(), Decimal(0)) for weekday in range(7)))


class InvalidSlotRangeError(InvalidInputError):
    """Raised when a slot range lacks a UTC offset, does not end after it starts, or spans over 7 days."""


@dataclass(frozen=True)
class ResourceOpening:
    """When a resource may hold appointments: its weekly opening hours and its grid of starts."""

    opening_hours: OpeningHours
    step_minutes: int
    bookable: bool = True


OPEN_ALL_DAY = ResourceOpening(ALL_DAY, DEFAULT_STEP_MINUTES)


def opening_of(resource: Resource) -> ResourceOpening:
    """The resource's opening for appointments; one without booking rules is open all day.

    Booking rules and opening hours are read from the resource's `booking_rules` and `opening_hours` (the
    JSON-safe forms of `BookingRules` and `OpeningHours`) once resources record them; until then, and for a
    resource whose rules were never set, every resource is open all day on the default grid.
    """
    rules: Any = getattr(resource, "booking_rules", None)
    if rules is None:
        return OPEN_ALL_DAY
    parsed = BookingRules.from_dict(rules)
    hours = OpeningHours.from_dicts(getattr(resource, "opening_hours", None) or [])
    return ResourceOpening(hours, parsed.booking_interval_minutes, parsed.is_bookable)


@dataclass(frozen=True)
class ResourceTimes:
    """A resource as slots see it: its opening, and its reservations as UTC intervals."""

    resource_id: UUID
    opening: ResourceOpening
    reservations: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Slot:
    """A bookable start of a template on a combination of resources (one resource in this ledger)."""

    start: datetime
    end: datetime
    resource_ids: tuple[UUID, ...]


class Verdict(Enum):
    """Whether a start can be booked on a resource now: yes, no because of a reservation, or no at all."""

    BOOKABLE = "bookable"
    TAKEN = "taken"
    UNAVAILABLE = "unavailable"


def checked_range(range_start: datetime, range_end: datetime) -> Interval:
    """The range in UTC, once it carries offsets, ends after it starts and spans at most 7 days."""
    if range_start.utcoffset() is None or range_end.utcoffset() is None:
        raise InvalidSlotRangeError("rangeStart and rangeEnd must carry a UTC offset.")
    start, end = range_start.astimezone(UTC), range_end.astimezone(UTC)
    if not start < end <= start + MAX_SLOT_RANGE:
        raise InvalidSlotRangeError(
            f"A slot range ends after it starts, at most {MAX_SLOT_RANGE.days} days later."
        )
    return start, end


def booking_window(terms: TemplateTerms, tz: ZoneInfo, now: datetime) -> Interval:
    """Where starts may lie: from the booking lead time and the earliest day to the end of the latest day."""
    now = utc_instant(now)
    today = now.astimezone(tz).date()
    first = wall_instant(today + timedelta(days=terms.booking_day_earliest), 0, tz)
    end = wall_instant(today + timedelta(days=terms.booking_day_latest + 1), 0, tz)
    return max(first, now + timedelta(minutes=terms.booking_lead_time)), end


def hold_of(terms: TemplateTerms, start: datetime) -> Interval:
    """What an appointment at `start` holds on its resource: its lead time, its duration and its follow-up."""
    return start - terms.hold_before, start + terms.hold_after


def template_slots(
    terms: TemplateTerms,
    resources: Sequence[ResourceTimes],
    tz: ZoneInfo,
    now: datetime,
    range_start: datetime,
    range_end: datetime,
) -> list[Slot]:
    """Every slot starting in [range_start, range_end) (at most 7 days), by start, then in resource order."""
    low, high = checked_range(range_start, range_end)
    window_start, window_end = booking_window(terms, tz, now)
    low, high = max(low, window_start), min(high, window_end)
    slots: list[Slot] = []
    if low >= high:
        return slots
    for resource in resources:
        if resource.opening.bookable:
            for start in _starts(terms, resource, tz, low, high):
                slots.append(Slot(start, start + terms.length, (resource.resource_id,)))
    slots.sort(key=lambda slot: slot.start)
    return slots


def earliest_slots(
    terms: TemplateTerms,
    resources: Sequence[ResourceTimes],
    tz: ZoneInfo,
    now: datetime,
    range_start: datetime,
    range_end: datetime,
) -> list[Slot]:
    """The slots at the earliest start in the range: one per resource free then; none when there is none."""
    slots = template_slots(terms, resources, tz, now, range_start, range_end)
    return [slot for slot in slots if slot.start == slots[0].start] if slots else []


def slot_verdict(
    terms: TemplateTerms, resource: ResourceTimes, tz: ZoneInfo, now: datetime, start: datetime
) -> Verdict:
    """Whether `start` is a slot of the resource now; TAKEN when only a reservation stands in the way."""
    start = utc_instant(start)
    end = start + timedelta(microseconds=1)
    if template_slots(terms, [resource], tz, now, start, end):
        return Verdict.BOOKABLE
    unreserved = ResourceTimes(resource.resource_id, resource.opening)
    if template_slots(terms, [unreserved], tz, now, start, end):
        return Verdict.TAKEN
    return Verdict.UNAVAILABLE


def _starts(
    terms: TemplateTerms, resource: ResourceTimes, tz: ZoneInfo, low: datetime, high: datetime
) -> Iterator[datetime]:
    """The grid points in [low, high) whose hold lies in one free stretch of the resource."""
    before, after = terms.hold_before, terms.hold_after
    busy = busy_times(resource.reservations)
    step = resource.opening.step_minutes
    for free_start, free_end in _free_stretches(
        resource.opening.opening_hours, tz, busy, low - before, high + after
    ):
        point = next_aligned(max(free_start + before, low), tz, step)
        while point < high and point + after <= free_end:
            yield point
            point = next_aligned(point + timedelta(minutes=1), tz, step)


def _free_stretches(
    hours: OpeningHours, tz: ZoneInfo, busy: Sequence[Interval], low: datetime, high: datetime
) -> list[Interval]:
    """The free parts of the opening hours that reach into [low, high), touching blocks joined across days."""
    first = low.astimezone(tz).date() - timedelta(days=1)
    days = (high.astimezone(tz).date() - first).days + 1
    blocks: list[Interval] = []
    for day in (first + timedelta(days=offset) for offset in range(days)):
        for start, end in opening_blocks(opening_spans(hours, tz, day)):
            if blocks and blocks[-1][1] == start:
                blocks[-1] = (blocks[-1][0], end)
            else:
                blocks.append((start, end))
    free: list[Interval] = []
    resume = 0
    for block in blocks:
        if block[1] <= low or block[0] >= high:
            continue
        pieces, resume = free_within(block, busy, resume)
        free.extend(pieces)
    return free
