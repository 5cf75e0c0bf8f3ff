"""A venue's list of resources: saved with the venue and each court; built from the log for older venues."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain import venue_resources
from domain.application import Ledger
from domain.ids import venue_resources_id
from domain.organization import Resource, Venue
from domain.venue_resources import VenueResources
from tests.unit.events import given, meta, no_events, stored_types
from tests.unit.tenants import admin_context, place

VENUE = UUID(int=7)


def venue_saved_before_the_index(ledger: Ledger, courts: int) -> tuple[Venue, list[Resource]]:
    """Given: a venue and its courts saved as they were before venues kept a list of their resources."""
    organization = ledger.create_organization(admin_context(), "Old Club", "Europe/Berlin").value
    venue = Venue.register(organization, "Old Centre", "Berlin", None, meta())
    made = [Resource.register_court(venue, f"Old {i}", meta()) for i in range(courts)]
    ledger.save(venue, *made)
    return venue, made


def test_a_new_venue_lists_its_courts_in_the_order_they_were_created() -> None:
    given_place = place()
    ledger, ctx = given_place.ledger, admin_context()
    second = given_place.new_court()
    third = given_place.new_court()

    listed = ledger.venue_resources(ctx, given_place.venue.id)

    assert [resource.id for resource in listed] == [given_place.court.id, second.id, third.id]


def test_a_venue_without_courts_lists_none() -> None:
    given_place = place()
    organization = given_place.organization
    empty = given_place.ledger.create_venue(admin_context(), organization.id, "Empty", None, None).value

    assert given_place.ledger.venue_resource_ids(admin_context(), empty.id) == []


def test_the_list_is_saved_with_the_venue_and_with_each_court() -> None:
    given_place = place()

    assert stored_types(given_place.ledger, venue_resources_id(given_place.venue.id)) == [
        VenueResources.Started,
        VenueResources.ResourceAdded,
    ]


def test_courts_of_other_venues_are_not_listed() -> None:
    given_place = place()
    _, other_venue, other_court = given_place.new_organization()

    listed = given_place.ledger.venue_resource_ids(admin_context(), given_place.venue.id)

    assert other_court.id not in listed
    assert given_place.ledger.venue_resource_ids(admin_context(), other_venue.id) == [other_court.id]


def test_a_venue_saved_before_the_list_existed_gets_it_built_once_from_the_log() -> None:
    ledger = place().ledger
    venue, courts = venue_saved_before_the_index(ledger, courts=3)

    first = ledger.venue_resource_ids(admin_context(), venue.id)
    again = ledger.venue_resource_ids(admin_context(), venue.id)

    assert first == again == [court.id for court in courts]
    assert stored_types(ledger, venue_resources_id(venue.id)) == [VenueResources.Started]


def test_a_court_created_in_a_venue_saved_before_the_list_joins_the_courts_the_log_records() -> None:
    ledger = place().ledger
    venue, courts = venue_saved_before_the_index(ledger, courts=2)

    added = ledger.create_court(admin_context(), venue.id, "New").value

    assert ledger.venue_resource_ids(admin_context(), venue.id) == [*[c.id for c in courts], added.id]


def test_listing_a_resource_twice_records_nothing() -> None:
    index = given(VenueResources.start(VENUE, [UUID(int=1), UUID(int=1)], meta()))

    assert index.add(UUID(int=1), meta()) is False
    no_events(index)
    assert index.resource_ids == [UUID(int=1)]


def test_the_log_is_read_in_batches_to_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(venue_resources, "LOG_BATCH", 2)
    ledger = place().ledger
    venue, courts = venue_saved_before_the_index(ledger, courts=5)
    venue_saved_before_the_index(ledger, courts=3)

    assert ledger.venue_resource_ids(admin_context(), venue.id) == [court.id for court in courts]
