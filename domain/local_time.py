"""A venue's wall-clock times as UTC instants, correct across daylight-saving changes.

Arithmetic happens on UTC instants only: Python adds to, subtracts and compares datetimes of one zone by their
wall-clock fields, which is wrong across a change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
_DAY_US = MINUTES_PER_DAY * 60_000_000


def wall_instant(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """The first instant at which the venue's clock shows `minute` past midnight of `day`, or a later time.

    An ambiguous time (the repeated hour when clocks fall back) is its first occurrence; a time skipped when
    clocks spring forward is the moment of the jump. `minute` 1440 is the next day's midnight. The mapping
    never decreases, so ranges that touch on the wall clock touch as instants and never overlap.
    """
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    first = wall.replace(tzinfo=tz).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    other = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    return _offset_change(min(first, other), max(first, other), tz)


def is_aligned(moment: datetime, tz: ZoneInfo, step_minutes: int) -> bool:
    """Whether the venue's clock shows a whole multiple of `step_minutes` after its midnight at `moment`."""
    return _wall_us(moment.astimezone(tz)) % (step_minutes * 60_000_000) == 0


def next_aligned(moment: datetime, tz: ZoneInfo, step_minutes: int) -> datetime:
    """The earliest aligned instant at or after `moment` (UTC)."""
    moment = moment.astimezone(UTC)
    shown = moment.astimezone(tz)
    wall = _wall_us(shown)
    step = step_minutes * 60_000_000
    if wall % step == 0:
        return moment
    target = min(wall - wall % step + step, _DAY_US)
    candidate = moment + timedelta(microseconds=target - wall)
    if candidate.astimezone(tz).utcoffset() == shown.utcoffset():
        return candidate
    # The clocks change before the candidate: the grid continues from the time they show after the change.
    return next_aligned(_offset_change(moment, candidate, tz), tz, step_minutes)


def previous_aligned(moment: datetime, tz: ZoneInfo, step_minutes: int) -> datetime:
    """The latest aligned instant at or before `moment` (UTC)."""
    moment = moment.astimezone(UTC)
    shown = moment.astimezone(tz)
    candidate = moment - timedelta(microseconds=_wall_us(shown) % (step_minutes * 60_000_000))
    if candidate.astimezone(tz).utcoffset() == shown.utcoffset():
        return candidate
    # The clocks changed after the candidate: the grid point is the last one shown before the change.
    change = _offset_change(candidate, moment, tz)
    return previous_aligned(change - timedelta(microseconds=1), tz, step_minutes)


class DayGrid:
    """The booking grid of one local date: the points of `next_aligned` and `previous_aligned`, found faster.

    On a day without a clock change a point inside the day is a whole number of steps after its midnight,
    found by arithmetic alone; anything else goes through the clock.
    """

    def __init__(self, day: date, tz: ZoneInfo, step_minutes: int) -> None:
        self.tz, self.step_minutes = tz, step_minutes
        self.start = wall_instant(day, 0, tz)
        self.end = wall_instant(day + timedelta(days=1), 0, tz)
        first, last = self.start.astimezone(tz), (self.end - timedelta(microseconds=1)).astimezone(tz)
        # Some zones change their clocks at midnight, so the day may begin at 01:00.
        self.uniform = first.time() == time() and first.utcoffset() == last.utcoffset()
        self.step = timedelta(minutes=step_minutes)

    def next(self, moment: datetime) -> datetime:
        """The earliest grid point at or after `moment` (UTC)."""
        if self.uniform and self.start <= moment < self.end:
            point = self.start - ((self.start - moment) // self.step) * self.step
            if point < self.end:
                return point
        return next_aligned(moment, self.tz, self.step_minutes)

    def previous(self, moment: datetime) -> datetime:
        """The latest grid point at or before `moment` (UTC)."""
        if self.uniform and self.start <= moment < self.end:
            return self.start + ((moment - self.start) // self.step) * self.step
        return previous_aligned(moment, self.tz, self.step_minutes)


def _wall_us(shown: datetime) -> int:
    return ((shown.hour * 60 + shown.minute) * 60 + shown.second) * 1_000_000 + shown.microsecond


def _offset_change(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The first instant in (before, after] with the UTC offset of `after` (changes fall on whole seconds)."""
    target = after.astimezone(tz).utcoffset()
    low = int(before.timestamp() // 1)
    high = -int(-after.timestamp() // 1)
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(tz).utcoffset() == target:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)
