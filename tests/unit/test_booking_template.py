"""Booking templates: the rules their settings follow, and the events that record them and their changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.booking_template import BookingTemplate, BookingTemplateList
from domain.template_terms import (
    InvalidBookingWindowError,
    InvalidTemplatePriceError,
    InvalidTemplateResourcesError,
    InvalidTemplateTextError,
    InvalidTemplateTimesError,
    MalformedBookingTemplateError,
    TemplateTerms,
)
from tests.unit.events import given, meta, no_events, only_event
from tests.unit.template_support import COURT, OTHER_COURT, SEED_TERMS, terms

ORGANIZATION = UUID(int=1)
VENUE = UUID(int=2)
OTHER_VENUE = UUID(int=3)
SETTINGS: dict[str, Any] = {**SEED_TERMS.as_dict(), "resource_ids": [COURT]}
REQUIRED = ("name", "duration", "price_gross", "tax_rate", "currency", "booking_day_earliest")


def template() -> BookingTemplate:
    """Given: a created template of the seed's settings on one court, its events saved."""
    return given(BookingTemplate.create(ORGANIZATION, VENUE, SETTINGS, meta()))


def test_creating_a_template_records_its_settings_with_amounts_as_two_decimal_strings() -> None:
    created = BookingTemplate.create(ORGANIZATION, VENUE, {**SETTINGS, "tax_rate": 19}, meta())

    event = only_event(created, BookingTemplate.Created)
    assert (event.organization_id, event.venue_id) == (ORGANIZATION, VENUE)
    assert event.terms["price_gross"] == "99.99"
    assert event.terms["tax_rate"] == "19.00"
    assert event.terms["resource_ids"] == [str(COURT)]
    assert created.terms.tax_rate == Decimal(19)


def test_settings_left_out_of_a_new_template_take_their_defaults() -> None:
    required = {name: SETTINGS[name] for name in (*REQUIRED, "booking_day_latest", "booking_lead_time")}

    created = BookingTemplate.create(ORGANIZATION, VENUE, {**required, "resource_ids": [COURT]}, meta())

    assert created.terms.lead_time == created.terms.followup_time == 0
    assert created.terms.show_price is True
    assert (created.terms.custom_id, created.terms.description) == ("", "")
    assert not created.terms.customer_email_required


@pytest.mark.parametrize("missing", REQUIRED)
def test_a_template_without_a_required_setting_is_refused_naming_it(missing: str) -> None:
    settings = {name: value for name, value in SETTINGS.items() if name != missing}

    with pytest.raises(MalformedBookingTemplateError) as raised:
        BookingTemplate.create(ORGANIZATION, VENUE, settings, meta())

    assert raised.value.details == {"field": missing}


