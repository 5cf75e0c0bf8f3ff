"""The audit surface over HTTP: a court booking's event history, its metadata, and time travel by version."""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from domain.application import Ledger
from domain.court_booking import CourtBooking
from domain.ids import court_booking_id
from ledger.runtime import Runtime
from tests.support import Tenant, booking_body, expect, instant, make_tenant, random_day

SNAPSHOT_INTERVAL = Ledger.snapshotting_intervals[CourtBooking]
UPDATED = [datetime.fromisoformat(f"203{n}-01-01T00:00:00+00:00") for n in range(1, 6)]


def history_path(tenant: Tenant, external_id: str, service_id: str | None = None) -> str:
    return f"/api/v1/audit/court-bookings/{service_id or tenant.client_id}/{external_id}/history"


def traced() -> tuple[dict[str, str], str, str]:
    """Headers carrying a fresh X-Request-ID and traceparent, with that request id and trace id."""
    request_id = f"req-{uuid.uuid4().hex}"
    trace_id = secrets.token_hex(16)
    headers = {"X-Request-ID": request_id, "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    return headers, request_id, trace_id


def history(tenant: Tenant, external_id: str) -> list[dict[str, Any]]:
    body = expect(tenant.http.get(history_path(tenant, external_id), headers=tenant.headers), 200)
    events: list[dict[str, Any]] = body["events"]
    return events


def version_of(tenant: Tenant, external_id: str, version: int) -> dict[str, Any]:
    response = tenant.http.get(
        tenant.booking_path(external_id), params={"version": version}, headers=tenant.headers
    )
    booking: dict[str, Any] = expect(response, 200)
    return booking


def test_history_lists_every_event_in_order_with_its_actor_request_and_trace(tenant: Tenant) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    path = tenant.booking_path(external_id)
    writes: list[tuple[str, dict[str, Any]]] = [
        ("PUT", {"json": booking_body(tenant.court_id, day, updated=UPDATED[0])}),
        ("PUT", {"json": booking_body(tenant.court_id, day + timedelta(hours=3), updated=UPDATED[1])}),
        ("DELETE", {"params": {"externalUpdatedAt": instant(UPDATED[2])}}),
        ("PUT", {"json": booking_body(tenant.court_id, day + timedelta(hours=5), updated=UPDATED[3])}),
    ]
    sent: list[tuple[str, str]] = []
    for method, arguments in writes:
        headers, request_id, trace_id = traced()
        written = tenant.http.request(method, path, headers={**tenant.headers, **headers}, **arguments)
        assert written.status_code in (200, 201), written.text
        assert written.headers["X-Request-ID"] == request_id
        sent.append((request_id, trace_id))

    response = tenant.http.get(history_path(tenant, external_id), headers=tenant.headers)

    body = expect(response, 200)
    assert uuid.UUID(body["aggregateId"])
    events = body["events"]
    assert [event["version"] for event in events] == [1, 2, 3, 4]
    assert [event["type"] for event in events] == [
        "CourtBooking.Registered",
        "CourtBooking.Revised",
        "CourtBooking.Canceled",
        "CourtBooking.Reactivated",
    ]
    for event, (request_id, trace_id) in zip(events, sent, strict=True):
        meta = event["meta"]
        assert meta["actor"] == tenant.client_id
        assert meta["actorKind"] == "client"
        assert meta["requestId"] == request_id
        assert meta["traceId"] == trace_id
        assert datetime.fromisoformat(meta["recordedAt"]).tzinfo is not None
        assert event["recordedAt"] == meta["recordedAt"]
    recorded = [datetime.fromisoformat(event["recordedAt"]) for event in events]
    assert recorded == sorted(recorded)


def test_history_data_records_what_each_event_changed(tenant: Tenant) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, day, updated=UPDATED[0]))
    tenant.put(external_id, booking_body(tenant.court_id, day + timedelta(hours=2), updated=UPDATED[1]))

    registered, revised = history(tenant, external_id)

    assert datetime.fromisoformat(registered["data"]["start"]) == day
    assert datetime.fromisoformat(revised["data"]["start"]) == day + timedelta(hours=2)
    assert registered["data"]["court_id"] == tenant.court_id
    assert registered["data"]["external_court_booking_id"] == external_id


