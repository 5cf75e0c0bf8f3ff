"""The query string of GET /api/v1/bookings: filters typed by their field, pages, profile fields, SQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from psycopg import sql

from api.query.errors import (
    InvalidDateFormatError,
    InvalidFilterValueError,
    InvalidPageError,
    RepeatedParameterError,
    UnknownFilterFieldError,
)
from api.query.filters import (
    DEFAULT_PROFILE_FIELDS,
    parse_filters,
    parse_limit,
    parse_offset,
    parse_profile_fields,
    parse_value,
    single_values,
)
from projections.analytics_queries import BookingQuery, FieldFilter, where_clause

ORG = uuid.uuid4()


def test_booleans_are_true_or_false_in_any_case() -> None:
    assert parse_value("attending", "TRUE") is True
    assert parse_value("attending", "false") is False
    with pytest.raises(InvalidFilterValueError, match="true or false"):
        parse_value("attending", "1")


def test_numbers_are_parsed_as_integers_or_exact_decimals() -> None:
    assert parse_value("duration", "120") == 120
    assert parse_value("price", "15.50") == Decimal("15.50")
    assert parse_value("ledgerPosition", "-3") == -3
    for malformed in ("1e3", "NaN", "12,5", ""):
        with pytest.raises(InvalidFilterValueError, match="number"):
            parse_value("duration", malformed)


def test_a_date_is_a_calendar_date_written_year_month_day() -> None:
    assert parse_value("date", "2025-01-20") == date(2025, 1, 20)
    for malformed in ("20-01-2025", "2025-1-20", "2025-02-30", "2025-01-20T00:00:00Z"):
        with pytest.raises(InvalidDateFormatError, match="YYYY-MM-DD"):
            parse_value("date", malformed)


def test_an_instant_needs_an_offset_and_is_read_in_utc() -> None:
    assert parse_value("start", "2025-01-20T15:00:00.000+01:00") == datetime(2025, 1, 20, 14, tzinfo=UTC)
    assert parse_value("created", "2025-01-20T14:00:00Z") == datetime(2025, 1, 20, 14, tzinfo=UTC)
    for malformed in ("2025-01-20T14:00:00", "yesterday", "0001-01-01T00:00:00+01:00"):
        with pytest.raises(InvalidFilterValueError, match="offset"):
            parse_value("start", malformed)


def test_an_id_field_takes_a_uuid_and_keeps_any_other_text_as_it_is() -> None:
    event_id = uuid.uuid4()

    assert parse_value("eventId", str(event_id).upper()) == event_id
    assert parse_value("eventId", "event789") == "event789"


def test_strings_are_used_as_they_are() -> None:
    assert parse_value("userStatus", " Confirmed ") == " Confirmed "


def test_an_unknown_field_is_refused_by_name_and_nul_characters_are_refused() -> None:
    with pytest.raises(UnknownFilterFieldError, match="'evntId'"):
        parse_value("evntId", "x")
    with pytest.raises(InvalidFilterValueError, match="NUL"):
        parse_value("name", "a\x00b")


def test_filters_are_every_parameter_but_the_reserved_ones() -> None:
    parameters = single_values(
        [
            ("organisationId", "o"),
            ("limit", "5"),
            ("consistentWith", "1"),
            ("eventId", "e"),
            ("attending", "true"),
        ]
    )

    assert parse_filters(parameters) == (FieldFilter("eventId", "e"), FieldFilter("attending", True))


def test_a_parameter_given_twice_is_refused() -> None:
    with pytest.raises(RepeatedParameterError, match="eventId"):
        single_values([("eventId", "a"), ("eventId", "b")])


def test_the_limit_defaults_to_100_and_is_at_most_250() -> None:
    assert parse_limit(None) == 100
    assert parse_limit("50") == 50
    assert parse_limit("0") == 0
    assert parse_limit("1000") == 250
    for malformed in ("-1", "ten", "2.5", ""):
        with pytest.raises(InvalidPageError, match="limit"):
            parse_limit(malformed)


def test_the_offset_defaults_to_0_and_is_a_bounded_integer() -> None:
    assert parse_offset(None) == 0
    assert parse_offset("250") == 250
    for malformed in ("-1", "x", str(2**40)):
        with pytest.raises(InvalidPageError, match="offset"):
            parse_offset(malformed)


def test_profile_fields_default_to_the_seeds_and_keep_the_order_asked_once_each() -> None:
    assert parse_profile_fields(None) == DEFAULT_PROFILE_FIELDS == ("Full Name", "Postcode", "Email", "Phone")
    assert parse_profile_fields("Email, Full Name,,Email,profileId") == ("Email", "Full Name")
    assert parse_profile_fields("") == ()


def rendered(query: BookingQuery) -> tuple[str, list[object]]:
    clause, parameters = where_clause(query)
    return sql.Composed([clause]).as_string(), parameters


def test_indexed_fields_filter_their_columns_and_the_others_the_document_in_order() -> None:
    event_id = uuid.uuid4()
    filters = (
        FieldFilter("userStatus", "confirmed"),
        FieldFilter("eventId", event_id),
        FieldFilter("attending", True),
        FieldFilter("date", date(2025, 1, 20)),
    )

    text, parameters = rendered(BookingQuery(ORG, filters))

    assert text == (
        'organisation_id = %s AND "event_id" = %s AND "local_date" = %s AND '
        "document @> jsonb_build_object(%s::text, %s::text, %s::text, %s::boolean)"
    )
    assert parameters == [ORG, event_id, date(2025, 1, 20), "userStatus", "confirmed", "attending", True]


def test_an_id_that_is_no_uuid_and_instants_are_matched_in_the_document_as_it_writes_them() -> None:
    filters = (
        FieldFilter("eventId", "event789"),
        FieldFilter("created", datetime(2025, 1, 15, 10, 30, tzinfo=UTC)),
        FieldFilter("duration", 120),
    )

    text, parameters = rendered(BookingQuery(ORG, filters))

    assert text.endswith("jsonb_build_object(%s::text, %s::text, %s::text, %s::text, %s::text, %s::numeric)")
    assert parameters[1:] == ["eventId", "event789", "created", "2025-01-15T10:30:00.000Z", "duration", 120]


def test_a_query_without_filters_is_the_organisations_alone() -> None:
    assert rendered(BookingQuery(ORG)) == ("organisation_id = %s", [ORG])
