"""Many aggregates read in one query, and calendar days kept up to date from their new events only."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from domain.caches import BoundedCache
from domain.context import ADMIN, RequestContext
from domain.resource_day import ResourceDay
from ledger.recorder import LedgerRecorder
from ledger.runtime import Runtime

DAY = date(2041, 3, 4)


def at(hour: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=UTC)


def saved_day(runtime: Runtime, holds: int) -> ResourceDay:
    """Given: a calendar day of a new resource with `holds` one-hour reservations from 08:00."""
    meta = RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}").meta()
    day = ResourceDay(resource_id=uuid.uuid4(), day=DAY, meta=meta)
    for hour in range(8, 8 + holds):
        day.reserve(uuid.uuid4(), at(hour), at(hour + 1), meta)
    runtime.ledger.save(day)
    return day


def test_the_events_of_many_aggregates_come_in_one_query_each_in_version_order_after_a_version(
    runtime: Runtime,
) -> None:
    recorder = runtime.ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    first, second = saved_day(runtime, 3), saved_day(runtime, 2)

    every = recorder.select_events_of([first.id, second.id, uuid.uuid4()])
    later = recorder.select_events_of([first.id, second.id], {first.id: 2})

    by_aggregate = sorted((event.originator_id, event.originator_version) for event in every)
    assert [(event.originator_id, event.originator_version) for event in every] == by_aggregate
    assert sorted(by_aggregate) == sorted(
        [(first.id, v) for v in (1, 2, 3, 4)] + [(second.id, v) for v in (1, 2, 3)]
    )
    assert {(event.originator_id, event.originator_version) for event in later} == {
        (first.id, 3),
        (first.id, 4),
        (second.id, 1),
        (second.id, 2),
        (second.id, 3),
    }
    assert recorder.select_events_of([]) == []


def test_a_cached_day_is_brought_up_to_date_and_the_copy_handed_out_before_never_changes(
    runtime: Runtime,
) -> None:
    ledger, cache = runtime.ledger, BoundedCache[ResourceDay]()
    day = saved_day(runtime, 2)
    before = ledger.find_all([day.id], ResourceDay, cache)[day.id]

    meta = RequestContext(ADMIN, runtime.clock(), "test").meta()
    changed = ledger.find(day.id, ResourceDay)
    assert changed is not None
    released = next(iter(changed.reservations))
    changed.release(released, meta)
    changed.reserve(uuid.uuid4(), at(12), at(13), meta)
    ledger.save(changed)
    after = ledger.find_all([day.id, uuid.uuid4()], ResourceDay, cache)

    assert list(after) == [day.id]
    assert after[day.id].reservations == changed.reservations
    assert after[day.id].version == changed.version == 5
    assert released in before.reservations
    assert before.version == 3
    assert cache.get(day.id) is after[day.id]


def test_reading_an_unchanged_cached_day_decodes_no_event(runtime: Runtime) -> None:
    ledger, cache = runtime.ledger, BoundedCache[ResourceDay]()
    day = saved_day(runtime, 4)
    first = ledger.find_all([day.id], ResourceDay, cache)[day.id]

    again = ledger.find_all([day.id], ResourceDay, cache)[day.id]

    assert again is first
    assert sorted(again.reservations.values()) == [(at(h), at(h + 1)) for h in range(8, 12)]
    assert ledger.find_all([day.id], ResourceDay)[day.id].version == again.version == 5
