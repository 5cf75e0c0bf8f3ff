"""Integer numbers of venues and resources: assigned at creation or once later, found by number or UUID."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from domain.application import Ledger
from domain.context import ADMIN, RequestContext
from domain.errors import ConcurrencyExhaustedError
from domain.ids import number_index_id
from domain.numbers import NumberAlreadyAssignedError, NumberIndex, NumberingUnavailableError, parse_ref
from domain.organization import Organization, Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from tests.unit.allocators import IN_MEMORY, in_memory_ledger
from tests.unit.events import given, meta, no_events, only_event, stored_types


def context() -> RequestContext:
    return RequestContext(ADMIN, datetime(2030, 1, 1, tzinfo=UTC), "r")


def ledger_with_organization() -> tuple[Ledger, Organization]:
    ledger = in_memory_ledger()
    return ledger, ledger.create_organization(context(), "Club", "Europe/Berlin").value


def unnumbered_venue(ledger: Ledger, organization: Organization) -> Venue:
    """Given: a venue saved as venues were before they had numbers."""
    venue = Venue.register(organization, "Old Centre", None, None, meta())
    ledger.save(venue)
    return venue


def unnumbered_court(ledger: Ledger, venue: Venue) -> Resource:
    """Given: a court saved as courts were before they had numbers."""
    court = Resource.register_court(venue, "Old Court", meta())
    ledger.save(court)
    return court


def test_creating_venues_records_a_new_number_in_each_registration() -> None:
    ledger, organization = ledger_with_organization()

    first = ledger.create_venue(context(), organization.id, "North", None, None).value
    second = ledger.create_venue(context(), organization.id, "South", None, None).value

    [registered] = ledger.events.get(first.id)
    assert isinstance(registered, Venue.Registered)
    assert (registered.number, first.number, second.number) == (1, 1, 2)


def test_venues_and_courts_are_numbered_each_in_their_own_series() -> None:
    ledger, organization = ledger_with_organization()
    venue = ledger.create_venue(context(), organization.id, "North", None, None).value

    courts = [ledger.create_court(context(), venue.id, f"Court {i}").value for i in range(3)]

    assert [court.number for court in courts] == [1, 2, 3]
    assert venue.number == 1


@pytest.mark.parametrize("ref", [2, "2", " 2 "], ids=["int", "digits", "padded-digits"])
def test_a_venue_is_found_by_its_number(ref: int | str) -> None:
    ledger, organization = ledger_with_organization()
    ledger.create_venue(context(), organization.id, "North", None, None)
    south = ledger.create_venue(context(), organization.id, "South", None, None).value

    assert ledger.resolve_venue(ref).id == south.id


def test_a_venue_is_found_by_its_uuid_as_a_string_or_a_uuid() -> None:
    ledger, organization = ledger_with_organization()
    venue = ledger.create_venue(context(), organization.id, "North", None, None).value

    assert ledger.resolve_venue(str(venue.id)).number == venue.number
    assert ledger.resolve_venue(venue.id).number == venue.number


def test_a_resource_is_found_by_its_number_and_by_its_uuid() -> None:
    ledger, organization = ledger_with_organization()
    venue = ledger.create_venue(context(), organization.id, "North", None, None).value
    court = ledger.create_court(context(), venue.id, "Court 1").value

    assert ledger.resolve_resource("1").id == court.id
    assert ledger.resolve_resource(str(court.id)).number == 1


@pytest.mark.parametrize("ref", ["0", "-1", "abc", "99", "", "1.5", "1e3", 0, True, str(UUID(int=7))])
def test_a_ref_naming_no_venue_is_venue_not_found(ref: str | int) -> None:
    ledger, organization = ledger_with_organization()
    ledger.create_venue(context(), organization.id, "North", None, None)

    with pytest.raises(VenueNotFoundError):
        ledger.resolve_venue(ref)


def test_a_number_held_only_by_a_resource_names_no_venue() -> None:
    ledger, organization = ledger_with_organization()
    venue = ledger.create_venue(context(), organization.id, "North", None, None).value
    for index in range(3):
        ledger.create_court(context(), venue.id, f"Court {index}")

    with pytest.raises(VenueNotFoundError):
        ledger.resolve_venue(3)
    with pytest.raises(ResourceNotFoundError):
        ledger.resolve_resource(str(venue.id))


def test_refs_are_read_as_numbers_up_to_18_digits_and_otherwise_as_uuids() -> None:
    as_hex = UUID(int=12345).hex

    assert parse_ref(" 42 ") == 42
    assert parse_ref(as_hex) == UUID(as_hex)
    assert parse_ref(str(UUID(int=5)).upper()) == UUID(int=5)
    assert parse_ref("9" * 19) is None
    assert parse_ref(False) is None


def test_a_venue_registered_before_numbers_gets_one_number_the_first_time_it_is_needed() -> None:
    ledger, organization = ledger_with_organization()
    ledger.create_venue(context(), organization.id, "New", None, None)
    old = unnumbered_venue(ledger, organization)

    first = ledger.numbered_venue(context(), old.id)
    again = ledger.numbered_venue(context(), old.id)

    assert first.value.number == again.value.number == 2
    assert first.position is not None
    assert again.position is None
    assert stored_types(ledger, old.id) == [Venue.Registered, Venue.NumberAssigned]
    assert ledger.resolve_venue(2).id == old.id


def test_a_court_registered_before_numbers_gets_one_number_the_first_time_it_is_needed() -> None:
    ledger, organization = ledger_with_organization()
    venue = ledger.create_venue(context(), organization.id, "New", None, None).value
    old = unnumbered_court(ledger, venue)

    numbered = ledger.numbered_resource(context(), old.id).value

    assert numbered.number == 1
    assert ledger.resolve_resource(1).id == old.id
    assert ledger.get_court(old.id).number == 1


def test_numbering_an_unknown_venue_or_resource_is_not_found() -> None:
    ledger, _ = ledger_with_organization()

    with pytest.raises(VenueNotFoundError):
        ledger.numbered_venue(context(), UUID(int=9))
    with pytest.raises(ResourceNotFoundError):
        ledger.numbered_resource(context(), UUID(int=9))


def test_assigning_a_number_records_it() -> None:
    organization = given(Organization.register("Club", "UTC", meta()))
    venue = given(Venue.register(organization, "Centre", None, None, meta()))

    venue.assign_number(7, meta())

    assert only_event(venue, Venue.NumberAssigned).number == 7
    assert venue.number == 7


def test_a_venue_or_resource_keeps_the_number_it_was_given() -> None:
    organization = given(Organization.register("Club", "UTC", meta()))
    venue = given(Venue.register(organization, "Centre", None, None, meta(), number=3))
    court = given(Resource.register_court(venue, "Court", meta(), number=4))

    with pytest.raises(NumberAlreadyAssignedError):
        venue.assign_number(8, meta())
    with pytest.raises(NumberAlreadyAssignedError):
        court.assign_number(8, meta())

    no_events(venue)
    no_events(court)
    assert (venue.number, court.number) == (3, 4)


@pytest.mark.parametrize("registered", [Venue.Registered, Resource.Registered], ids=["venue", "resource"])
def test_a_registration_of_version_1_is_upcast_without_a_number(registered: Any) -> None:
    state: dict[str, Any] = {"name": "Old"}

    registered.upcast_v1_v2(state)

    assert state == {"name": "Old", "number": None}
    assert registered.class_version == 2


def test_two_entities_claiming_one_number_cannot_both_be_saved() -> None:
    ledger = in_memory_ledger()
    ledger.save(NumberIndex.claim("venue", 5, UUID(int=1), meta()))

    with pytest.raises(IntegrityError):
        ledger.save(NumberIndex.claim("venue", 5, UUID(int=2), meta()))
    ledger.save(NumberIndex.claim("resource", 5, UUID(int=2), meta()))

    assert ledger.repository.get(number_index_id("venue", 5)).entity_id == UUID(int=1)
    assert ledger.repository.get(number_index_id("resource", 5)).entity_id == UUID(int=2)


def test_claiming_a_number_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="court"):
        NumberIndex.claim("court", 1, UUID(int=1), meta())


def test_a_ledger_built_without_an_allocator_cannot_create_a_venue() -> None:
    ledger = Ledger(env=IN_MEMORY)
    organization = ledger.create_organization(context(), "Club", "UTC").value

    with pytest.raises(NumberingUnavailableError):
        ledger.create_venue(context(), organization.id, "Centre", None, None)


class RepeatingNumbers:
    """An allocator that hands out the same number every time, as a sequence reset by mistake would."""

    def next_number(self, kind: str) -> int:
        return 1


def test_a_number_handed_out_twice_is_never_saved_for_a_second_venue() -> None:
    ledger = Ledger(env=IN_MEMORY, numbers=lambda _: RepeatingNumbers())
    ledger.command_attempts = 2
    organization = ledger.create_organization(context(), "Club", "UTC").value
    first = ledger.create_venue(context(), organization.id, "North", None, None).value

    with pytest.raises(ConcurrencyExhaustedError):
        ledger.create_venue(context(), organization.id, "South", None, None)

    assert ledger.resolve_venue(1).id == first.id
