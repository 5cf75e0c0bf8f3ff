"""Database round trips per command, counted in-process on a schema of their own (not timed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.database import drop_schema
from bench.seed import runtime_settings
from domain.coach_event import TimeSlot
from domain.context import ADMIN, Principal, RequestContext
from domain.court_booking_upserts import MAX_BATCH, UpsertItem
from ledger.round_trips import counting
from ledger.runtime import open_runtime

SCHEMA = "bench_round_trips"
UPDATED = datetime(2030, 1, 1, tzinfo=UTC)
DAY = datetime(2036, 3, 1, 9, tzinfo=UTC)
SLOT = {
    "start_time": "10:00:00+00:00",
    "end_time": "11:00:00+00:00",
    "number_of_participants": 8,
    "slot_type": "Offline",
    "age_from": 18,
    "age_to": 99,
    "duration": 60,
    "price": 1500,
    "price_currency": "RUB",
    "payment_method": "Cash",
    "public": True,
    "level": "Any",
    "eligibility": "All",
}


def measure(url: str, add: Callable[..., None], problems: list[str]) -> None:
    """Count the round trips of an upsert that creates, updates and replays, a batch, and an order."""
    drop_schema(url, SCHEMA)
    with open_runtime(runtime_settings(url, SCHEMA), run_projections=False, announce=lambda _: None) as rt:
        ledger, admin = rt.ledger, RequestContext(ADMIN, rt.clock(), "bench-round-trips")
        organization = ledger.create_organization(admin, "Club", "UTC").value
        venue = ledger.create_venue(admin, organization.id, "Centre", "Berlin", None).value
        court = ledger.create_court(admin, venue.id, "Court 1").value
        scopes = ["court-bookings:write", "bookings:write", "orders:write"]
        client = ledger.create_client(admin, "Partner", scopes, [organization.id]).value
        principal = Principal(str(client.id), "client", frozenset(scopes), frozenset({organization.id}))
        ctx = RequestContext(principal, rt.clock(), "bench-round-trips")

        def upsert(external_id: str, start: datetime, updated: datetime = UPDATED) -> Any:
            end = start + timedelta(hours=1)
            pairs = [(None, "ana@example.com")]
            return ledger.upsert_court_booking(
                ctx, client.id, external_id, court.id, start, end, pairs, updated
            )

        def count(action: Callable[[], Any]) -> int:
            with counting() as trips:
                action()
            return trips.count

        upsert("warm-up", DAY - timedelta(days=1))  # the court is read once per process, then cached
        trips = {
            "create": count(lambda: upsert("b", DAY)),
            "replay": count(lambda: upsert("b", DAY)),
            "update": count(lambda: upsert("b", DAY + timedelta(hours=2), UPDATED + timedelta(seconds=1))),
            "update_to_another_day": count(
                lambda: upsert("b", DAY + timedelta(days=2), UPDATED + timedelta(seconds=2))
            ),
        }
        items = [
            UpsertItem(
                f"batch-{n}",
                court.id,
                DAY + timedelta(days=10 + n),
                DAY + timedelta(days=10 + n, hours=1),
                [(None, "ana@example.com")],
                UPDATED,
            )
            for n in range(MAX_BATCH)
        ]
        batch = count(lambda: ledger.upsert_court_bookings(ctx, client.id, items))
        coach = ledger.create_user(admin, "coach@example.com", None, None).value
        athlete = ledger.create_user(admin, "athlete@example.com", None, None).value
        ledger.link_user(admin, client.id, athlete.id)
        timeslot = TimeSlot(time_slot_id=uuid.uuid4(), **SLOT)  # type: ignore[arg-type]
        event = ledger.schedule_coach_event(
            admin,
            coach.id,
            uuid.uuid4(),
            DAY + timedelta(days=700),
            DAY + timedelta(days=700, hours=1),
            None,
            timeslot,
            organization.id,
        ).value
        order = count(lambda: ledger.place_order(ctx, athlete.id, [event.id], "Cash", None, "bench-order"))
        order_replay = count(
            lambda: ledger.place_order(ctx, athlete.id, [event.id], "Cash", None, "bench-order")
        )
    drop_schema(url, SCHEMA)
    how = "psycopg Connection.wait calls of the command's thread (ledger/round_trips.py), in-process"
    targets = {"create": ("<=", 3), "replay": ("<=", 1)}
    for name, value in trips.items():
        add(f"round_trips_upsert_{name}", value, "round trips", target=targets.get(name), how=how)
    add("round_trips_batch_500", batch, "round trips", bookings=MAX_BATCH, days=MAX_BATCH, how=how)
    add("round_trips_order", order, "round trips", events=1, how=how)
    add("round_trips_order_replay", order_replay, "round trips", how=f"{how}; the same Idempotency-Key again")