def test_an_unknown_setting_is_refused_naming_it() -> None:
    with pytest.raises(MalformedBookingTemplateError) as raised:
        BookingTemplate.create(ORGANIZATION, VENUE, {**SETTINGS, "colour": "red"}, meta())

    assert raised.value.details == {"fields": ["colour"]}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("duration", "60"),
        ("duration", True),
        ("show_price", 1),
        ("price_gross", 9.5),
        ("resource_ids", ["x"]),
    ],
)
def test_a_setting_of_the_wrong_type_is_refused(name: str, value: object) -> None:
    with pytest.raises(MalformedBookingTemplateError):
        BookingTemplate.create(ORGANIZATION, VENUE, {**SETTINGS, name: value}, meta())


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "  "}, InvalidTemplateTextError),
        ({"name": "x" * 201}, InvalidTemplateTextError),
        ({"custom_id": "a\x00b"}, InvalidTemplateTextError),
        ({"description": "x" * 5001}, InvalidTemplateTextError),
        ({"duration": 0}, InvalidTemplateTimesError),
        ({"duration": 1441}, InvalidTemplateTimesError),
        ({"lead_time": -1}, InvalidTemplateTimesError),
        ({"followup_time": 1441}, InvalidTemplateTimesError),
        ({"price_gross": Decimal("-0.01")}, InvalidTemplatePriceError),
        ({"price_gross": Decimal("9.999")}, InvalidTemplatePriceError),
        ({"price_gross": Decimal("NaN")}, InvalidTemplatePriceError),
        ({"price_gross": Decimal("1000000.01")}, InvalidTemplatePriceError),
        ({"tax_rate": Decimal("100.01")}, InvalidTemplatePriceError),
        ({"currency": "eur"}, InvalidTemplatePriceError),
        ({"booking_day_earliest": 3, "booking_day_latest": 2}, InvalidBookingWindowError),
        ({"booking_day_latest": 366}, InvalidBookingWindowError),
        ({"booking_day_earliest": -1}, InvalidBookingWindowError),
        ({"booking_lead_time": -5}, InvalidBookingWindowError),
        ({"resource_ids": ()}, InvalidTemplateResourcesError),
        ({"resource_ids": (COURT, COURT)}, InvalidTemplateResourcesError),
        ({"resource_ids": tuple(UUID(int=n) for n in range(51))}, InvalidTemplateResourcesError),
    ],
)
def test_settings_out_of_their_ranges_are_refused(changes: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        terms(**changes)


def test_a_description_may_span_lines() -> None:
    assert terms(description="Zeile1\nZeile2").description == "Zeile1\nZeile2"


def test_terms_survive_their_json_safe_form() -> None:
    assert TemplateTerms.from_dict(SEED_TERMS.as_dict()) == SEED_TERMS


def test_changing_a_template_records_only_the_settings_that_change() -> None:
    saved = template()

    assert saved.change(VENUE, {"duration": 90, "name": SETTINGS["name"], "price_gross": "99.990"}, meta())

    event = only_event(saved, BookingTemplate.Changed)
    assert event.changes == {"duration": 90}
    assert saved.terms.duration == 90


def test_a_change_to_what_the_template_already_says_records_nothing() -> None:
    saved = template()

    assert not saved.change(VENUE, {"tax_rate": Decimal("19.0"), "currency": "EUR"}, meta())

    no_events(saved)


def test_moving_a_template_to_resources_of_another_venue_records_the_venue() -> None:
    saved = template()

    assert saved.change(OTHER_VENUE, {"resource_ids": (OTHER_COURT,)}, meta())

    event = only_event(saved, BookingTemplate.Changed)
    assert (event.venue_id, event.changes) == (OTHER_VENUE, {"resource_ids": [str(OTHER_COURT)]})
    assert saved.venue_id == OTHER_VENUE


def test_an_invalid_change_is_refused_and_records_nothing() -> None:
    saved = template()

    with pytest.raises(InvalidTemplateTimesError):
        saved.change(VENUE, {"duration": 0}, meta())
    with pytest.raises(MalformedBookingTemplateError):
        saved.change(VENUE, {"colour": "red"}, meta())

    no_events(saved)
    assert saved.terms.duration == 60


def test_a_change_is_judged_with_the_settings_it_keeps() -> None:
    saved = template()

    with pytest.raises(InvalidBookingWindowError):
        saved.change(VENUE, {"booking_day_earliest": 20}, meta())

    no_events(saved)


def test_a_later_change_records_only_what_it_changes_again() -> None:
    saved = template()
    saved.change(VENUE, {"duration": 90}, meta())
    given(saved)

    assert saved.change(VENUE, {"duration": 90, "currency": "CHF"}, meta())

    assert only_event(saved, BookingTemplate.Changed).changes == {"currency": "CHF"}
    assert (saved.terms.duration, saved.terms.currency) == (90, "CHF")


def test_the_list_of_templates_adds_each_template_once() -> None:
    listing = given(BookingTemplateList(organization_id=ORGANIZATION, meta=meta()))

    listing.add(UUID(int=20), meta())
    listing.add(UUID(int=20), meta())

    assert only_event(listing, BookingTemplateList.Added).template_id == UUID(int=20)
    assert listing.template_ids == [UUID(int=20)]
