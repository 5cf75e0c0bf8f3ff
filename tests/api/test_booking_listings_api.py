"""Booking listings by user and by event: time windows, client isolation and the service cardinality."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.api.orders_support import (
    BOOKING_SCOPES,
    Rows,
    acting,
    book,
    booking_ids,
    bookings_of,
    cancel_booking,
    error_code,
    new_user,
    orders_of,
    poll,
    read_booking,
    schedule_coach_event,
)
from tests.support import Tenant, expect, instant, make_tenant, random_day


def _schedule(
    http: httpx.Client, admin_headers: dict[str, str], coach_id: str, start: datetime, seats: int = 3
) -> str:
    """Schedule an Online event of the coach at a price of 900; returns its eventId."""
    event = schedule_coach_event(
        http, admin_headers, coach_id, start, numberOfParticipants=seats, slotType="Online", price=900
    )
    return str(event["eventId"])


def _cancel(tenant: Tenant, booking_id: str) -> None:
    """The tenant's user cancels the booking, not feeling well."""
    expect(cancel_booking(tenant, booking_id, code="NotFeelingWell"), 200)


def _by_event(tenant: Tenant, event_id: str, done: Callable[[Rows], bool] | None = None) -> Rows:
    """The event's listing as seen by the tenant's client, polled (see `poll`) until `done` holds."""

    def fetch() -> Rows:
        rows: Rows = expect(
            tenant.http.get(f"/api/v1/bookings/by-event/{event_id}", headers=acting(tenant)), 200
        )
        return rows

    return poll(fetch, done)


def _cardinalities(rows: Rows) -> dict[str, int | None]:
    return {row["bookingId"]: row["serviceCardinality"] for row in rows}


def _three_bookings(http: httpx.Client, admin_headers: dict[str, str]) -> tuple[Tenant, datetime, list[str]]:
    """A fresh tenant's user booked 09-10, 12-13 and 15-16 of one random day with one coach of the tenant."""
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    coach_id = new_user(http, admin_headers, tenant.client_id)
    day = random_day()
    events = [_schedule(http, admin_headers, coach_id, day + timedelta(hours=hour)) for hour in (9, 12, 15)]
    return tenant, day, book(tenant, events)


def _booked_through_two_clients(
    http: httpx.Client, admin_headers: dict[str, str]
) -> tuple[Tenant, Tenant, str, list[str]]:
    """Two fresh tenants, and a user and a coach linked to both clients; the user booked through each.

    The booking through the first client is 09-10 and the one through the second 11-12, of one random day.
    """
    first = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    second = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    shared_user = new_user(http, admin_headers, first.client_id, second.client_id)
    coach_id = new_user(http, admin_headers, first.client_id, second.client_id)
    day = random_day()
    [through_first] = book(
        first, [_schedule(http, admin_headers, coach_id, day + timedelta(hours=9))], shared_user
    )
    [through_second] = book(
        second, [_schedule(http, admin_headers, coach_id, day + timedelta(hours=11))], shared_user
    )
    return first, second, shared_user, [through_first, through_second]


# By user


