"""GET /api/v1/bookings filters by any field of the document, pages, counts, and refuses what it cannot do."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from ledger.runtime import Runtime
from tests.api.orders_support import book
from tests.api.query_support import BOOKINGS, Shop, analyst_key, error_of, make_shop
from tests.support import expect, random_day


@pytest.fixture
def shop(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> Shop:
    return make_shop(http, admin_headers, runtime)


def external_ids(rows: list[dict[str, object]]) -> list[object]:
    return [row["externalId"] for row in rows]


def test_string_uuid_and_date_filters_select_the_matching_bookings(shop: Shop) -> None:
    day = random_day()
    first = shop.court_booking(day + timedelta(hours=8))
    member = shop.court_booking(
        day + timedelta(hours=10), participants=[{"userId": shop.partner.tenant.user_id}]
    )
    shop.court_booking(day + timedelta(days=1, hours=8))

    assert external_ids(shop.bookings(date=day.date().isoformat())) == [first, member]
    assert external_ids(shop.bookings(memberId=shop.partner.tenant.user_id)) == [member]
    assert external_ids(shop.bookings(externalId=first)) == [first]
    assert external_ids(shop.bookings(userEmail="alice@example.com", date=day.date().isoformat())) == [first]
    assert shop.bookings(memberId="member456") == []


def test_boolean_filters_take_true_and_false_in_any_case(shop: Shop) -> None:
    event_id = shop.coach_event()
    [booking_id] = book(shop.partner, [event_id])

    assert [row["bookingId"] for row in shop.bookings(eventId=event_id, attending="FALSE")] == [booking_id]
    assert shop.bookings(eventId=event_id, attending="True") == []


def test_number_and_instant_filters_are_parsed(shop: Shop) -> None:
    start = random_day() + timedelta(hours=7)
    long_one = shop.court_booking(start, hours=2)
    shop.court_booking(start + timedelta(hours=3), hours=1)
    day = start.date().isoformat()

    assert external_ids(shop.bookings(date=day, duration="120")) == [long_one]
    assert external_ids(shop.bookings(date=day, duration="120.0")) == [long_one]
    assert external_ids(shop.bookings(start=start.isoformat())) == [long_one]
    assert external_ids(
        shop.bookings(end=(start + timedelta(hours=2)).isoformat().replace("+00:00", "Z"))
    ) == [long_one]


def test_several_filters_at_once_must_all_hold(shop: Shop) -> None:
    event_id = shop.coach_event()
    book(shop.partner, [event_id])

    assert len(shop.bookings(eventId=event_id, userStatus="pending", bookingType="coach-event")) == 1
    assert shop.bookings(eventId=event_id, userStatus="pending", bookingType="court") == []


def test_pages_are_ordered_by_start_and_total_counts_every_match(shop: Shop) -> None:
    day = random_day()
    made = [shop.court_booking(day + timedelta(hours=hour)) for hour in (9, 7, 8, 10, 6)]
    in_order = [made[4], made[1], made[2], made[0], made[3]]
    date = day.date().isoformat()

    first = expect(shop.query(date=date, limit="2"), 200)
    second = expect(shop.query(date=date, limit="2", offset="2"), 200)
    everything = expect(shop.query(), 200)

    assert external_ids(first["bookings"]) == in_order[:2]
    assert external_ids(second["bookings"]) == in_order[2:4]
    assert (first["offset"], first["limit"], first["total"]) == (0, 2, 5)
    assert (second["offset"], second["limit"], second["total"]) == (2, 2, 5)
    assert (everything["offset"], everything["limit"], everything["total"]) == (0, 100, 5)
    assert external_ids(everything["bookings"]) == in_order


def test_a_limit_above_the_maximum_is_served_as_the_maximum(shop: Shop) -> None:
    assert expect(shop.query(limit="1000"), 200)["limit"] == 250
    assert expect(shop.query(limit="0"), 200)["bookings"] == []


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"evntId": "x"}, "evntId"),
        ({"date": "20-01-2025"}, "YYYY-MM-DD"),
        ({"date": "2025-02-30"}, "YYYY-MM-DD"),
        ({"attending": "yes"}, "true or false"),
        ({"duration": "long"}, "number"),
        ({"start": "2025-01-20T14:00:00"}, "offset"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "99999999999999999999"}, "offset"),
        ({"name": "a\x00b"}, "NUL"),
    ],
)
def test_a_malformed_filter_or_page_is_refused_naming_what_is_wrong(
    shop: Shop, params: dict[str, str], named: str
) -> None:
    query = {"organisationId": shop.organisation_id, **params}

    assert named in error_of(shop.http.get(BOOKINGS, params=query, headers=shop.analyst), 400)


def test_a_parameter_given_twice_is_refused(shop: Shop) -> None:
    url = f"{BOOKINGS}?organisationId={shop.organisation_id}&eventId=a&eventId=b"

    assert "eventId" in error_of(shop.http.get(url, headers=shop.analyst), 400)


def test_the_organisation_is_required_and_must_be_an_id(shop: Shop) -> None:
    missing = shop.http.get(BOOKINGS, headers=shop.analyst)
    malformed = shop.http.get(BOOKINGS, params={"organisationId": "org123"}, headers=shop.analyst)

    assert "organisationId" in error_of(missing, 400)
    assert "organisationId" in error_of(malformed, 400)


def test_without_a_valid_key_or_the_scope_the_answer_is_401(
    shop: Shop, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    without_scope = analyst_key(http, admin_headers, [shop.organisation_id], scopes=["bookings:read"])

    assert error_of(shop.query(headers={}), 401)
    assert error_of(shop.query(headers={"x-api-key": "lk_nothing"}), 401)
    assert "analytics:read" in error_of(shop.query(headers=without_scope), 401)


def test_an_organisation_not_granted_to_the_key_gets_401_and_no_data(
    shop: Shop, http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    shop.court_booking(random_day())
    other = make_shop(http, admin_headers, runtime)

    response = shop.query(headers=other.analyst)

    assert error_of(response, 401)
    assert "bookings" not in response.text


def test_the_bearer_scheme_carries_the_key_too(shop: Shop) -> None:
    bearer = {"Authorization": f"Bearer {shop.analyst['x-api-key']}"}

    assert expect(shop.query(headers=bearer), 200)["total"] == 0


def test_consistent_with_waits_for_the_view_and_a_position_past_the_head_is_refused(shop: Shop) -> None:
    response = shop.partner.tenant.put("cw-1", {**_body(shop)})
    position = response.headers["X-Ledger-Position"]

    waited = shop.http.get(
        BOOKINGS,
        params={"organisationId": shop.organisation_id, "externalId": "cw-1"},
        headers={**shop.analyst, "X-Ledger-Consistent-With": position},
    )
    beyond = shop.http.get(
        BOOKINGS,
        params={"organisationId": shop.organisation_id, "consistentWith": "999999999999"},
        headers=shop.analyst,
    )

    assert expect(waited, 200)["total"] == 1
    assert waited.headers["X-Ledger-Consistency"] == "reached"
    assert "beyond the head" in error_of(beyond, 400)


def test_the_list_and_the_leko_routes_below_it_answer_errors_in_their_own_formats(shop: Shop) -> None:
    listed = shop.http.get(BOOKINGS, params={"organisationId": shop.organisation_id})
    one = shop.http.get(f"{BOOKINGS}/{shop.partner.athlete_id}")

    assert error_of(listed, 401)
    assert [entry["code"] for entry in expect(one, 401)["errors"]] == ["unauthorized"]


def test_a_refusal_before_routing_takes_the_format_of_the_longest_matching_path(shop: Shop) -> None:
    listed = shop.http.get(BOOKINGS, params={"organisationId": shop.organisation_id, "token": "t"})
    below = shop.http.get(f"{BOOKINGS}/{shop.partner.athlete_id}", params={"token": "t"})

    assert "header" in error_of(listed, 400)
    assert [entry["code"] for entry in expect(below, 400)["errors"]] == ["validation"]


def test_the_query_surfaces_models_keep_their_own_names_in_the_openapi_document(http: httpx.Client) -> None:
    components = expect(http.get("/openapi.json"), 200)["components"]["schemas"]

    assert {"BookingDocumentOut", "BookingsPageOut", "QueryError", "SchemaResponse"} <= set(components)
    assert not [name for name in components if "__" in name]


def _body(shop: Shop) -> dict[str, object]:
    start = random_day() + timedelta(hours=11)
    return {
        "courtId": shop.partner.tenant.court_id,
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(hours=1)).isoformat(),
        "externalUpdatedAt": "2030-01-01T00:00:00Z",
        "participants": [{"email": "cw@example.com"}],
    }