def test_history_without_a_caller_request_id_records_the_generated_one(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex

    response = tenant.put(external_id, booking_body(tenant.court_id, random_day()))

    assert response.status_code == 201
    [event] = history(tenant, external_id)
    assert event["meta"]["requestId"] == response.headers["X-Request-ID"]


def test_history_without_a_valid_traceparent_records_a_new_trace_id(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    invalid = f"00-{'0' * 32}-{secrets.token_hex(8)}-01"

    response = tenant.http.put(
        tenant.booking_path(external_id),
        json=booking_body(tenant.court_id, random_day()),
        headers={**tenant.headers, "traceparent": invalid},
    )

    assert response.status_code == 201
    [event] = history(tenant, external_id)
    assert re.fullmatch(r"[0-9a-f]{32}", event["meta"]["traceId"])
    assert event["meta"]["traceId"] != "0" * 32


def test_an_idempotent_replay_adds_no_event(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    body = booking_body(tenant.court_id, random_day())
    assert tenant.put(external_id, body).status_code == 201

    replay = tenant.put(external_id, body)

    assert replay.status_code == 200
    assert [event["version"] for event in history(tenant, external_id)] == [1]


def test_history_needs_the_audit_read_scope(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    partner = make_tenant(http, admin_headers, scopes=["court-bookings:read", "court-bookings:write"])
    external_id = uuid.uuid4().hex
    assert partner.put(external_id, booking_body(partner.court_id, random_day())).status_code == 201

    response = http.get(history_path(partner, external_id), headers=partner.headers)

    assert expect(response, 403)["error"]["type"] == "scope_permission_denied"


def test_history_without_a_token_is_unauthorized(tenant: Tenant) -> None:
    response = tenant.http.get(history_path(tenant, uuid.uuid4().hex))

    assert expect(response, 401)["error"]["type"] == "missing_api_token"


def test_history_of_an_unknown_booking_is_not_found(tenant: Tenant) -> None:
    response = tenant.http.get(history_path(tenant, uuid.uuid4().hex), headers=tenant.headers)

    body = expect(response, 404)
    assert body["error"]["type"] == "court_booking_not_found"


def test_history_of_another_services_booking_is_denied(tenant: Tenant, other_tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    assert other_tenant.put(external_id, booking_body(other_tenant.court_id, random_day())).status_code == 201

    response = tenant.http.get(
        history_path(tenant, external_id, other_tenant.client_id), headers=tenant.headers
    )

    assert expect(response, 403)["error"]["type"] == "external_service_access_denied"
    assert "meta" not in response.text


def test_history_under_a_malformed_service_id_is_rejected_as_invalid_schema(tenant: Tenant) -> None:
    response = tenant.http.get(history_path(tenant, "abc", "not-a-uuid"), headers=tenant.headers)

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


def test_time_travel_by_version_matches_the_history(tenant: Tenant) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    moved_court = tenant.add_court()
    tenant.put(external_id, booking_body(tenant.court_id, day + timedelta(hours=8), updated=UPDATED[0]))
    tenant.put(external_id, booking_body(moved_court, day + timedelta(hours=12), hours=2, updated=UPDATED[1]))
    tenant.http.delete(
        tenant.booking_path(external_id),
        params={"externalUpdatedAt": instant(UPDATED[2])},
        headers=tenant.headers,
    )

    events = history(tenant, external_id)
    first, second, third = (version_of(tenant, external_id, version) for version in (1, 2, 3))

    assert len(events) == 3
    assert datetime.fromisoformat(first["startDate"]) == day + timedelta(hours=8)
    assert datetime.fromisoformat(first["startDate"]) == datetime.fromisoformat(events[0]["data"]["start"])
    assert first["courtId"] == tenant.court_id
    assert first["status"] == "active"
    assert datetime.fromisoformat(first["externalUpdatedAt"]) == UPDATED[0]
    assert datetime.fromisoformat(second["startDate"]) == day + timedelta(hours=12)
    assert datetime.fromisoformat(second["endDate"]) == day + timedelta(hours=14)
    assert datetime.fromisoformat(second["startDate"]) == datetime.fromisoformat(events[1]["data"]["start"])
    assert second["courtId"] == moved_court
    assert second["status"] == "active"
    assert third["status"] == "canceled"
    assert datetime.fromisoformat(third["externalUpdatedAt"]) == UPDATED[2]


def test_time_travel_carries_the_versions_etag(tenant: Tenant) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, day, updated=UPDATED[0]))
    tenant.put(external_id, booking_body(tenant.court_id, day + timedelta(hours=1), updated=UPDATED[1]))

    old = tenant.http.get(tenant.booking_path(external_id), params={"version": 1}, headers=tenant.headers)
    now = tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers)

    assert old.status_code == now.status_code == 200
    assert old.headers["ETag"] == '"1"'
    assert now.headers["ETag"] == '"2"'


def test_time_travel_to_a_version_that_does_not_exist_is_not_found(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, random_day()))

    response = tenant.http.get(
        tenant.booking_path(external_id), params={"version": 2}, headers=tenant.headers
    )

    assert expect(response, 404)["error"]["type"] == "court_booking_version_not_found"


def test_time_travel_on_an_unknown_booking_is_not_found(tenant: Tenant) -> None:
    response = tenant.http.get(
        tenant.booking_path(uuid.uuid4().hex), params={"version": 1}, headers=tenant.headers
    )

    assert expect(response, 404)["error"]["type"] == "court_booking_not_found"


@pytest.mark.parametrize("version", ["0", "-1", "one", str(2**31 + 1)])
def test_time_travel_with_an_invalid_version_is_rejected_as_invalid_schema(
    tenant: Tenant, version: str
) -> None:
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, random_day()))

    response = tenant.http.get(
        tenant.booking_path(external_id), params={"version": version}, headers=tenant.headers
    )

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


