"""Court-booking upsert, read, cancel and re-activation over HTTP: versions, stale writes, overlaps."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.support import Tenant, booking_body, expect, instant, random_day

T1 = datetime(2030, 1, 1, tzinfo=UTC)
T2 = T1 + timedelta(minutes=1)
T3 = T1 + timedelta(minutes=2)


def new_id() -> str:
    return uuid.uuid4().hex


def error_type(response: httpx.Response, status: int) -> str:
    """Assert the status and the error format, and return the error type."""
    body = expect(response, status)
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str)
    error: str = body["error"]["type"]
    return error


def create(tenant: Tenant, external_id: str, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = expect(tenant.put(external_id, body), 201)
    return created


def get(tenant: Tenant, external_id: str, **params: Any) -> httpx.Response:
    return tenant.http.get(tenant.booking_path(external_id), params=params, headers=tenant.headers)


def cancel(tenant: Tenant, external_id: str, updated: datetime) -> httpx.Response:
    return tenant.http.delete(
        tenant.booking_path(external_id),
        params={"externalUpdatedAt": instant(updated)},
        headers=tenant.headers,
    )


def position(response: httpx.Response) -> int:
    return int(response.headers["X-Ledger-Position"])


# --- create, read, update -------------------------------------------------------------------------------


def test_first_upsert_creates_the_booking_and_answers_201_with_its_fields(tenant: Tenant) -> None:
    external_id = new_id()
    body = booking_body(tenant.court_id, random_day() + timedelta(hours=9), hours=1.5)

    booking = create(tenant, external_id, body)

    assert booking["externalServiceId"] == tenant.client_id
    assert booking["externalCourtBookingId"] == external_id
    assert booking["courtId"] == tenant.court_id
    assert booking["startDate"] == body["startDate"]
    assert booking["endDate"] == body["endDate"]
    assert booking["externalUpdatedAt"] == body["externalUpdatedAt"]
    assert booking["participants"] == [{"email": "alice@example.com"}]
    assert booking["status"] == "active"
    assert booking["createdAt"] == booking["updatedAt"]


def test_created_booking_is_returned_by_get(tenant: Tenant) -> None:
    external_id = new_id()
    created = create(tenant, external_id, booking_body(tenant.court_id, random_day() + timedelta(hours=9)))

    response = get(tenant, external_id)

    assert expect(response, 200) == created
    assert response.headers["ETag"] == '"1"'


def test_write_response_carries_ledger_position_and_etag(tenant: Tenant) -> None:
    response = tenant.put(new_id(), booking_body(tenant.court_id, random_day() + timedelta(hours=9)))

    expect(response, 201)
    assert position(response) > 0
    assert response.headers["ETag"] == '"1"'


def test_response_echoes_the_callers_request_id(tenant: Tenant) -> None:
    request_id = f"req-{new_id()}"

    response = tenant.http.put(
        tenant.booking_path(new_id()),
        json=booking_body(tenant.court_id, random_day() + timedelta(hours=9)),
        headers={**tenant.headers, "X-Request-ID": request_id},
    )

    expect(response, 201)
    assert response.headers["X-Request-ID"] == request_id


def test_valid_traceparent_is_continued_with_the_same_trace_id_and_a_new_span_id(tenant: Tenant) -> None:
    trace_id, span_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]

    response = tenant.http.put(
        tenant.booking_path(new_id()),
        json=booking_body(tenant.court_id, random_day() + timedelta(hours=9)),
        headers={**tenant.headers, "traceparent": f"00-{trace_id}-{span_id}-01"},
    )

    expect(response, 201)
    version, answered_trace, answered_span, flags = response.headers["traceparent"].split("-")
    assert (version, answered_trace, flags) == ("00", trace_id, "01")
    assert len(answered_span) == 16
    assert answered_span != span_id


def test_invalid_traceparent_starts_a_new_trace(tenant: Tenant) -> None:
    response = tenant.http.put(
        tenant.booking_path(new_id()),
        json=booking_body(tenant.court_id, random_day() + timedelta(hours=9)),
        headers={**tenant.headers, "traceparent": "00-not-a-trace-01"},
    )

    expect(response, 201)
    version, trace_id, span_id, _ = response.headers["traceparent"].split("-")
    assert version == "00"
    assert len(trace_id) == 32
    assert len(span_id) == 16


def test_upsert_with_newer_timestamp_updates_the_booking_and_answers_200(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    first = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T1))
    created = expect(first, 201)
    changed = booking_body(tenant.court_id, start + timedelta(hours=2), hours=2, updated=T2)

    response = tenant.put(external_id, changed)

    updated = expect(response, 200)
    assert updated["startDate"] == changed["startDate"]
    assert updated["endDate"] == changed["endDate"]
    assert updated["externalUpdatedAt"] == instant(T2)
    assert updated["createdAt"] == created["createdAt"]
    assert updated["updatedAt"] >= created["updatedAt"]
    assert response.headers["ETag"] == '"2"'
    assert position(response) > position(first)
    assert expect(get(tenant, external_id), 200) == updated


def test_replay_with_equal_timestamp_and_same_payload_is_idempotent(tenant: Tenant) -> None:
    external_id = new_id()
    body = booking_body(tenant.court_id, random_day() + timedelta(hours=9), updated=T1)
    first = tenant.put(external_id, body)
    created = expect(first, 201)

    replay = tenant.put(external_id, body)

    assert expect(replay, 200) == created
    assert replay.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert position(replay) >= position(first)
    assert get(tenant, external_id).headers["ETag"] == '"1"'
    assert get(tenant, external_id, version=2).status_code == 404


def test_replay_with_differently_cased_email_is_idempotent(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(
        tenant, external_id, booking_body(tenant.court_id, start, participants=[{"email": "Bo@Example.com"}])
    )

    replay = tenant.put(
        external_id, booking_body(tenant.court_id, start, participants=[{"email": "bo@example.COM"}])
    )

    expect(replay, 200)
    assert replay.headers["ETag"] == '"1"'


def test_equal_timestamp_with_changed_payload_is_a_version_conflict(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    created = create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))

    response = tenant.put(external_id, booking_body(tenant.court_id, start, hours=2, updated=T1))

    assert error_type(response, 409) == "version_conflict"
    assert expect(get(tenant, external_id), 200) == created


def test_equal_timestamp_with_changed_participants_is_a_version_conflict(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))

    response = tenant.put(
        external_id,
        booking_body(tenant.court_id, start, updated=T1, participants=[{"email": "c@example.com"}]),
    )

    assert error_type(response, 409) == "version_conflict"


def test_older_timestamp_is_a_stale_write(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    created = create(tenant, external_id, booking_body(tenant.court_id, start, updated=T2))

    response = tenant.put(external_id, booking_body(tenant.court_id, start, hours=3, updated=T1))

    assert error_type(response, 409) == "stale_write"
    assert expect(get(tenant, external_id), 200) == created


def test_older_timestamp_replaying_the_same_payload_is_still_a_stale_write(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T2))

    response = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T1))

    assert error_type(response, 409) == "stale_write"


def test_get_of_an_unknown_booking_is_court_booking_not_found(tenant: Tenant) -> None:
    assert error_type(get(tenant, new_id()), 404) == "court_booking_not_found"


def test_get_with_version_returns_the_booking_as_it_was_at_that_version(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    original = create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(tenant.put(external_id, booking_body(tenant.court_id, start, hours=3, updated=T2)), 200)

    first = get(tenant, external_id, version=1)
    second = get(tenant, external_id, version=2)

    assert expect(first, 200) == original
    assert first.headers["ETag"] == '"1"'
    assert expect(second, 200)["endDate"] == instant(start + timedelta(hours=3))
    assert second.headers["ETag"] == '"2"'


def test_get_with_an_unknown_version_is_not_found(tenant: Tenant) -> None:
    external_id = new_id()
    create(tenant, external_id, booking_body(tenant.court_id, random_day() + timedelta(hours=9)))

    response = get(tenant, external_id, version=5)

    assert error_type(response, 404) == "court_booking_version_not_found"


def test_get_with_a_version_of_an_unknown_booking_is_court_booking_not_found(tenant: Tenant) -> None:
    assert error_type(get(tenant, new_id(), version=1), 404) == "court_booking_not_found"


def test_bookings_are_scoped_to_their_external_service(tenant: Tenant, other_tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    mine = create(tenant, external_id, booking_body(tenant.court_id, start))

    theirs = create(other_tenant, external_id, booking_body(other_tenant.court_id, start))

    assert theirs["externalServiceId"] == other_tenant.client_id
    assert expect(get(tenant, external_id), 200) == mine


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda key: {"Authorization": f"Bearer {key}"}, id="bearer"),
        pytest.param(lambda key: {"Authorization": f"Token {key}"}, id="token"),
        pytest.param(lambda key: {"x-api-key": key}, id="x-api-key"),
    ],
)
def test_api_key_is_accepted_in_each_supported_header_form(
    tenant: Tenant, headers: Callable[[str], dict[str, str]]
) -> None:
    external_id = new_id()

    response = tenant.http.put(
        tenant.booking_path(external_id),
        json=booking_body(tenant.court_id, random_day() + timedelta(hours=9)),
        headers=headers(tenant.key),
    )

    assert expect(response, 201)["externalCourtBookingId"] == external_id


def test_unknown_body_fields_are_ignored(tenant: Tenant) -> None:
    external_id = new_id()
    body = {**booking_body(tenant.court_id, random_day() + timedelta(hours=9)), "color": "red", "status": "x"}

    booking = create(tenant, external_id, body)

    assert "color" not in booking
    assert booking["status"] == "active"


def test_external_id_with_sql_and_json_meta_characters_is_stored_verbatim(tenant: Tenant) -> None:
    external_id = f"x'; DROP TABLE--\"{{}} {new_id()}"
    path = tenant.booking_path(quote(external_id, safe=""))
    body = booking_body(tenant.court_id, random_day() + timedelta(hours=9))

    created = expect(tenant.http.put(path, json=body, headers=tenant.headers), 201)
    fetched = expect(tenant.http.get(path, headers=tenant.headers), 200)

    assert created["externalCourtBookingId"] == external_id
    assert fetched["externalCourtBookingId"] == external_id


def test_external_id_of_255_characters_is_accepted(tenant: Tenant) -> None:
    external_id = new_id() + "x" * (255 - 32)

    booking = create(tenant, external_id, booking_body(tenant.court_id, random_day() + timedelta(hours=9)))

    assert booking["externalCourtBookingId"] == external_id
    assert expect(get(tenant, external_id), 200) == booking


def test_datetimes_with_offsets_are_answered_in_utc(tenant: Tenant) -> None:
    day = random_day()
    body = {
        **booking_body(tenant.court_id, day),
        "startDate": f"{day.date().isoformat()}T12:00:00+02:00",
        "endDate": f"{day.date().isoformat()}T13:30:00+02:00",
    }

    booking = create(tenant, new_id(), body)

    assert booking["startDate"] == instant(day + timedelta(hours=10))
    assert booking["endDate"] == instant(day + timedelta(hours=11, minutes=30))


# --- participants -------------------------------------------------------------------------------------------


def test_participant_emails_are_lowercased_in_the_response(tenant: Tenant) -> None:
    participants = [{"email": "Carol.Smith@Example.COM"}, {"email": "DAVE@example.org"}]
    body = booking_body(tenant.court_id, random_day() + timedelta(hours=9), participants=participants)

    booking = create(tenant, new_id(), body)

    assert booking["participants"] == [{"email": "carol.smith@example.com"}, {"email": "dave@example.org"}]


def test_four_participants_mixing_linked_users_and_emails_are_accepted_in_order(tenant: Tenant) -> None:
    participants = [
        {"email": "a@example.com"},
        {"userId": tenant.user_id},
        {"email": "b@example.com"},
        {"email": "c@example.com"},
    ]
    body = booking_body(tenant.court_id, random_day() + timedelta(hours=9), participants=participants)

    booking = create(tenant, new_id(), body)

    assert booking["participants"] == participants


# --- cancel and re-activation -------------------------------------------------------------------------------


def test_cancel_marks_the_booking_canceled_and_answers_200_with_it(tenant: Tenant) -> None:
    external_id = new_id()
    first = tenant.put(
        external_id, booking_body(tenant.court_id, random_day() + timedelta(hours=9), updated=T1)
    )
    created = expect(first, 201)

    response = cancel(tenant, external_id, T2)

    canceled = expect(response, 200)
    assert canceled["status"] == "canceled"
    assert canceled["externalUpdatedAt"] == instant(T2)
    assert canceled["startDate"] == created["startDate"]
    assert response.headers["ETag"] == '"2"'
    assert position(response) > position(first)
    assert expect(get(tenant, external_id), 200) == canceled


def test_cancel_frees_the_time_for_another_booking(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(cancel(tenant, external_id, T2), 200)

    taker = create(tenant, new_id(), booking_body(tenant.court_id, start))

    assert taker["status"] == "active"


def test_cancel_with_an_older_timestamp_is_a_stale_write(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    created = create(tenant, external_id, booking_body(tenant.court_id, start, updated=T2))

    response = cancel(tenant, external_id, T1)

    assert error_type(response, 409) == "stale_write"
    assert expect(get(tenant, external_id), 200) == created
    assert (
        error_type(tenant.put(new_id(), booking_body(tenant.court_id, start)), 409) == "court_booking_overlap"
    )


def test_cancel_with_the_timestamp_of_the_active_booking_is_a_version_conflict(tenant: Tenant) -> None:
    external_id = new_id()
    created = create(tenant, external_id, booking_body(tenant.court_id, random_day(), updated=T1))

    response = cancel(tenant, external_id, T1)

    assert error_type(response, 409) == "version_conflict"
    assert expect(get(tenant, external_id), 200) == created


def test_cancel_replay_with_equal_timestamp_is_idempotent(tenant: Tenant) -> None:
    external_id = new_id()
    create(tenant, external_id, booking_body(tenant.court_id, random_day(), updated=T1))
    first = cancel(tenant, external_id, T2)
    canceled = expect(first, 200)

    replay = cancel(tenant, external_id, T2)

    assert expect(replay, 200) == canceled
    assert replay.headers["ETag"] == first.headers["ETag"] == '"2"'
    assert position(replay) >= position(first)


def test_cancel_of_an_unknown_booking_is_court_booking_not_found(tenant: Tenant) -> None:
    assert error_type(cancel(tenant, new_id(), T1), 404) == "court_booking_not_found"


def test_newer_upsert_reactivates_a_canceled_booking(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(cancel(tenant, external_id, T2), 200)

    response = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T3))

    booking = expect(response, 200)
    assert booking["status"] == "active"
    assert booking["externalUpdatedAt"] == instant(T3)
    assert response.headers["ETag"] == '"3"'
    assert (
        error_type(tenant.put(new_id(), booking_body(tenant.court_id, start)), 409) == "court_booking_overlap"
    )


def test_reactivation_into_a_slot_taken_meanwhile_is_a_court_booking_overlap(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(cancel(tenant, external_id, T2), 200)
    create(tenant, new_id(), booking_body(tenant.court_id, start + timedelta(minutes=30)))

    response = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T3))

    assert error_type(response, 409) == "court_booking_overlap"
    assert expect(get(tenant, external_id), 200)["status"] == "canceled"


def test_upsert_older_than_the_cancel_is_a_stale_write(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(cancel(tenant, external_id, T3), 200)

    response = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T2))

    assert error_type(response, 409) == "stale_write"
    assert expect(get(tenant, external_id), 200)["status"] == "canceled"


def test_upsert_with_the_timestamp_of_the_cancel_is_a_version_conflict(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(cancel(tenant, external_id, T2), 200)

    response = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T2))

    assert error_type(response, 409) == "version_conflict"
    assert expect(get(tenant, external_id), 200)["status"] == "canceled"


# --- overlaps -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset_minutes", "length_minutes"),
    [
        pytest.param(0, 60, id="identical"),
        pytest.param(-30, 60, id="ends-inside"),
        pytest.param(30, 60, id="starts-inside"),
        pytest.param(15, 30, id="inside"),
        pytest.param(-30, 120, id="encloses"),
        pytest.param(59, 1, id="last-minute"),
    ],
)
def test_overlapping_active_booking_on_the_same_court_is_a_court_booking_overlap(
    tenant: Tenant, offset_minutes: int, length_minutes: int
) -> None:
    start = random_day() + timedelta(hours=10)
    create(tenant, new_id(), booking_body(tenant.court_id, start))
    external_id = new_id()
    body = booking_body(tenant.court_id, start + timedelta(minutes=offset_minutes), hours=length_minutes / 60)

    response = tenant.put(external_id, body)

    assert error_type(response, 409) == "court_booking_overlap"
    assert error_type(get(tenant, external_id), 404) == "court_booking_not_found"


@pytest.mark.parametrize(
    "offset_hours", [pytest.param(-1, id="ends-at-start"), pytest.param(1, id="starts-at-end")]
)
def test_touching_bookings_do_not_overlap(tenant: Tenant, offset_hours: int) -> None:
    start = random_day() + timedelta(hours=10)
    create(tenant, new_id(), booking_body(tenant.court_id, start))

    booking = create(tenant, new_id(), booking_body(tenant.court_id, start + timedelta(hours=offset_hours)))

    assert booking["status"] == "active"


def test_bookings_on_different_courts_never_overlap(tenant: Tenant) -> None:
    start = random_day() + timedelta(hours=10)
    create(tenant, new_id(), booking_body(tenant.court_id, start))

    booking = create(tenant, new_id(), booking_body(tenant.add_court(), start))

    assert booking["status"] == "active"


def test_overlap_is_detected_across_midnight(tenant: Tenant) -> None:
    day = random_day()
    create(tenant, new_id(), booking_body(tenant.court_id, day + timedelta(hours=22), hours=4))

    response = tenant.put(new_id(), booking_body(tenant.court_id, day + timedelta(days=1, hours=1)))

    assert error_type(response, 409) == "court_booking_overlap"


def test_multi_day_booking_overlaps_a_booking_on_its_middle_day(tenant: Tenant) -> None:
    day = random_day()
    create(tenant, new_id(), booking_body(tenant.court_id, day + timedelta(days=3, hours=12)))

    response = tenant.put(new_id(), booking_body(tenant.court_id, day + timedelta(hours=12), hours=24 * 6))

    assert error_type(response, 409) == "court_booking_overlap"


def test_overlap_compares_instants_whatever_their_offsets(tenant: Tenant) -> None:
    day = random_day()
    create(tenant, new_id(), booking_body(tenant.court_id, day + timedelta(hours=8)))
    body = {
        **booking_body(tenant.court_id, day),
        "startDate": f"{day.date().isoformat()}T10:30:00+02:00",
        "endDate": f"{day.date().isoformat()}T11:30:00+02:00",
    }

    assert error_type(tenant.put(new_id(), body), 409) == "court_booking_overlap"


def test_canceled_booking_does_not_overlap_a_new_one(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=10)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(cancel(tenant, external_id, T2), 200)

    booking = create(tenant, new_id(), booking_body(tenant.court_id, start - timedelta(minutes=30), hours=2))

    assert booking["status"] == "active"


def test_moving_a_booking_to_overlap_its_own_old_time_is_allowed(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=10)
    create(tenant, external_id, booking_body(tenant.court_id, start, hours=2, updated=T1))

    response = tenant.put(
        external_id, booking_body(tenant.court_id, start + timedelta(hours=1), hours=2, updated=T2)
    )

    assert expect(response, 200)["startDate"] == instant(start + timedelta(hours=1))


def test_moving_a_booking_releases_its_old_time(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=10)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(
        tenant.put(external_id, booking_body(tenant.court_id, start + timedelta(hours=3), updated=T2)), 200
    )

    taker = create(tenant, new_id(), booking_body(tenant.court_id, start))

    assert taker["startDate"] == instant(start)
    overlap = tenant.put(new_id(), booking_body(tenant.court_id, start + timedelta(hours=3)))
    assert error_type(overlap, 409) == "court_booking_overlap"


def test_moving_a_booking_to_another_day_releases_the_old_day(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=10)
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))
    expect(tenant.put(external_id, booking_body(tenant.court_id, start + timedelta(days=2), updated=T2)), 200)

    taker = create(tenant, new_id(), booking_body(tenant.court_id, start))

    assert taker["status"] == "active"


def test_moving_a_booking_to_another_court_takes_the_new_court_and_frees_the_old(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=10)
    second_court = tenant.add_court()
    create(tenant, external_id, booking_body(tenant.court_id, start, updated=T1))

    moved = expect(tenant.put(external_id, booking_body(second_court, start, updated=T2)), 200)

    assert moved["courtId"] == second_court
    create(tenant, new_id(), booking_body(tenant.court_id, start))
    overlap = tenant.put(new_id(), booking_body(second_court, start))
    assert error_type(overlap, 409) == "court_booking_overlap"


def test_moving_a_booking_onto_another_active_booking_is_an_overlap_and_keeps_it(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=10)
    create(tenant, new_id(), booking_body(tenant.court_id, start))
    original = create(
        tenant, external_id, booking_body(tenant.court_id, start + timedelta(hours=2), updated=T1)
    )

    response = tenant.put(
        external_id, booking_body(tenant.court_id, start + timedelta(minutes=30), updated=T2)
    )

    assert error_type(response, 409) == "court_booking_overlap"
    assert expect(get(tenant, external_id), 200) == original
    blocked = tenant.put(new_id(), booking_body(tenant.court_id, start + timedelta(hours=2)))
    assert error_type(blocked, 409) == "court_booking_overlap"


def test_booking_of_exactly_seven_days_is_accepted(tenant: Tenant) -> None:
    booking = create(tenant, new_id(), booking_body(tenant.court_id, random_day(), hours=24 * 7))

    assert booking["status"] == "active"


def test_datetimes_with_fractional_seconds_and_offsets_round_trip_as_the_same_instant(tenant: Tenant) -> None:
    day = random_day()
    offset = timezone(timedelta(hours=-5, minutes=-30))
    start = (day + timedelta(hours=10, microseconds=250000)).astimezone(offset)
    body = {**booking_body(tenant.court_id, day + timedelta(hours=10)), "startDate": start.isoformat()}

    booking = create(tenant, new_id(), body)

    assert datetime.fromisoformat(booking["startDate"]) == start
