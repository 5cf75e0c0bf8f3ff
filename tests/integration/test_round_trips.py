"""Database round trips per command, counted (not timed): what an upsert, a replay and a batch cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import psycopg
import pytest

from bench.round_trips import SLOT
from domain.app_base import Saved
from domain.booking_commands import OrderWithBookings
from domain.coach_event import TimeSlot
from domain.context import ADMIN, Principal, RequestContext
from domain.court_booking import CourtBooking
from domain.court_booking_upserts import UpsertItem
from ledger.pool_check import check_if_signalled
from ledger.round_trips import counting
from ledger.runtime import Runtime, open_runtime
from tests.support import random_day, wait_until

UPDATED = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass
class Partner:
    runtime: Runtime
    ctx: RequestContext
    service_id: UUID
    court_id: UUID

    def upsert(
        self, external_id: str, start: datetime, updated: datetime = UPDATED, email: str = "ana@example.com"
    ) -> Saved[CourtBooking]:
        return self.runtime.ledger.upsert_court_booking(
            self.ctx,
            self.service_id,
            external_id,
            self.court_id,
            start,
            start + timedelta(hours=1),
            [(None, email)],
            updated,
        )

    def batch(self, items: Sequence[UpsertItem]) -> list[object]:
        return list(self.runtime.ledger.upsert_court_bookings(self.ctx, self.service_id, items))


@pytest.fixture
def partner(own_runtime: Runtime) -> Partner:
    ledger, admin = own_runtime.ledger, RequestContext(ADMIN, own_runtime.clock(), "setup")
    organization = ledger.create_organization(admin, "Club", "UTC").value
    venue = ledger.create_venue(admin, organization.id, "Centre", "Berlin", None).value
    court = ledger.create_court(admin, venue.id, "Court 1").value
    client = ledger.create_client(admin, "Partner", ["court-bookings:write"], [organization.id]).value
    principal = Principal(
        id=str(client.id),
        kind="client",
        scopes=frozenset({"court-bookings:write"}),
        organization_ids=frozenset({organization.id}),
    )
    found = Partner(own_runtime, RequestContext(principal, own_runtime.clock(), "test"), client.id, court.id)
    found.upsert("warm-up", random_day())  # the court is read (and cached) once per process
    return found


def test_an_upsert_that_creates_takes_two_round_trips(partner: Partner) -> None:
    with counting() as trips:
        outcome = partner.upsert("created", random_day() + timedelta(hours=9))

    assert outcome.created
    assert trips.count == 2  # one read of the booking and its day, one append


def test_an_upsert_naming_a_new_person_adds_one_read_and_stores_the_key_with_its_append(
    partner: Partner,
) -> None:
    with counting() as trips:
        outcome = partner.upsert("new-person", random_day() + timedelta(hours=9), email="new@example.com")

    assert outcome.created
    assert trips.count == 3  # the booking and its day, the person's key (none yet), the append with the key


def test_an_idempotent_replay_takes_one_round_trip(partner: Partner) -> None:
    start = random_day() + timedelta(hours=9)
    partner.upsert("replayed", start)

    with counting() as trips:
        outcome = partner.upsert("replayed", start)

    assert outcome.position is None
    assert trips.count == 1


@pytest.mark.parametrize(
    ("moved_by", "expected"),
    [(timedelta(hours=2), 2), (timedelta(days=3), 3)],
    ids=["within-its-day", "to-another-day-whose-old-day-is-read-second"],
)
def test_an_update_takes_two_round_trips_or_three_when_it_leaves_its_days(
    partner: Partner, moved_by: timedelta, expected: int
) -> None:
    start = random_day() + timedelta(hours=9)
    partner.upsert("updated", start)

    with counting() as trips:
        partner.upsert("updated", start + moved_by, UPDATED + timedelta(seconds=1))

    assert trips.count == expected


def test_a_batch_of_bookings_on_distinct_days_reads_once_and_saves_once(partner: Partner) -> None:
    day = random_day()
    items = [
        UpsertItem(
            f"batch-{n}",
            partner.court_id,
            day + timedelta(days=n, hours=9),
            day + timedelta(days=n, hours=10),
            [(None, "ana@example.com")],
            UPDATED,
        )
        for n in range(50)
    ]

    with counting() as trips:
        outcomes = partner.batch(items)

    assert all(isinstance(outcome, Saved) and outcome.created for outcome in outcomes)
    assert trips.count == 2


@dataclass
class Shop:
    partner: Partner
    athlete_id: UUID
    event_ids: list[UUID]

    def order(self, idempotency_key: str) -> Saved[OrderWithBookings]:
        ledger, ctx = self.partner.runtime.ledger, self.partner.ctx
        return ledger.place_order(ctx, self.athlete_id, self.event_ids, "Cash", None, idempotency_key)


@pytest.fixture
def shop(partner: Partner) -> Shop:
    ledger = partner.runtime.ledger
    admin = RequestContext(ADMIN, partner.runtime.clock(), "setup")
    coach = ledger.create_user(admin, f"coach-{uuid4().hex[:8]}@example.com", None, None).value
    athlete = ledger.create_user(admin, f"athlete-{uuid4().hex[:8]}@example.com", None, None).value
    ledger.link_user(admin, partner.service_id, athlete.id)
    organization_id = next(iter(partner.ctx.principal.organization_ids))
    day = random_day()
    event_ids = [
        ledger.schedule_coach_event(
            admin,
            coach.id,
            uuid4(),
            day + timedelta(days=n, hours=10),
            day + timedelta(days=n, hours=11),
            None,
            TimeSlot(time_slot_id=uuid4(), **SLOT),  # type: ignore[arg-type]
            organization_id,
        ).value.id
        for n in range(3)
    ]
    return Shop(partner, athlete.id, event_ids)


def test_an_order_reads_once_and_saves_once(shop: Shop) -> None:
    with counting() as trips:
        outcome = shop.order("first")

    assert outcome.created
    assert len(outcome.value.bookings) == 3
    assert trips.count == 2  # the link, the order and its events in one read; one append


def test_a_retried_order_takes_one_round_trip(shop: Shop) -> None:
    placed = shop.order("retried")

    with counting() as trips:
        outcome = shop.order("retried")

    assert not outcome.created
    assert [booking.id for booking in outcome.value.bookings] == placed.value.order.booking_ids
    assert trips.count == 1  # its bookings' ids derive from the request, so they are read with the order


def _new_people_on_distinct_days(partner: Partner, count: int) -> list[UpsertItem]:
    day, people = random_day(), uuid4().hex
    return [
        UpsertItem(
            f"person-{people}-{n}",
            partner.court_id,
            day + timedelta(days=n, hours=9),
            day + timedelta(days=n, hours=10),
            [(None, f"{people}-{n}@example.com")],
            UPDATED,
        )
        for n in range(count)
    ]


def test_a_batch_naming_new_people_creates_their_keys_in_one_round_trip(partner: Partner) -> None:
    items = _new_people_on_distinct_days(partner, 50)

    with counting() as trips:
        outcomes = partner.batch(items)

    assert all(isinstance(outcome, Saved) and outcome.created for outcome in outcomes)
    # The read, one look-up of all the people's keys, and the append that stores the new keys with the
    # events; a look-up per person would make it 2 + 50.
    assert trips.count == 3


def test_a_batch_replayed_by_a_process_that_never_opened_its_keys_opens_them_in_one_round_trip(
    partner: Partner,
) -> None:
    items = _new_people_on_distinct_days(partner, 50)
    partner.batch(items)
    settings = partner.runtime.settings
    with open_runtime(settings, run_projections=False, announce=lambda _: None) as other:
        replayed = Partner(other, partner.ctx, partner.service_id, partner.court_id)
        replayed.upsert("warm-up-elsewhere", random_day())  # its court read, as in the fixture

        with counting() as trips:
            outcomes = replayed.batch(items)

    assert all(isinstance(outcome, Saved) and outcome.position is None for outcome in outcomes)
    # The read, and one look-up of the keys its events' sealed values name.
    assert trips.count == 2


def test_the_pool_check_finds_a_connection_whose_session_was_ended(own_runtime: Runtime) -> None:
    url = own_runtime.settings.database_url
    assert url is not None
    with psycopg.connect(url, autocommit=True) as admin, psycopg.connect(url, autocommit=True) as pooled:
        admin.execute("SELECT pg_terminate_backend(%s)", (pooled.info.backend_pid,))
        wait_until(
            lambda: (
                not admin.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pooled.info.backend_pid,)
                ).fetchall()
            ),
            5,
            "the session to end",
        )

        with pytest.raises(psycopg.OperationalError):
            check_if_signalled(pooled)


def test_the_pool_check_of_a_live_idle_connection_makes_no_round_trip(own_runtime: Runtime) -> None:
    assert own_runtime.settings.database_url is not None
    with psycopg.connect(own_runtime.settings.database_url, autocommit=True) as pooled:
        pooled.execute("SELECT 1")

        with counting() as trips:
            check_if_signalled(pooled)

    assert trips.count == 0
