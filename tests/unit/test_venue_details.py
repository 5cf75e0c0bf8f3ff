"""A venue's descriptive fields: one event with only the given changes, each value checked."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.context import ADMIN, RequestContext
from domain.organization import InvalidTimezoneError, Organization, Venue, VenueNotFoundError
from domain.venue_details import (
    VENUE_DETAIL_FIELDS,
    InvalidCoordinateError,
    InvalidSlugError,
    InvalidVenueDetailError,
    UnknownVenueFieldError,
)
from tests.unit.allocators import in_memory_ledger
from tests.unit.events import given, meta, no_events, only_event, stored_types


def venue() -> Venue:
    """Given: a registered venue in Europe/Berlin, its events saved."""
    organization = given(Organization.register("Club", "Europe/Berlin", meta()))
    return given(Venue.register(organization, "Centre", "Munich", None, meta(), number=1))


def context() -> RequestContext:
    return RequestContext(ADMIN, datetime(2030, 1, 1, tzinfo=UTC), "r")


def test_updating_details_records_only_the_given_fields_in_one_event() -> None:
    centre = venue()

    centre.update_details(
        {"slug": "sports-center-munich", "latitude": "48.137154", "is_published": True}, meta()
    )

    updated = only_event(centre, Venue.DetailsUpdated)
    assert updated.changes == {"slug": "sports-center-munich", "latitude": "48.137154", "is_published": True}
    assert (centre.slug, centre.latitude, centre.is_published) == ("sports-center-munich", "48.137154", True)
    assert (centre.city, centre.description, centre.longitude) == ("Munich", None, None)


def test_every_field_of_the_seeds_venue_can_be_set_at_once() -> None:
    centre = venue()
    changes: dict[str, object] = {
        "slug": "sports-center-munich",
        "description": "Premier sports facility...",
        "short_description": "Modern sports center",
        "venue_type": "sports_center",
        "street_address": "Example Street 123",
        "city": "Munich",
        "postal_code": "80331",
        "country": "Germany",
        "latitude": "48.137154",
        "longitude": "11.576124",
        "timezone": "Europe/Vienna",
        "is_published": True,
    }

    centre.update_details(changes, meta())

    assert set(only_event(centre, Venue.DetailsUpdated).changes) == set(changes) - {"city"}
    assert {field: getattr(centre, field) for field in VENUE_DETAIL_FIELDS} == changes


def test_values_equal_to_the_current_ones_record_nothing() -> None:
    centre = venue()

    changed = centre.update_details(
        {"city": " Munich ", "is_published": False, "timezone": "Europe/Berlin"}, meta()
    )

    assert changed is False
    no_events(centre)


def test_none_or_blank_clears_a_text_field() -> None:
    centre = venue()
    centre.update_details({"description": "Big", "country": "Germany"}, meta())
    given(centre)

    centre.update_details({"description": None, "country": "  "}, meta())

    assert only_event(centre, Venue.DetailsUpdated).changes == {"description": None, "country": None}
    assert (centre.description, centre.country) == (None, None)


def test_a_coordinate_is_kept_as_a_plain_decimal_string() -> None:
    centre = venue()

    centre.update_details({"latitude": "+48.10", "longitude": " -0.5 "}, meta())

    assert (centre.latitude, centre.longitude) == ("48.10", "-0.5")


@pytest.mark.parametrize(
    ("field", "value"), [("latitude", "-90"), ("latitude", "90.0"), ("longitude", "180")]
)
def test_coordinates_at_the_ends_of_their_range_are_accepted(field: str, value: str) -> None:
    centre = venue()

    centre.update_details({field: value}, meta())

    assert getattr(centre, field) == value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("latitude", "90.000001"),
        ("latitude", "-91"),
        ("longitude", "180.5"),
        ("longitude", "1e2"),
        ("latitude", "NaN"),
        ("latitude", "abc"),
        ("latitude", ""),
        ("latitude", 48.1),
        ("longitude", "1234"),
    ],
)
def test_a_coordinate_out_of_range_or_not_a_decimal_string_is_refused(field: str, value: object) -> None:
    centre = venue()

    with pytest.raises(InvalidCoordinateError) as raised:
        centre.update_details({field: value}, meta())

    assert raised.value.details == {"field": field}
    no_events(centre)


@pytest.mark.parametrize("slug", ["Centre", "-centre", "centre-", "a--b", "a_b", "", "ä", "x" * 101, 5])
def test_a_slug_not_of_lower_case_words_joined_by_hyphens_is_refused(slug: object) -> None:
    centre = venue()

    with pytest.raises(InvalidSlugError):
        centre.update_details({"slug": slug}, meta())

    no_events(centre)


def test_an_unknown_timezone_is_refused() -> None:
    with pytest.raises(InvalidTimezoneError):
        venue().update_details({"timezone": "Mars/Olympus_Mons"}, meta())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", None),
        ("is_published", None),
        ("is_published", "true"),
        ("city", 3),
        ("description", "x" * 5001),
    ],
)
def test_a_value_of_the_wrong_type_or_length_is_refused(field: str, value: object) -> None:
    centre = venue()

    with pytest.raises(InvalidVenueDetailError) as raised:
        centre.update_details({field: value}, meta())

    assert raised.value.details == {"field": field}
    no_events(centre)


def test_an_unknown_field_is_refused_and_named() -> None:
    centre = venue()

    with pytest.raises(UnknownVenueFieldError) as raised:
        centre.update_details({"slug": "ok", "name": "Renamed", "isPublished": True}, meta())

    assert raised.value.details == {"fields": ["isPublished", "name"]}
    no_events(centre)


def test_the_command_answers_the_venue_as_it_now_is_and_an_unchanged_one_writes_nothing() -> None:
    ledger = in_memory_ledger()
    organization = ledger.create_organization(context(), "Club", "Europe/Berlin").value
    created = ledger.create_venue(context(), organization.id, "Centre", None, None).value

    saved = ledger.update_venue_details(context(), created.id, slug="centre", postal_code="80331")
    again = ledger.update_venue_details(context(), created.id, slug="centre")

    assert (saved.value.slug, saved.value.postal_code, saved.value.number) == ("centre", "80331", 1)
    assert saved.position is not None
    assert again.position is None
    assert ledger.resolve_venue(1).slug == "centre"
    assert ledger.resolve_venue(1).version == 2


def test_the_command_numbers_a_venue_registered_before_numbers() -> None:
    ledger = in_memory_ledger()
    organization = ledger.create_organization(context(), "Club", "Europe/Berlin").value
    old = Venue.register(organization, "Old", None, None, meta())
    ledger.save(old)

    saved = ledger.update_venue_details(context(), old.id, is_published=True).value

    assert (saved.is_published, saved.number) == (True, 1)
    assert stored_types(ledger, old.id) == [
        Venue.Registered,
        Venue.DetailsUpdated,
        Venue.NumberAssigned,
    ]


def test_updating_an_unknown_venue_is_not_found() -> None:
    with pytest.raises(VenueNotFoundError):
        in_memory_ledger().update_venue_details(context(), UUID(int=4), slug="x")
