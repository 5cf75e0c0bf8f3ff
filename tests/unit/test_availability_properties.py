"""Properties of the availability engine over generated rules, opening hours, reservations and time zones."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.availability import FreeRange, available_ranges, opening_blocks, opening_spans, price_of_interval
from domain.booking_checks import BookingRuleError, check_booking
from domain.booking_rules import CENT, BookingRules
from domain.local_time import DayGrid, is_aligned, next_aligned, previous_aligned
from domain.opening_hours import OpeningHours, OpeningRange

ZONES = [
    ZoneInfo(name)
    for name in ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "UTC")
]
# Days just before a clock change in one of the zones, and an ordinary one.
FIRST_DAYS = [
    date(2026, 3, 28),
    date(2026, 10, 24),
    date(2026, 3, 7),
    date(2026, 10, 31),
    date(2026, 4, 4),
    date(2026, 10, 3),
    date(2026, 4, 3),
    date(2026, 9, 4),
    date(2026, 6, 10),
]
PRICES = [Decimal(text) for text in ("0.00", "12.50", "25.00", "30.00")]
LABELS = ["", "Peak Hours"]
# Enough examples to cover the zones and change days, few enough to run in seconds; nothing saved to disk.
FEW = settings(max_examples=50, deadline=None, database=None)


@dataclass(frozen=True)
class Scenario:
    """Given: a resource's rules and hours in a zone, its reservations, `now`, dates to ask and a booking."""

    rules: BookingRules
    hours: OpeningHours
    tz: ZoneInfo
    reservations: list[tuple[datetime, datetime]]
    now: datetime
    first_day: date
    last_day: date
    booking: tuple[datetime, datetime]

    def free(self) -> list[FreeRange]:
        """When: availability is asked for; then every range of every date, in order."""
        found = available_ranges(
            rules=self.rules,
            opening_hours=self.hours,
            tz=self.tz,
            reservations=self.reservations,
            now=self.now,
            first_day=self.first_day,
            last_day=self.last_day,
        )
        return [free for ranges in found.values() for free in ranges]


