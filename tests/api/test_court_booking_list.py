"""The court-bookings list over HTTP: projection reads, filters, cursor pagination, consistency and access."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import httpx
import pytest

from domain.ids import court_booking_id
from tests.support import Tenant, booking_body, expect, instant, make_tenant, random_day


def put_booking(tenant: Tenant, external_id: str, body: dict[str, Any]) -> int:
    """Upsert a booking, assert it was accepted, and return its ledger position."""
    response = tenant.put(external_id, body)
    assert response.status_code in (200, 201), f"{response.status_code}: {response.text}"
    return int(response.headers["X-Ledger-Position"])


def cancel_booking(tenant: Tenant, external_id: str, updated: datetime) -> int:
    response = tenant.http.delete(
        tenant.booking_path(external_id),
        params={"externalUpdatedAt": instant(updated)},
        headers=tenant.headers,
    )
    expect(response, 200)
    return int(response.headers["X-Ledger-Position"])


def list_page(tenant: Tenant, position: int, **params: Any) -> dict[str, Any]:
    response = tenant.http.get(
        tenant.list_path, params={**params, "consistentWith": position}, headers=tenant.headers
    )
    page: dict[str, Any] = expect(response, 200)
    assert response.headers["X-Ledger-Consistency"] == "reached"
    return page


def external_ids(page: dict[str, Any]) -> list[str]:
    return [booking["externalCourtBookingId"] for booking in page["data"]]


def walk_pages(tenant: Tenant, position: int, limit: int, **params: Any) -> list[dict[str, Any]]:
    """Every page of the list, following nextCursor until it is null."""
    pages = [list_page(tenant, position, limit=limit, **params)]
    while pages[-1]["nextCursor"] is not None:
        pages.append(list_page(tenant, position, limit=limit, cursor=pages[-1]["nextCursor"], **params))
        assert len(pages) < 100, "the cursor never reached the last page"
    return pages


def raw_cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_list_includes_a_just_written_booking_when_consistent_with_query_parameter_is_given(
    tenant: Tenant,
) -> None:
    start = random_day() + timedelta(hours=9)
    external_id = uuid.uuid4().hex
    body = booking_body(tenant.court_id, start, hours=1.5)
    position = put_booking(tenant, external_id, body)

    response = tenant.http.get(tenant.list_path, params={"consistentWith": position}, headers=tenant.headers)

    page = expect(response, 200)
    assert response.headers["X-Ledger-Consistency"] == "reached"
    assert "X-Request-ID" in response.headers
    assert page["nextCursor"] is None
    [booking] = page["data"]
    assert booking["externalCourtBookingId"] == external_id
    assert booking["externalServiceId"] == tenant.client_id
    assert booking["courtId"] == tenant.court_id
    assert datetime.fromisoformat(booking["startDate"]) == start
    assert datetime.fromisoformat(booking["endDate"]) == start + timedelta(hours=1.5)
    assert booking["status"] == "active"
    assert booking["participants"] == [{"email": "alice@example.com"}]


def test_list_includes_a_just_written_booking_when_consistent_with_header_is_given(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    position = put_booking(tenant, external_id, booking_body(tenant.court_id, random_day()))

    response = tenant.http.get(
        tenant.list_path, headers={**tenant.headers, "X-Ledger-Consistent-With": str(position)}
    )

    page = expect(response, 200)
    assert response.headers["X-Ledger-Consistency"] == "reached"
    assert external_ids(page) == [external_id]


def test_list_shows_the_latest_revision_of_a_moved_booking(tenant: Tenant) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    put_booking(tenant, external_id, booking_body(tenant.court_id, day + timedelta(hours=8)))
    new_court = tenant.add_court()
    moved = booking_body(
        new_court, day + timedelta(hours=15), updated=datetime.fromisoformat("2031-01-01T00:00Z")
    )
    position = put_booking(tenant, external_id, moved)

    page = list_page(tenant, position)

    [booking] = page["data"]
    assert booking["courtId"] == new_court
    assert datetime.fromisoformat(booking["startDate"]) == day + timedelta(hours=15)


def test_walking_all_pages_returns_every_booking_once_in_start_then_id_order(tenant: Tenant) -> None:
    day = random_day()
    courts = [tenant.court_id, tenant.add_court(), tenant.add_court()]
    written: list[str] = []
    position = 0
    for hour in (14, 9, 11):
        for court in courts:
            external_id = uuid.uuid4().hex
            position = put_booking(tenant, external_id, booking_body(court, day + timedelta(hours=hour)))
            written.append(external_id)

    pages = walk_pages(tenant, position, limit=2)

    assert [len(page["data"]) for page in pages] == [2, 2, 2, 2, 1]
    assert all(page["nextCursor"] is not None for page in pages[:-1])
    assert pages[-1]["nextCursor"] is None
    seen = [booking for page in pages for booking in page["data"]]
    seen_ids = [booking["externalCourtBookingId"] for booking in seen]
    assert sorted(seen_ids) == sorted(written)
    assert len(set(seen_ids)) == len(written)
    service = UUID(tenant.client_id)
    order_keys = [
        (datetime.fromisoformat(b["startDate"]), court_booking_id(service, b["externalCourtBookingId"]))
        for b in seen
    ]
    assert order_keys == sorted(order_keys)


def test_bookings_written_before_the_cursor_between_pages_do_not_shift_later_pages(tenant: Tenant) -> None:
    day = random_day()
    later = [uuid.uuid4().hex for _ in range(4)]
    position = 0
    for hour, external_id in enumerate(later, start=10):
        position = put_booking(
            tenant, external_id, booking_body(tenant.court_id, day + timedelta(hours=hour))
        )
    first = list_page(tenant, position, limit=2)
    earlier = uuid.uuid4().hex
    position = put_booking(tenant, earlier, booking_body(tenant.court_id, day + timedelta(hours=1)))

    second = list_page(tenant, position, limit=2, cursor=first["nextCursor"])

    assert external_ids(first) == later[:2]
    assert external_ids(second) == later[2:]
    assert second["nextCursor"] is None


def test_pagination_with_a_filter_walks_only_the_matching_bookings(tenant: Tenant) -> None:
    day = random_day()
    other_court = tenant.add_court()
    on_first: list[str] = []
    position = 0
    for hour in range(5):
        for court in (tenant.court_id, other_court):
            external_id = uuid.uuid4().hex
            position = put_booking(tenant, external_id, booking_body(court, day + timedelta(hours=hour)))
            if court == tenant.court_id:
                on_first.append(external_id)

    pages = walk_pages(tenant, position, limit=2, courtId=tenant.court_id)

    assert [external_id for page in pages for external_id in external_ids(page)] == on_first


def test_a_page_that_holds_exactly_the_remaining_bookings_has_no_next_cursor(tenant: Tenant) -> None:
    day = random_day()
    position = 0
    for hour in range(3):
        position = put_booking(
            tenant, uuid.uuid4().hex, booking_body(tenant.court_id, day + timedelta(hours=hour))
        )

    page = list_page(tenant, position, limit=3)

    assert len(page["data"]) == 3
    assert page["nextCursor"] is None


def test_an_empty_list_has_no_data_and_no_next_cursor(tenant: Tenant) -> None:
    page = expect(tenant.http.get(tenant.list_path, headers=tenant.headers), 200)

    assert page == {"data": [], "nextCursor": None}


def test_limit_defaults_to_one_hundred(tenant: Tenant) -> None:
    day = random_day()
    position = 0
    for index in range(101):
        start = day + timedelta(minutes=30 * index)
        position = put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, start, hours=0.5))

    first = list_page(tenant, position)
    rest = list_page(tenant, position, cursor=first["nextCursor"])

    assert len(first["data"]) == 100
    assert first["nextCursor"] is not None
    assert len(rest["data"]) == 1
    assert rest["nextCursor"] is None


def test_limit_of_one_thousand_is_accepted(tenant: Tenant) -> None:
    position = put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, random_day()))

    page = list_page(tenant, position, limit=1000)

    assert len(page["data"]) == 1


@pytest.mark.parametrize("limit", ["1001", "0", "-1", "ten", "1.5"])
def test_limit_outside_one_to_one_thousand_is_rejected_as_invalid_schema(tenant: Tenant, limit: str) -> None:
    response = tenant.http.get(tenant.list_path, params={"limit": limit}, headers=tenant.headers)

    body = expect(response, 400)
    assert body["error"]["type"] == "invalid_schema"
    assert body["error"]["message"]


def test_court_id_filter_lists_only_that_courts_bookings(tenant: Tenant) -> None:
    day = random_day()
    other_court = tenant.add_court()
    on_other = uuid.uuid4().hex
    put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, day))
    position = put_booking(tenant, on_other, booking_body(other_court, day))

    page = list_page(tenant, position, courtId=other_court)

    assert external_ids(page) == [on_other]
    assert {booking["courtId"] for booking in page["data"]} == {other_court}


def test_court_id_filter_for_a_court_without_bookings_lists_nothing(tenant: Tenant) -> None:
    position = put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, random_day()))

    page = list_page(tenant, position, courtId=str(uuid.uuid4()))

    assert page == {"data": [], "nextCursor": None}


def test_status_filter_separates_active_and_canceled_bookings(tenant: Tenant) -> None:
    day = random_day()
    active = uuid.uuid4().hex
    canceled = uuid.uuid4().hex
    put_booking(tenant, active, booking_body(tenant.court_id, day + timedelta(hours=8)))
    put_booking(tenant, canceled, booking_body(tenant.court_id, day + timedelta(hours=10)))
    position = cancel_booking(tenant, canceled, datetime.fromisoformat("2031-01-01T00:00Z"))

    active_page = list_page(tenant, position, status="active")
    canceled_page = list_page(tenant, position, status="canceled")
    everything = list_page(tenant, position)

    assert external_ids(active_page) == [active]
    assert external_ids(canceled_page) == [canceled]
    assert canceled_page["data"][0]["status"] == "canceled"
    assert external_ids(everything) == [active, canceled]


def test_unknown_status_is_rejected_as_invalid_schema(tenant: Tenant) -> None:
    response = tenant.http.get(tenant.list_path, params={"status": "deleted"}, headers=tenant.headers)

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


def test_from_and_to_list_the_bookings_that_overlap_the_half_open_window(tenant: Tenant) -> None:
    day = random_day()
    ids = {hour: uuid.uuid4().hex for hour in (10, 11, 12)}
    position = 0
    for hour, external_id in ids.items():
        position = put_booking(
            tenant, external_id, booking_body(tenant.court_id, day + timedelta(hours=hour))
        )

    exact = list_page(
        tenant,
        position,
        **{"from": instant(day + timedelta(hours=11)), "to": instant(day + timedelta(hours=12))},
    )
    straddling = list_page(
        tenant,
        position,
        **{
            "from": instant(day + timedelta(hours=10, minutes=30)),
            "to": instant(day + timedelta(hours=11, minutes=1)),
        },
    )
    only_from = list_page(tenant, position, **{"from": instant(day + timedelta(hours=12))})
    only_to = list_page(tenant, position, to=instant(day + timedelta(hours=11)))

    assert external_ids(exact) == [ids[11]]
    assert external_ids(straddling) == [ids[10], ids[11]]
    assert external_ids(only_from) == [ids[12]]
    assert external_ids(only_to) == [ids[10]]


def test_from_and_to_accept_any_utc_offset(tenant: Tenant) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    position = put_booking(tenant, external_id, booking_body(tenant.court_id, day + timedelta(hours=10)))
    # 10:30+02:00 is 08:30Z, before the booking; 12:30+02:00 is 10:30Z, inside it.
    before = (day + timedelta(hours=8, minutes=30)).astimezone(timezone(timedelta(hours=2)))

    page = list_page(
        tenant, position, **{"from": before.isoformat(), "to": (before + timedelta(hours=2)).isoformat()}
    )

    assert external_ids(page) == [external_id]


@pytest.mark.parametrize("param", ["from", "to"])
def test_datetimes_without_an_offset_are_rejected(tenant: Tenant, param: str) -> None:
    response = tenant.http.get(
        tenant.list_path, params={param: "2040-01-01T10:00:00"}, headers=tenant.headers
    )

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


@pytest.mark.parametrize(
    ("param", "value"),
    [("courtId", "not-a-uuid"), ("from", "yesterday"), ("consistentWith", "-1"), ("consistentWith", "soon")],
)
def test_malformed_query_parameters_are_rejected_as_invalid_schema(
    tenant: Tenant, param: str, value: str
) -> None:
    response = tenant.http.get(tenant.list_path, params={param: value}, headers=tenant.headers)

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!!",
        raw_cursor(None),
        raw_cursor({}),
        raw_cursor([1]),
        raw_cursor(["yesterday", str(uuid.UUID(int=0))]),
        raw_cursor(["2040-01-01T00:00:00+00:00", "not-a-uuid"]),
        raw_cursor(["2040-01-01T00:00:00+00:00", None]),
        raw_cursor(["2040-01-01T00:00:00+00:00", 5]),
        raw_cursor(["2040-01-01T00:00:00+00:00", [1]]),
        raw_cursor(["2040-01-01T00:00:00+00:00", {"a": 1}]),
        "A" * 513,
        raw_cursor(["2040-01-01T00:00:00", str(uuid.UUID(int=0))]),
    ],
    ids=[
        "word",
        "punctuation",
        "null",
        "object",
        "short-list",
        "bad-date",
        "bad-uuid",
        "null-uuid",
        "number-uuid",
        "list-uuid",
        "object-uuid",
        "too-long",
        "naive-date",
    ],
)
def test_garbage_cursor_is_rejected_as_invalid_schema(tenant: Tenant, cursor: str) -> None:
    # Its own connection: if the server fails on this input it drops the connection, and the shared client
    # must not carry that into other tests.
    with httpx.Client(base_url=tenant.http.base_url, timeout=30) as client:
        response = client.get(tenant.list_path, params={"cursor": cursor}, headers=tenant.headers)

    body = expect(response, 400)
    assert body["error"]["type"] == "invalid_schema"


def test_list_never_shows_another_services_bookings(tenant: Tenant, other_tenant: Tenant) -> None:
    day = random_day()
    mine = uuid.uuid4().hex
    put_booking(tenant, mine, booking_body(tenant.court_id, day))
    theirs_position = put_booking(other_tenant, uuid.uuid4().hex, booking_body(other_tenant.court_id, day))

    page = list_page(tenant, theirs_position)

    assert external_ids(page) == [mine]
    assert {booking["externalServiceId"] for booking in page["data"]} == {tenant.client_id}


def test_listing_another_services_bookings_is_denied(tenant: Tenant, other_tenant: Tenant) -> None:
    put_booking(other_tenant, uuid.uuid4().hex, booking_body(other_tenant.court_id, random_day()))

    response = tenant.http.get(other_tenant.list_path, headers=tenant.headers)

    assert expect(response, 403)["error"]["type"] == "external_service_access_denied"


def test_list_with_a_malformed_service_id_is_rejected_as_invalid_schema(tenant: Tenant) -> None:
    response = tenant.http.get("/api/v1/external-services/not-a-uuid/court-bookings", headers=tenant.headers)

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


def test_client_without_read_scope_may_not_list(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    writer = make_tenant(http, admin_headers, scopes=["court-bookings:write"])

    response = http.get(writer.list_path, headers=writer.headers)

    assert expect(response, 403)["error"]["type"] == "scope_permission_denied"


def test_list_without_a_token_is_unauthorized(tenant: Tenant) -> None:
    response = tenant.http.get(tenant.list_path)

    assert expect(response, 401)["error"]["type"] == "missing_api_token"


def test_list_with_an_unknown_token_is_unauthorized(tenant: Tenant) -> None:
    response = tenant.http.get(tenant.list_path, headers={"Authorization": "Bearer lk_not-a-real-key"})

    assert expect(response, 401)["error"]["type"] == "invalid_api_token"


@pytest.mark.parametrize("scheme", ["Token", "x-api-key"])
def test_list_accepts_the_other_api_key_forms(tenant: Tenant, scheme: str) -> None:
    headers = {"x-api-key": tenant.key} if scheme == "x-api-key" else {"Authorization": f"Token {tenant.key}"}

    response = tenant.http.get(tenant.list_path, headers=headers)

    assert expect(response, 200) == {"data": [], "nextCursor": None}