def test_time_travel_reads_every_version_around_the_snapshots_of_a_long_booking(
    runtime: Runtime, tenant: Tenant
) -> None:
    external_id = uuid.uuid4().hex
    day = random_day()
    events = 2 * SNAPSHOT_INTERVAL + 30

    def revision(version: int) -> dict[str, Any]:
        return booking_body(
            tenant.court_id,
            day + timedelta(hours=version % 7),
            updated=UPDATED[0] + timedelta(seconds=version),
            participants=[{"email": f"v{version}@example.com"}],
        )

    for version in range(1, events + 1):
        assert tenant.put(external_id, revision(version)).status_code in (200, 201)
    booking_id = court_booking_id(uuid.UUID(tenant.client_id), external_id)
    assert runtime.ledger.snapshots is not None
    snapshots = [snapshot.originator_version for snapshot in runtime.ledger.snapshots.get(booking_id)]

    assert snapshots == [SNAPSHOT_INTERVAL, 2 * SNAPSHOT_INTERVAL]
    for version in (1, 99, 100, 101, 150, 199, 200, 201, events - 1, events):
        response = tenant.http.get(
            tenant.booking_path(external_id), params={"version": version}, headers=tenant.headers
        )
        booking = expect(response, 200)
        written = revision(version)
        assert response.headers["ETag"] == f'"{version}"'
        assert booking["participants"] == written["participants"], version
        assert datetime.fromisoformat(booking["startDate"]) == datetime.fromisoformat(written["startDate"])
        assert booking["externalUpdatedAt"] == written["externalUpdatedAt"], version


def test_history_shows_each_events_hash_as_stored_in_its_streams_chain(
    runtime: Runtime, tenant: Tenant
) -> None:
    day = random_day()
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, day, updated=UPDATED[0]))
    tenant.put(external_id, booking_body(tenant.court_id, day + timedelta(hours=1), updated=UPDATED[1]))
    booking_id = court_booking_id(uuid.UUID(tenant.client_id), external_id)

    events = history(tenant, external_id)

    recorder: Any = runtime.ledger.recorder
    stored = [digest.hex() for _, digest in recorder.select_hashed_events(booking_id)]
    assert [event["hash"] for event in events] == stored
    assert all(re.fullmatch(r"[0-9a-f]{64}", event["hash"]) for event in events)
    assert events[0]["hash"] != events[1]["hash"]