def clock(minute: int) -> time:
    return time(minute // 60, minute % 60) if minute < 1440 else time()


CUTS = st.lists(
    st.tuples(st.integers(0, 96), st.booleans(), st.sampled_from(PRICES), st.sampled_from(LABELS)), max_size=6
)


@st.composite
def opening_hours(draw: st.DrawFn) -> OpeningHours:
    """Per weekday, quarter-hour cuts of the day; each stretch between two cuts is open or closed."""
    ranges = []
    for weekday in range(7):
        cuts = sorted(
            {quarter * 15: (is_open, price, label) for quarter, is_open, price, label in draw(CUTS)}.items()
        )
        for (start, (is_open, price, label)), (end, _) in pairwise(cuts):
            if is_open:
                ranges.append(OpeningRange(weekday, clock(start), clock(end), price, label))
    return OpeningHours(tuple(ranges))


@st.composite
def booking_rules(draw: st.DrawFn) -> BookingRules:
    shortest = draw(st.integers(1, 240))
    return BookingRules(
        capacity=4,
        base_price=Decimal("25.00"),
        currency="EUR",
        price_unit="hour",
        booking_interval_minutes=draw(st.sampled_from([5, 7, 15, 30, 45, 60])),
        min_booking_duration_minutes=shortest,
        max_booking_duration_minutes=shortest + draw(st.integers(0, 240)),
        min_advance_booking_minutes=draw(st.integers(0, 600)),
        max_advance_booking_days=draw(st.integers(1, 6)),
        prevent_unbookable_gaps=draw(st.booleans()),
        is_bookable=True,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    first_day = draw(st.sampled_from(FIRST_DAYS)) + timedelta(days=draw(st.integers(0, 2)))
    origin = datetime.combine(first_day - timedelta(days=1), time(), UTC)
    minutes = st.integers(0, 6 * 1440).map(lambda m: origin + timedelta(minutes=m))
    held = draw(st.lists(st.tuples(st.integers(0, 6 * 1440), st.integers(1, 300)), max_size=12))
    reservations = [
        (origin + timedelta(minutes=start), origin + timedelta(minutes=start + length))
        for start, length in held
    ]
    rules, tz = draw(booking_rules()), draw(st.sampled_from(ZONES))
    start = next_aligned(draw(minutes), tz, rules.booking_interval_minutes)
    end = next_aligned(
        start + timedelta(minutes=draw(st.integers(1, 480))), tz, rules.booking_interval_minutes
    )
    return Scenario(
        rules=rules,
        hours=draw(opening_hours()),
        tz=tz,
        reservations=reservations,
        now=origin + timedelta(seconds=draw(st.integers(0, 5 * 86400))),
        first_day=first_day,
        last_day=first_day + timedelta(days=draw(st.integers(0, 3))),
        booking=(start, end),
    )


def runs(ranges: list[FreeRange]) -> list[list[FreeRange]]:
    """The ranges grouped where one ends as the next starts: the free stretches a booking may cover."""
    grouped: list[list[FreeRange]] = []
    for free in ranges:
        if grouped and grouped[-1][-1].end == free.start:
            grouped[-1].append(free)
        else:
            grouped.append([free])
    return grouped


@FEW
@given(scenarios())
def test_no_free_range_overlaps_a_reservation(scenario: Scenario) -> None:
    for free in scenario.free():
        assert all(not (start < free.end and free.start < end) for start, end in scenario.reservations)


@FEW
@given(scenarios())
def test_every_free_range_lies_inside_the_opening_hours_of_its_date(scenario: Scenario) -> None:
    for free in scenario.free():
        blocks = opening_blocks(opening_spans(scenario.hours, scenario.tz, free.date))
        assert any(start <= free.start < free.end <= end for start, end in blocks)
        assert free.local_start.date() == free.date


@FEW
@given(scenarios())
def test_every_free_stretch_lasts_the_minimum_and_is_split_only_where_price_or_label_change(
    scenario: Scenario,
) -> None:
    minimum = timedelta(minutes=scenario.rules.min_booking_duration_minutes)
    for stretch in runs(scenario.free()):
        assert stretch[-1].end - stretch[0].start >= minimum
        for before, after in pairwise(stretch):
            assert (before.price_per_hour, before.label) != (after.price_per_hour, after.label)


@FEW
@given(scenarios())
def test_every_free_range_is_on_the_grid_and_within_the_advance_limits(scenario: Scenario) -> None:
    rules, step = scenario.rules, scenario.rules.booking_interval_minutes
    earliest = scenario.now + timedelta(minutes=rules.min_advance_booking_minutes)
    latest = scenario.now + timedelta(days=rules.max_advance_booking_days)
    for stretch in runs(scenario.free()):
        assert is_aligned(stretch[0].start, scenario.tz, step)
        assert is_aligned(stretch[-1].end, scenario.tz, step)
        assert earliest <= stretch[0].start
        assert stretch[-1].end <= latest


@FEW
@given(scenarios())
def test_the_price_of_a_free_stretch_is_the_sum_of_its_ranges_prices(scenario: Scenario) -> None:
    for stretch in runs(scenario.free()):
        exact = sum(
            (r.price_per_hour * Decimal((r.end - r.start) // timedelta(seconds=1)) / 3600 for r in stretch),
            Decimal(0),
        )
        price = price_of_interval(stretch[0].start, stretch[-1].end, scenario.hours, scenario.tz)
        assert price == exact.quantize(CENT, rounding=ROUND_HALF_UP)


@FEW
@given(scenarios())
def test_a_booking_the_checks_accept_lies_inside_one_free_stretch(scenario: Scenario) -> None:
    start, end = scenario.booking
    try:
        check_booking(
            rules=scenario.rules,
            opening_hours=scenario.hours,
            tz=scenario.tz,
            reservations=scenario.reservations,
            now=scenario.now,
            start=start,
            end=end,
            participant_count=1,
        )
    except BookingRuleError:
        return
    local_day = start.astimezone(scenario.tz).date()
    if scenario.first_day <= local_day <= scenario.last_day:
        assert any(s[0].start <= start and end <= s[-1].end for s in runs(scenario.free()))


@FEW
@given(scenarios())
def test_the_shortest_aligned_booking_at_the_start_of_a_free_stretch_passes_all_checks_but_gaps(
    scenario: Scenario,
) -> None:
    rules = replace(scenario.rules, prevent_unbookable_gaps=False)
    step = rules.booking_interval_minutes
    for stretch in runs(scenario.free()):
        start = stretch[0].start
        end = next_aligned(start + timedelta(minutes=rules.min_booking_duration_minutes), scenario.tz, step)
        if end <= stretch[-1].end and end - start <= timedelta(minutes=rules.max_booking_duration_minutes):
            check_booking(
                rules=rules,
                opening_hours=scenario.hours,
                tz=scenario.tz,
                reservations=scenario.reservations,
                now=scenario.now,
                start=start,
                end=end,
                participant_count=1,
            )


@FEW
@given(
    st.sampled_from(FIRST_DAYS).map(lambda day: day + timedelta(days=1)),
    st.sampled_from(ZONES),
    st.sampled_from([1, 5, 7, 15, 30, 45, 60, 90, 1440]),
    st.floats(0, 1),
)
def test_the_grid_of_a_day_agrees_with_the_clock_look_ups(
    day: date, tz: ZoneInfo, step: int, share: float
) -> None:
    grid = DayGrid(day, tz, step)
    moment = grid.start + (grid.end - grid.start) * share

    assert grid.next(moment) == next_aligned(moment, tz, step)
    assert grid.previous(moment) == previous_aligned(moment, tz, step)
