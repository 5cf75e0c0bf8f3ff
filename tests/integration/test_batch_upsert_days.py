"""Batch upserts on calendar days they saved before: another writer's changes are seen, races still caught."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.app_base import Saved
from domain.context import RequestContext
from domain.court_booking_upserts import UpsertItem
from domain.resource_day import CourtBookingOverlapError
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from tests.integration.test_projection_and_rebuild import seeded_service
from tests.support import random_day

UPDATED = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def other_process(own_settings: Settings, own_runtime: Runtime) -> Iterator[Runtime]:
    """A second ledger on the same schema, as another process has it: its own caches."""
    with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as opened:
        yield opened


def item(court: UUID, start: datetime, external_id: str | None = None) -> UpsertItem:
    return UpsertItem(
        external_id or uuid.uuid4().hex,
        court,
        start,
        start + timedelta(hours=1),
        [(None, f"p-{uuid.uuid4().hex[:8]}@example.com")],
        UPDATED,
    )


def upsert(runtime: Runtime, ctx: RequestContext, service: UUID, *items: UpsertItem) -> list[Any]:
    return list(runtime.ledger.upsert_court_bookings(ctx, service, list(items)))


def test_a_day_this_process_saved_is_read_with_what_another_process_added_since(
    own_runtime: Runtime, other_process: Runtime
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    day = random_day()
    upsert(own_runtime, ctx, service, item(court, day))
    upsert(other_process, ctx, service, item(court, day + timedelta(hours=2)))

    later = [item(court, day + timedelta(hours=hours)) for hours in (2, 4)]
    overlapping, free = upsert(own_runtime, ctx, service, *later)

    assert isinstance(overlapping, CourtBookingOverlapError)
    assert isinstance(free, Saved)
    reservations = own_runtime.ledger.calendar.reservations_on(court, [day.date()])
    assert len(reservations) == 3


def test_a_day_another_process_changes_between_read_and_save_is_decided_again(
    own_runtime: Runtime, other_process: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    day = random_day()
    upsert(own_runtime, ctx, service, item(court, day))
    ledger, save_many = own_runtime.ledger, own_runtime.ledger.save_many
    racing = [item(court, day + timedelta(hours=2))]

    def save_after_the_other_process(*aggregates: Any) -> int | None:
        while racing:
            upsert(other_process, ctx, service, racing.pop())
        return save_many(*aggregates)

    monkeypatch.setattr(ledger, "save_many", save_after_the_other_process)
    (outcome,) = upsert(own_runtime, ctx, service, item(court, day + timedelta(hours=2, minutes=30)))

    assert isinstance(outcome, CourtBookingOverlapError)
    assert ledger.retries.retried >= 1


def test_batches_of_one_process_on_the_same_days_take_turns_without_losing_a_race(
    own_runtime: Runtime,
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    day = random_day()
    batches = [[item(court, day + timedelta(hours=2 * n + offset)) for n in range(6)] for offset in (0, 1)]
    outcomes: list[list[Any]] = []
    retried = own_runtime.ledger.retries.retried

    def send(items: list[UpsertItem]) -> None:
        outcomes.append(upsert(own_runtime, ctx, service, *items))

    senders = [threading.Thread(target=send, args=(batch,)) for batch in batches]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()

    assert [isinstance(outcome, Saved) for each in outcomes for outcome in each] == [True] * 12
    assert own_runtime.ledger.retries.retried == retried
