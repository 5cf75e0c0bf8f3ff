"""Template slots: the grid of starts, lead and follow-up time, opening hours, bounds, clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from domain.organization import Resource
from domain.template_slots import (
    OPEN_ALL_DAY,
    InvalidSlotRangeError,
    ResourceOpening,
    ResourceTimes,
    Slot,
    Verdict,
    earliest_slots,
    opening_of,
    slot_verdict,
    template_slots,
)
from domain.template_terms import TemplateTerms
from tests.unit.availability_support import BERLIN, SEED_HOURS, berlin, every_day, rules
from tests.unit.events import meta
from tests.unit.template_support import COURT, OTHER_COURT, terms

DAY = date(2030, 1, 2)  # a Wednesday; "now" is the day before, 10:30 in Berlin
NOW = berlin(date(2030, 1, 1), 10, 30)
NO_BOUNDS = terms(booking_lead_time=0, booking_day_latest=365)
SPRING = date(2030, 3, 31)  # Berlin's clocks jump from 02:00 to 03:00
AUTUMN = date(2030, 10, 27)  # Berlin's clocks turn back from 03:00 to 02:00


def open_all_day(*reservations: tuple[datetime, datetime], court: UUID = COURT) -> ResourceTimes:
    """Given: a court without booking rules, with these reservations."""
    return ResourceTimes(court, OPEN_ALL_DAY, tuple(reservations))


def shown(slots: list[Slot]) -> list[str]:
    """Then: each slot's start as the venue's clock shows it, with its offset (clocks change)."""
    return [slot.start.astimezone(BERLIN).strftime("%H:%M%z") for slot in slots]


def slots_between(
    template: TemplateTerms,
    resources: list[ResourceTimes],
    start: datetime,
    end: datetime,
    now: datetime = NOW,
) -> list[Slot]:
    return template_slots(template, resources, BERLIN, now, start, end)


def test_a_court_without_rules_offers_a_start_every_15_minutes_around_the_clock() -> None:
    slots = slots_between(NO_BOUNDS, [open_all_day()], berlin(DAY, 0), berlin(DAY, 1, 1))

    assert shown(slots) == ["00:00+0100", "00:15+0100", "00:30+0100", "00:45+0100", "01:00+0100"]
    assert all(slot.end - slot.start == timedelta(minutes=60) for slot in slots)
    assert {slot.resource_ids for slot in slots} == {(COURT,)}


def test_a_slot_may_run_past_midnight_on_a_court_open_all_day() -> None:
    slots = slots_between(NO_BOUNDS, [open_all_day()], berlin(DAY, 23, 30), berlin(DAY, 23, 31))

    assert [slot.end for slot in slots] == [berlin(DAY + timedelta(days=1), 0, 30)]


def test_lead_and_followup_time_around_a_reservation_must_be_free_too() -> None:
    template = terms(booking_lead_time=0, lead_time=15, followup_time=30)
    court = open_all_day((berlin(DAY, 10), berlin(DAY, 11)))

    slots = slots_between(template, [court], berlin(DAY, 8), berlin(DAY, 12))

    assert [s[:5] for s in shown(slots)] == ["08:00", "08:15", "08:30", "11:15", "11:30", "11:45"]


def test_a_court_with_opening_hours_offers_starts_on_its_booking_grid_inside_them() -> None:
    court = ResourceTimes(COURT, ResourceOpening(SEED_HOURS, 30))

    slots = slots_between(NO_BOUNDS, [court], berlin(DAY, 0), berlin(DAY, 17))

    assert [s[:5] for s in shown(slots)] == [
        *("08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00"),
        *("15:30", "16:00", "16:30"),
    ]


def test_lead_and_followup_time_stay_inside_the_opening_hours() -> None:
    court = ResourceTimes(COURT, ResourceOpening(every_day(("08:00", "12:00", "20.00", "")), 15))
    template = terms(booking_lead_time=0, lead_time=15, followup_time=45)

    slots = slots_between(template, [court], berlin(DAY, 0), berlin(DAY, 23))

    assert (shown(slots)[0][:5], shown(slots)[-1][:5]) == ("08:15", "10:15")


def test_a_court_that_is_not_bookable_offers_no_slots() -> None:
    court = ResourceTimes(COURT, ResourceOpening(SEED_HOURS, 30, bookable=False))

    assert slots_between(NO_BOUNDS, [court], berlin(DAY, 0), berlin(DAY, 23)) == []


def test_no_slot_starts_sooner_than_the_booking_lead_time_after_now() -> None:
    template = terms(booking_lead_time=125)

    slots = slots_between(template, [open_all_day()], NOW, NOW + timedelta(hours=3))

    assert shown(slots)[0] == "12:45+0100"


def test_the_earliest_booking_day_counts_from_today_in_the_venues_timezone() -> None:
    late_evening = datetime(2030, 1, 1, 23, 30, tzinfo=UTC)  # already Jan 2, 00:30, in Berlin
    template = terms(booking_lead_time=0, booking_day_earliest=1)

    slots = slots_between(
        template, [open_all_day()], late_evening, late_evening + timedelta(days=2), late_evening
    )

    assert slots[0].start == berlin(date(2030, 1, 3), 0)


def test_no_slot_starts_after_the_latest_booking_day() -> None:
    template = terms(booking_lead_time=0, booking_day_latest=1)

    slots = slots_between(template, [open_all_day()], NOW, NOW + timedelta(days=7))

    assert slots[-1].start == berlin(DAY, 23, 45)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (berlin(DAY, 0), berlin(DAY, 0) + timedelta(days=7, microseconds=1)),
        (berlin(DAY, 10), berlin(DAY, 10)),
        (berlin(DAY, 10), berlin(DAY, 9)),
        (datetime(2030, 1, 2, 0), datetime(2030, 1, 3, 0)),
    ],
)
def test_a_range_over_7_days_empty_reversed_or_without_offset_is_refused(
    start: datetime, end: datetime
) -> None:
    with pytest.raises(InvalidSlotRangeError):
        slots_between(NO_BOUNDS, [open_all_day()], start, end)


def test_a_range_of_exactly_7_days_is_answered() -> None:
    slots = slots_between(NO_BOUNDS, [open_all_day()], berlin(DAY, 0), berlin(DAY, 0) + timedelta(days=7))

    assert len(slots) == 7 * 24 * 4


def test_the_hour_skipped_when_clocks_spring_forward_has_no_slots_and_slots_last_real_time() -> None:
    slots = slots_between(NO_BOUNDS, [open_all_day()], berlin(SPRING, 1), berlin(SPRING, 4))

    assert shown(slots) == [
        *("01:00+0100", "01:15+0100", "01:30+0100", "01:45+0100"),
        *("03:00+0200", "03:15+0200", "03:30+0200", "03:45+0200"),
    ]
    assert slots[2].end.astimezone(BERLIN).strftime("%H:%M") == "03:30"


def test_the_hour_repeated_when_clocks_fall_back_has_its_slots_twice() -> None:
    slots = slots_between(NO_BOUNDS, [open_all_day()], berlin(AUTUMN, 2), berlin(AUTUMN, 3))

    assert shown(slots) == [
        *("02:00+0200", "02:15+0200", "02:30+0200", "02:45+0200"),
        *("02:00+0100", "02:15+0100", "02:30+0100", "02:45+0100"),
    ]


def test_the_earliest_slots_are_one_per_court_free_at_the_earliest_start() -> None:
    first_free_at_13 = open_all_day((NOW, berlin(date(2030, 1, 1), 13)))
    second = open_all_day(court=OTHER_COURT)

    earliest = earliest_slots(terms(), [first_free_at_13, second], BERLIN, NOW, NOW, NOW + timedelta(days=7))

    assert [(shown([slot])[0], slot.resource_ids) for slot in earliest] == [("12:30+0100", (OTHER_COURT,))]

    both_free = earliest_slots(terms(), [open_all_day(), second], BERLIN, NOW, NOW, NOW + timedelta(days=7))
    assert [slot.resource_ids for slot in both_free] == [(COURT,), (OTHER_COURT,)]


def test_there_is_no_earliest_slot_when_every_court_is_booked_throughout() -> None:
    busy = open_all_day((NOW, NOW + timedelta(days=8)))

    assert earliest_slots(terms(), [busy], BERLIN, NOW, NOW, NOW + timedelta(days=7)) == []


def test_a_start_is_taken_when_only_a_reservation_stands_in_its_way() -> None:
    start = berlin(DAY, 10)
    court = open_all_day((berlin(DAY, 10, 30), berlin(DAY, 11)))

    assert slot_verdict(terms(), court, BERLIN, NOW, start) is Verdict.TAKEN
    assert slot_verdict(terms(), open_all_day(), BERLIN, NOW, start) is Verdict.BOOKABLE
    assert slot_verdict(terms(), open_all_day(), BERLIN, NOW, berlin(DAY, 10, 5)) is Verdict.UNAVAILABLE
    assert slot_verdict(terms(), open_all_day(), BERLIN, NOW, NOW) is Verdict.UNAVAILABLE


def court_resource() -> Resource:
    return Resource(
        organization_id=COURT, venue_id=COURT, kind="court", name="Court 1", number=1, meta=meta()
    )


def test_a_court_without_booking_rules_is_open_all_day_on_the_default_grid() -> None:
    assert opening_of(court_resource()) == OPEN_ALL_DAY


def test_a_court_with_booking_rules_opens_by_its_hours_on_its_booking_interval() -> None:
    court = court_resource()
    # The form in which resources record their rules and opening hours.
    vars(court).update(
        booking_rules=rules(booking_interval_minutes=20, is_bookable=False).as_dict(),
        opening_hours=SEED_HOURS.as_dicts(),
    )

    assert opening_of(court) == ResourceOpening(SEED_HOURS, 20, bookable=False)
