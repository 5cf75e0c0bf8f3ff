"""Booking-template commands: resources by number or UUID, of the organization; the consistent list."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from domain.booking_template import BookingTemplate, BookingTemplateNotFoundError
from domain.organization import OrganizationNotFoundError
from domain.template_terms import InvalidTemplateResourcesError, MalformedBookingTemplateError
from tests.unit.events import stored_types
from tests.unit.template_support import SEED_SETTINGS, Club, admin


def test_a_template_names_its_resources_by_number_or_uuid_and_takes_their_venue() -> None:
    club = Club.open()
    first, second = club.courts

    created = club.ledger.create_booking_template(
        admin(), club.organization.id, {**SEED_SETTINGS, "resource_ids": [first.number, str(second.id)]}
    )

    assert created.created
    assert created.position is not None
    assert created.value.terms.resource_ids == (first.id, second.id)
    assert created.value.venue_id == club.venue.id


def test_a_template_in_an_unknown_organization_is_refused() -> None:
    club = Club.open()

    with pytest.raises(OrganizationNotFoundError):
        club.ledger.create_booking_template(admin(), uuid4(), {**SEED_SETTINGS, "resource_ids": [1]})


def test_resources_of_another_organization_or_none_at_all_are_refused_naming_them() -> None:
    club, other = Club.open(), Club.open()
    foreign = other.courts[0].id
    missing = uuid4()

    with pytest.raises(InvalidTemplateResourcesError) as raised:
        club.ledger.create_booking_template(
            admin(), club.organization.id, {**SEED_SETTINGS, "resource_ids": [str(foreign), missing, 999]}
        )

    assert raised.value.details["resources"] == [str(foreign), str(missing), "999"]


@pytest.mark.parametrize("refs", [[], "1", None])
def test_a_template_without_a_list_of_resources_is_refused(refs: object) -> None:
    club = Club.open()

    with pytest.raises(InvalidTemplateResourcesError):
        club.ledger.create_booking_template(
            admin(), club.organization.id, {**SEED_SETTINGS, "resource_ids": refs}
        )


def test_a_template_without_resources_named_at_all_is_refused_naming_the_field() -> None:
    club = Club.open()

    with pytest.raises(MalformedBookingTemplateError) as raised:
        club.ledger.create_booking_template(admin(), club.organization.id, SEED_SETTINGS)

    assert raised.value.details == {"field": "resource_ids"}


def test_resources_of_two_venues_are_refused() -> None:
    club = Club.open()
    other_venue = club.ledger.create_venue(admin(), club.organization.id, "Annex", None, None).value
    annex_court = club.ledger.create_court(admin(), other_venue.id, "Annex 1").value

    with pytest.raises(InvalidTemplateResourcesError):
        club.ledger.create_booking_template(
            admin(),
            club.organization.id,
            {**SEED_SETTINGS, "resource_ids": [club.courts[0].id, annex_court.id]},
        )


def test_the_list_holds_every_template_of_the_organization_at_once_in_creation_order() -> None:
    club = Club.open()
    second = club.ledger.create_booking_template(
        admin(),
        club.organization.id,
        {**SEED_SETTINGS, "name": "Second", "resource_ids": [club.courts[1].id]},
    ).value

    listed = club.ledger.list_booking_templates(club.organization.id)

    assert [template.id for template in listed] == [club.template.id, second.id]


def test_an_organization_without_templates_lists_none() -> None:
    club = Club.open()
    other = club.ledger.create_organization(admin(), "Other", "Europe/Berlin").value

    assert club.ledger.list_booking_templates(other.id) == []


def test_a_template_is_read_only_through_its_own_organization() -> None:
    club = Club.open()
    other = club.ledger.create_organization(admin(), "Other", "Europe/Berlin").value

    assert club.ledger.get_booking_template(club.organization.id, club.template.id).id == club.template.id
    with pytest.raises(BookingTemplateNotFoundError):
        club.ledger.get_booking_template(other.id, club.template.id)


def test_updating_a_template_records_the_change_in_its_history() -> None:
    club = Club.open()

    updated = club.ledger.update_booking_template(
        admin(), club.template.id, {"duration": 30, "resource_ids": [club.courts[1].number]}
    )

    assert updated.position is not None
    assert updated.value.terms.duration == 30
    assert updated.value.terms.resource_ids == (club.courts[1].id,)
    assert stored_types(club.ledger, club.template.id) == [BookingTemplate.Created, BookingTemplate.Changed]


def test_an_update_that_changes_nothing_writes_nothing() -> None:
    club = Club.open()

    updated = club.ledger.update_booking_template(admin(), club.template.id, {"duration": 60})

    assert updated.position is None
    assert stored_types(club.ledger, club.template.id) == [BookingTemplate.Created]


def test_changing_an_unknown_template_is_refused_as_not_found() -> None:
    club = Club.open()

    with pytest.raises(BookingTemplateNotFoundError):
        club.ledger.update_booking_template(admin(), uuid4(), {"duration": 30})


def test_a_change_to_resources_of_another_organization_is_refused_and_records_nothing() -> None:
    club = Club.open()
    other = club.ledger.create_organization(admin(), "Other", "Europe/Berlin").value
    venue = club.ledger.create_venue(admin(), other.id, "Elsewhere", None, None).value
    foreign = club.ledger.create_court(admin(), venue.id, "Theirs").value

    with pytest.raises(InvalidTemplateResourcesError) as raised:
        club.ledger.update_booking_template(admin(), club.template.id, {"resource_ids": [foreign.number]})

    assert raised.value.details["resources"] == [str(foreign.number)]
    assert stored_types(club.ledger, club.template.id) == [BookingTemplate.Created]


def test_each_change_is_an_event_and_the_list_reads_the_template_as_it_now_is() -> None:
    club = Club.open()

    club.ledger.update_booking_template(admin(), club.template.id, {"name": "Lesson"})
    club.ledger.update_booking_template(admin(), club.template.id, {"price_gross": "45.00"})

    [template] = club.ledger.list_booking_templates(club.organization.id)
    assert (template.terms.name, template.terms.price_gross) == ("Lesson", Decimal("45.00"))
    assert stored_types(club.ledger, club.template.id) == [
        BookingTemplate.Created,
        BookingTemplate.Changed,
        BookingTemplate.Changed,
    ]
