"""A resource's weekly opening hours in its venue's local time, each range with its price and label."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from itertools import pairwise
from typing import Any

from domain.booking_rules import (
    InvalidBookingRulesError,
    MalformedBookingRulesError,
    checked_price,
    typed_field,
)
from domain.local_time import MINUTES_PER_DAY

MAX_LABEL_LENGTH = 100
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::00)?")


class InvalidWeekdayError(InvalidBookingRulesError):
    """Raised when an opening range's weekday is not from 0 (Monday) to 6 (Sunday)."""


class InvalidOpeningTimeError(InvalidBookingRulesError):
    """Raised when an opening time is not a whole minute of the day such as `08:00` (or `24:00` as an end)."""


class OpeningRangeOrderError(InvalidBookingRulesError):
    """Raised when an opening range does not end after it starts."""


class OverlappingOpeningHoursError(InvalidBookingRulesError):
    """Raised when two opening ranges of the same weekday overlap."""


class InvalidLabelError(InvalidBookingRulesError):
    """Raised when an opening range's label is longer than 100 characters."""


@dataclass(frozen=True)
class OpeningRange:
    """A weekly opening range in the venue's local time; an `end` of 00:00 is the midnight ending the day."""

    weekday: int
    start: time
    end: time
    price_per_hour: Decimal
    label: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidWeekdayError("weekday must be from 0 (Monday) to 6 (Sunday).")
        for moment in (self.start, self.end):
            if moment.tzinfo is not None or moment.second or moment.microsecond:
                raise InvalidOpeningTimeError("Opening times are local whole minutes, such as 08:00.")
        if self.start_minute >= self.end_minute:
            raise OpeningRangeOrderError("An opening range must end after it starts.")
        checked_price(self.price_per_hour, "price_per_hour")
        if len(self.label) > MAX_LABEL_LENGTH:
            raise InvalidLabelError(f"label is at most {MAX_LABEL_LENGTH} characters.")

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        return self.end.hour * 60 + self.end.minute or MINUTES_PER_DAY

    def as_dict(self) -> dict[str, Any]:
        end = "24:00" if self.end_minute == MINUTES_PER_DAY else self.end.strftime("%H:%M")
        return {
            "weekday": self.weekday,
            "start_time": self.start.strftime("%H:%M"),
            "end_time": end,
            "price_per_hour": f"{self.price_per_hour:f}",
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OpeningRange:
        """A range from `as_dict`'s form; times may carry `:00` seconds, and an end may be `24:00`."""
        return cls(
            weekday=typed_field(data, "weekday", int),
            start=_parsed_time(typed_field(data, "start_time", str), may_be_midnight_end=False),
            end=_parsed_time(typed_field(data, "end_time", str), may_be_midnight_end=True),
            price_per_hour=typed_field(data, "price_per_hour", Decimal),
            label=typed_field(data, "label", str) if "label" in data else "",
        )


@dataclass(frozen=True)
class OpeningHours:
    """A resource's weekly opening ranges; those of one weekday never overlap."""

    ranges: tuple[OpeningRange, ...]
    _by_weekday: tuple[tuple[OpeningRange, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.ranges, key=lambda r: (r.weekday, r.start_minute)))
        by_weekday = tuple(tuple(r for r in ordered if r.weekday == day) for day in range(7))
        for day_ranges in by_weekday:
            for earlier, later in pairwise(day_ranges):
                if later.start_minute < earlier.end_minute:
                    raise OverlappingOpeningHoursError(
                        f"Opening ranges of weekday {later.weekday} overlap: "
                        f"{earlier.as_dict()['start_time']}-{earlier.as_dict()['end_time']} and "
                        f"{later.as_dict()['start_time']}-{later.as_dict()['end_time']}.",
                        weekday=later.weekday,
                    )
        object.__setattr__(self, "ranges", ordered)
        object.__setattr__(self, "_by_weekday", by_weekday)

    def on(self, weekday: int) -> tuple[OpeningRange, ...]:
        """The ranges of a weekday (0 = Monday), by start."""
        return self._by_weekday[weekday]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [opening.as_dict() for opening in self.ranges]

    @classmethod
    def from_dicts(cls, items: Sequence[Mapping[str, Any]]) -> OpeningHours:
        if not isinstance(items, Sequence) or isinstance(items, str | bytes):
            raise MalformedBookingRulesError("opening_hours must be a list of ranges.")
        for index, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise MalformedBookingRulesError(f"opening_hours[{index}] must be an object.", index=index)
        return cls(tuple(OpeningRange.from_dict(item) for item in items))


def _parsed_time(text: str, may_be_midnight_end: bool) -> time:
    match = _TIME.fullmatch(text)
    hour, minute = (int(match.group(1)), int(match.group(2))) if match else (-1, -1)
    if may_be_midnight_end and (hour, minute) == (24, 0):
        return time()
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise InvalidOpeningTimeError(f"{text!r} is not a time such as 08:00.", value=text)
    return time(hour, minute)
