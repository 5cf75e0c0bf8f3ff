"""Numbers of venues and resources on PostgreSQL: distinct under racing creations, found by number or UUID."""

from __future__ import annotations

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import httpx
import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from domain.app_base import Saved
from domain.context import ADMIN, RequestContext
from domain.organization import Organization, Resource, Venue
from ledger.numbers import PostgresNumbers
from ledger.runtime import Runtime
from tests.racing import answered, race
from tests.support import ServerThread, expect

RACERS = 20


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


def new_organization(runtime: Runtime) -> Organization:
    return runtime.ledger.create_organization(
        admin(runtime), f"Club {uuid.uuid4().hex[:8]}", "Europe/Berlin"
    ).value


def store_as_version_1(runtime: Runtime, aggregate: Aggregate) -> None:
    """Write the aggregate's registration the way version 1 stored it: without a number."""
    [registered] = aggregate.collect_events()
    current = runtime.ledger.mapper.to_stored_event(registered)
    state = json.loads(current.state)
    assert state.pop("class_version") == 2
    assert state.pop("number") is None
    old = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    runtime.ledger.recorder.insert_events(
        [StoredEvent(current.originator_id, current.originator_version, current.topic, old)]
    )


def old_venue_and_court(runtime: Runtime) -> tuple[UUID, UUID]:
    """A venue and a court stored before venues and resources had numbers."""
    meta = admin(runtime).meta()
    venue = Venue.register(new_organization(runtime), "Old Centre", "Berlin", None, meta)
    court = Resource.register_court(venue, "Old Court", meta)
    store_as_version_1(runtime, venue)
    store_as_version_1(runtime, court)
    return venue.id, court.id


def test_venues_created_at_once_get_distinct_numbers_each_found_by_number_and_uuid(
    http: httpx.Client, admin_headers: dict[str, str], server: ServerThread, runtime: Runtime
) -> None:
    organization_id = new_organization(runtime).id

    def create(index: int) -> Any:
        path = f"/api/v1/admin/organizations/{organization_id}/venues"
        return lambda client: client.post(path, json={"name": f"Venue {index}"}, headers=admin_headers)

    responses = answered(race(server.url, [create(index) for index in range(RACERS)]))

    venue_ids = [UUID(expect(response, 201)["id"]) for response in responses]
    numbers = [runtime.ledger.resolve_venue(venue_id).number for venue_id in venue_ids]
    assert all(isinstance(number, int) for number in numbers)
    assert len(set(numbers)) == RACERS
    assert [runtime.ledger.resolve_venue(str(number)).id for number in numbers] == venue_ids


def test_courts_created_at_once_get_distinct_numbers(runtime: Runtime) -> None:
    venue = runtime.ledger.create_venue(admin(runtime), new_organization(runtime).id, "V", None, None).value
    start = threading.Barrier(RACERS)

    def create(index: int) -> Resource:
        start.wait()
        return runtime.ledger.create_court(admin(runtime), venue.id, f"Court {index}").value

    with ThreadPoolExecutor(RACERS) as pool:
        courts = list(pool.map(create, range(RACERS)))

    numbers = {court.number for court in courts}
    assert len(numbers) == RACERS
    assert None not in numbers
    assert {runtime.ledger.resolve_resource(number).id for number in numbers if number} == {
        c.id for c in courts
    }


def test_a_venue_and_a_court_stored_without_numbers_still_load(runtime: Runtime) -> None:
    venue_id, court_id = old_venue_and_court(runtime)

    venue = runtime.ledger.resolve_venue(str(venue_id))
    court = runtime.ledger.resolve_resource(court_id)

    assert (venue.name, venue.city, venue.number, venue.slug) == ("Old Centre", "Berlin", None, None)
    assert (court.name, court.venue_id, court.number) == ("Old Court", venue_id, None)
    assert runtime.ledger.get_court(court_id).venue_id == venue_id


def test_a_venue_and_a_court_stored_without_numbers_get_them_when_first_needed(runtime: Runtime) -> None:
    venue_id, court_id = old_venue_and_court(runtime)

    venue = runtime.ledger.numbered_venue(admin(runtime), venue_id).value
    court = runtime.ledger.numbered_resource(admin(runtime), court_id).value

    assert venue.number is not None
    assert court.number is not None
    assert runtime.ledger.resolve_venue(venue.number).id == venue_id
    assert runtime.ledger.resolve_resource(str(court.number)).id == court_id
    assert runtime.ledger.numbered_venue(admin(runtime), venue_id).position is None


def test_racing_first_uses_of_an_old_venue_give_it_one_number(runtime: Runtime) -> None:
    venue_id, _ = old_venue_and_court(runtime)
    start = threading.Barrier(8)

    def number(_: int) -> Saved[Venue]:
        start.wait()
        return runtime.ledger.numbered_venue(admin(runtime), venue_id)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(number, range(8)))

    assert len({result.value.number for result in results}) == 1
    topics = [type(event).__name__ for event in runtime.ledger.events.get(venue_id)]
    assert topics == ["Registered", "NumberAssigned"]


def test_postgres_hands_out_increasing_numbers_per_kind(runtime: Runtime) -> None:
    numbers = PostgresNumbers(runtime.ledger.recorder)

    venues = [numbers.next_number("venue") for _ in range(3)]
    bookings = [numbers.next_number("booking") for _ in range(3)]

    assert venues == sorted(set(venues))
    assert bookings == sorted(set(bookings))
    with pytest.raises(ValueError, match="court"):
        numbers.next_number("court")


def test_venue_details_and_profiles_round_trip_through_postgresql(runtime: Runtime) -> None:
    ledger, ctx = runtime.ledger, admin(runtime)
    organization = new_organization(runtime)
    venue = ledger.create_venue(ctx, organization.id, "Centre", None, None).value
    user = ledger.create_user(ctx, f"u-{uuid.uuid4().hex[:8]}@example.com", None, None).value

    ledger.update_venue_details(ctx, venue.id, latitude="48.137154", is_published=True, country=None)
    ledger.replace_profile_schema(ctx, organization.id, [{"id": "Full Name", "type": "text", "order": 1}])
    ledger.set_member_profile(ctx, organization.id, user.id, {"Full Name": "Ana Garcia"})
    ledger.set_member_profile(ctx, organization.id, user.id, {"Full Name": None})

    loaded = ledger.resolve_venue(str(venue.number))
    assert (loaded.latitude, loaded.is_published, loaded.country) == ("48.137154", True, None)
    assert [field.id for field in ledger.profile_schema(organization.id).fields] == ["Full Name"]
    profile = ledger.member_profile(organization.id, user.id)
    assert profile is not None
    assert (profile.values, profile.version) == ({}, 3)