def test_by_user_lists_the_users_bookings_by_start_time_in_the_booking_shape(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    coach_id = new_user(http, admin_headers, tenant.client_id)
    day = random_day()
    late = _schedule(http, admin_headers, coach_id, day + timedelta(hours=15))
    early = _schedule(http, admin_headers, coach_id, day + timedelta(hours=9))
    [late_booking, early_booking] = book(tenant, [late, early])
    single = read_booking(tenant, early_booking)

    rows = bookings_of(tenant, tenant.user_id, done=lambda rows: len(rows) == 2)

    assert booking_ids(rows) == [early_booking, late_booking]
    assert rows[0] == single
    assert rows[0]["userId"] == tenant.user_id
    assert rows[0]["coachId"] == coach_id
    assert rows[0]["eventId"] == early
    assert rows[0]["bookingStatus"] == "Pending"
    assert rows[0]["eventStatus"] == "Active"
    assert rows[0]["timeslot"]["price"] == 900
    assert rows[0]["timeslot"]["slotType"] == "Online"


def test_by_user_answers_an_empty_list_for_a_user_without_bookings(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    response = http.get(f"/api/v1/bookings/by-user/{tenant.user_id}", headers=acting(tenant))

    assert expect(response, 200) == []


@pytest.mark.parametrize(
    ("start_hours", "end_hours", "expected"),
    [
        pytest.param(None, None, [0, 1, 2], id="no-window"),
        pytest.param(10, 15, [1], id="bounds-touching-neighbours-exclude-them"),
        pytest.param(9.5, 12.5, [0, 1], id="partial-overlaps-include"),
        pytest.param(12.25, 12.75, [1], id="window-inside-a-booking"),
        pytest.param(13, None, [2], id="start-only"),
        pytest.param(None, 12, [0], id="end-only"),
        pytest.param(16, 20, [], id="after-all"),
        pytest.param(-24, 9, [], id="before-all"),
    ],
)
def test_by_user_lists_the_bookings_overlapping_the_window(
    http: httpx.Client,
    admin_headers: dict[str, str],
    start_hours: float | None,
    end_hours: float | None,
    expected: list[int],
) -> None:
    tenant, day, bookings = _three_bookings(http, admin_headers)
    bookings_of(tenant, tenant.user_id, done=lambda rows: len(rows) == 3)
    window: dict[str, str] = {}
    if start_hours is not None:
        window["startAt"] = instant(day + timedelta(hours=start_hours))
    if end_hours is not None:
        window["endAt"] = instant(day + timedelta(hours=end_hours))

    rows = bookings_of(tenant, tenant.user_id, window)

    assert booking_ids(rows) == [bookings[index] for index in expected]


def test_by_user_window_accepts_offsets_other_than_utc(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant, day, bookings = _three_bookings(http, admin_headers)
    plus_two = day.astimezone(timezone(timedelta(hours=2)))
    window = {
        "startAt": (plus_two + timedelta(hours=11)).isoformat(),
        "endAt": (plus_two + timedelta(hours=14)).isoformat(),
    }

    rows = bookings_of(tenant, tenant.user_id, window, done=lambda rows: len(rows) == 1)

    assert booking_ids(rows) == [bookings[1]]


def test_by_user_rejects_a_window_time_without_an_offset(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    response = http.get(
        f"/api/v1/bookings/by-user/{tenant.user_id}",
        params={"startAt": "2045-01-01T09:00:00"},
        headers=acting(tenant),
    )

    assert error_code(response, 400) == "validation"


def test_by_user_for_a_user_not_linked_to_the_client_answers_403_forbidden(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    other = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    coach_id = new_user(http, admin_headers, other.client_id)
    book(other, [_schedule(http, admin_headers, coach_id, random_day())])

    response = http.get(f"/api/v1/bookings/by-user/{other.user_id}", headers=acting(tenant))

    assert error_code(response, 403) == "forbidden"
    assert other.user_id not in response.text


def test_by_user_acting_for_a_user_not_linked_to_the_client_answers_403_forbidden(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    unlinked = new_user(http, admin_headers)

    response = http.get(f"/api/v1/bookings/by-user/{tenant.user_id}", headers=acting(tenant, unlinked))

    assert error_code(response, 403) == "forbidden"


def test_listings_need_the_bookings_read_scope(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    tenant = make_tenant(http, admin_headers, scopes=["orders:write", "bookings:write"])
    event_id = _schedule(http, admin_headers, new_user(http, admin_headers), random_day())

    by_user = http.get(f"/api/v1/bookings/by-user/{tenant.user_id}", headers=acting(tenant))
    by_event = http.get(f"/api/v1/bookings/by-event/{event_id}", headers=acting(tenant))

    assert error_code(by_user, 403) == "forbidden"
    assert error_code(by_event, 403) == "forbidden"


def test_by_user_lists_only_the_bookings_made_through_the_calling_client(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    first, second, shared_user, [through_first, through_second] = _booked_through_two_clients(
        http, admin_headers
    )

    seen_by_first = bookings_of(first, shared_user, done=lambda rows: len(rows) >= 1)
    seen_by_second = bookings_of(second, shared_user, done=lambda rows: len(rows) >= 1)

    assert booking_ids(seen_by_first) == [through_first]
    assert booking_ids(seen_by_second) == [through_second]


def test_a_client_with_the_admin_scope_lists_and_counts_every_clients_bookings_of_a_user(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    _, _, shared_user, [through_first, through_second] = _booked_through_two_clients(http, admin_headers)
    system = make_tenant(http, admin_headers, scopes=["admin"])

    rows = poll(
        lambda: expect(http.get(f"/api/v1/bookings/by-user/{shared_user}", headers=system.headers), 200),
        lambda rows: len(rows) == 2,
    )
    read = expect(http.get(f"/api/v1/bookings/{through_second}", headers=system.headers), 200)

    assert booking_ids(rows) == [through_first, through_second]
    assert _cardinalities(rows) == {through_first: 1, through_second: 2}
    assert read["serviceCardinality"] == 2


def test_by_user_shows_a_cancellation_once_the_view_caught_up(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant, _, bookings = _three_bookings(http, admin_headers)
    _cancel(tenant, bookings[1])

    rows = bookings_of(tenant, tenant.user_id, done=lambda rows: rows[1]["bookingStatus"] == "Canceled")

    assert rows[1]["bookingStatus"] == "Canceled"
    assert rows[1]["canceledByRole"] == "Athlete"
    assert rows[1]["cancellationReasonCode"] == "NotFeelingWell"
    assert rows[1]["canceledAt"] is not None
    assert [row["bookingStatus"] for row in (rows[0], rows[2])] == ["Pending", "Pending"]


# By event


def test_by_event_lists_the_events_bookings_of_the_calling_client_only(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    other = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    second_athlete = new_user(http, admin_headers, tenant.client_id)
    coach_of_both = new_user(http, admin_headers, tenant.client_id, other.client_id)
    event_id = _schedule(http, admin_headers, coach_of_both, random_day(), seats=3)
    [first] = book(tenant, [event_id])
    [second] = book(tenant, [event_id], second_athlete)
    [foreign] = book(other, [event_id])

    rows = _by_event(tenant, event_id, done=lambda rows: len(rows) == 2)
    foreign_rows = _by_event(other, event_id, done=lambda rows: len(rows) == 1)

    assert sorted(booking_ids(rows)) == sorted([first, second])
    assert {row["eventId"] for row in rows} == {event_id}
    assert {row["userId"] for row in rows} == {tenant.user_id, second_athlete}
    assert booking_ids(foreign_rows) == [foreign]


def test_by_event_answers_an_empty_list_for_an_event_without_bookings(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    event_id = _schedule(http, admin_headers, new_user(http, admin_headers, tenant.client_id), random_day())

    response = http.get(f"/api/v1/bookings/by-event/{event_id}", headers=acting(tenant))

    assert expect(response, 200) == []


def test_by_event_for_an_unknown_event_answers_404_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    response = http.get(f"/api/v1/bookings/by-event/{uuid.uuid4()}", headers=acting(tenant))

    assert error_code(response, 404) == "not_found"


def test_by_event_shows_the_event_cancelled_with_its_bookings(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    event_id = _schedule(http, admin_headers, new_user(http, admin_headers, tenant.client_id), random_day())
    [booking_id] = book(tenant, [event_id])
    expect(http.post(f"/api/v1/admin/coach-events/{event_id}/cancel", headers=admin_headers), 200)

    rows = _by_event(tenant, event_id, done=lambda rows: rows[0]["eventStatus"] == "Canceled")

    assert booking_ids(rows) == [booking_id]
    assert rows[0]["eventStatus"] == "Canceled"
    assert rows[0]["bookingStatus"] == "Canceled"
    assert rows[0]["canceledByRole"] == "System"
    assert rows[0]["serviceCardinality"] is None


# Service cardinality


def test_service_cardinality_counts_the_users_bookings_with_each_coach_by_start_time(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    coach_a = new_user(http, admin_headers, tenant.client_id)
    coach_b = new_user(http, admin_headers, tenant.client_id)
    day = random_day()
    a_third = _schedule(http, admin_headers, coach_a, day + timedelta(days=3))
    a_first = _schedule(http, admin_headers, coach_a, day + timedelta(days=1))
    b_only = _schedule(http, admin_headers, coach_b, day + timedelta(days=2))
    a_second = _schedule(http, admin_headers, coach_a, day + timedelta(days=2, hours=3))
    [third] = book(tenant, [a_third])
    [first, with_b, second] = book(tenant, [a_first, b_only, a_second])

    rows = bookings_of(tenant, tenant.user_id, done=lambda rows: len(rows) == 4)

    assert booking_ids(rows) == [first, with_b, second, third]
    assert _cardinalities(rows) == {first: 1, with_b: 1, second: 2, third: 3}


def test_service_cardinality_counts_only_the_bookings_made_through_the_calling_client(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    _, second, shared_user, [_, through_second] = _booked_through_two_clients(http, admin_headers)
    [order] = orders_of(second, shared_user, at_least=1)

    listed = bookings_of(second, shared_user, done=lambda rows: len(rows) == 1)
    read = read_booking(second, through_second, shared_user)
    by_event = _by_event(second, listed[0]["eventId"], done=lambda rows: len(rows) == 1)

    assert _cardinalities(listed) == {through_second: 1}
    assert read["serviceCardinality"] == 1
    assert by_event[0]["serviceCardinality"] == 1
    assert _cardinalities(order["bookings"]) == {through_second: 1}


def test_service_cardinality_renumbers_when_an_earlier_booking_is_cancelled(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant, _, bookings = _three_bookings(http, admin_headers)
    first, second, third = bookings
    before = bookings_of(tenant, tenant.user_id, done=lambda rows: len(rows) == 3)
    _cancel(tenant, first)

    rows = bookings_of(tenant, tenant.user_id, done=lambda rows: rows[0]["serviceCardinality"] is None)
    second_read = read_booking(tenant, second)

    assert _cardinalities(before) == {first: 1, second: 2, third: 3}
    assert _cardinalities(rows) == {first: None, second: 1, third: 2}
    assert second_read["serviceCardinality"] == 1


def test_service_cardinality_ignores_the_listing_window(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant, day, bookings = _three_bookings(http, admin_headers)
    bookings_of(tenant, tenant.user_id, done=lambda rows: len(rows) == 3)
    window = {"startAt": instant(day + timedelta(hours=14)), "endAt": instant(day + timedelta(hours=17))}

    rows = bookings_of(tenant, tenant.user_id, window)

    assert _cardinalities(rows) == {bookings[2]: 3}


def test_service_cardinality_in_the_event_listing_is_each_users_own_ordinal(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    newcomer = new_user(http, admin_headers, tenant.client_id)
    coach_id = new_user(http, admin_headers, tenant.client_id)
    day = random_day()
    earlier = _schedule(http, admin_headers, coach_id, day + timedelta(hours=8))
    shared = _schedule(http, admin_headers, coach_id, day + timedelta(hours=12))
    book(tenant, [earlier])
    [regular_seat] = book(tenant, [shared])
    [newcomer_seat] = book(tenant, [shared], newcomer)

    rows = _by_event(tenant, shared, done=lambda rows: len(rows) == 2)

    assert _cardinalities(rows) == {regular_seat: 2, newcomer_seat: 1}


def test_a_dismissed_booking_leaves_the_listing_and_the_rest_keep_their_ordinals(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant, _, bookings = _three_bookings(http, admin_headers)
    first, second, third = bookings
    _cancel(tenant, second)
    expect(
        http.post(
            f"/api/v1/bookings/{second}/dismiss",
            params={"userId": tenant.user_id},
            headers=acting(tenant),
        ),
        200,
    )

    rows = bookings_of(tenant, tenant.user_id, done=lambda rows: len(rows) == 2)

    assert _cardinalities(rows) == {first: 1, third: 2}
