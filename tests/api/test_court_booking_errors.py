"""Court-booking errors over HTTP: every error type, which fault wins, and bad input that writes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.support import Tenant, booking_body, expect, instant, make_tenant, random_day

T1 = datetime(2030, 1, 1, tzinfo=UTC)
T2 = T1 + timedelta(minutes=1)
MIB = 1024 * 1024
JSON = {"Content-Type": "application/json"}


def new_id() -> str:
    return uuid.uuid4().hex


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """Assert the status and the `{"error": {"type", "message", "issues"?}}` format; return the error."""
    body = expect(response, status)
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert set(error) <= {"type", "message", "issues"}
    assert isinstance(error["type"], str)
    assert isinstance(error["message"], str)
    return error


def error_type(response: httpx.Response, status: int) -> str:
    kind: str = error_of(response, status)["type"]
    return kind


def valid_body(tenant: Tenant, **changes: Any) -> dict[str, Any]:
    return {**booking_body(tenant.court_id, random_day() + timedelta(hours=9)), **changes}


def put_raw(
    tenant: Tenant, external_id: str, content: bytes, headers: dict[str, str] | None = None
) -> httpx.Response:
    return tenant.http.put(
        tenant.booking_path(external_id),
        content=content,
        headers={**tenant.headers, **JSON, **(headers or {})},
    )


def assert_not_written(tenant: Tenant, external_id: str) -> None:
    response = tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers)
    assert error_type(response, 404) == "court_booking_not_found"


def issue_paths(error: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {tuple(issue["path"]) for issue in error["issues"]}


def revoke_key(tenant: Tenant) -> None:
    path = f"/api/v1/admin/clients/{tenant.client_id}/api-keys/{tenant.key_id}"
    expect(tenant.http.delete(path, headers=tenant.admin_headers), 204)


# --- 401 ----------------------------------------------------------------------------------------------------


def test_missing_api_token_is_refused_as_missing_api_token(tenant: Tenant) -> None:
    external_id = new_id()

    response = tenant.http.put(tenant.booking_path(external_id), json=valid_body(tenant))

    assert error_type(response, 401) == "missing_api_token"
    assert_not_written(tenant, external_id)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Authorization": "Basic dXNlcjpwYXNz"}, id="basic-scheme"),
        pytest.param({"Authorization": "Bearer"}, id="bearer-without-key"),
        pytest.param({"x-api-key": ""}, id="empty-x-api-key"),
    ],
)
def test_unusable_authorization_headers_are_refused_as_missing_api_token(
    tenant: Tenant, headers: dict[str, str]
) -> None:
    response = tenant.http.put(tenant.booking_path(new_id()), json=valid_body(tenant), headers=headers)

    assert error_type(response, 401) == "missing_api_token"


def test_unknown_api_key_is_refused_as_invalid_api_token(tenant: Tenant) -> None:
    external_id = new_id()

    response = tenant.http.put(
        tenant.booking_path(external_id), json=valid_body(tenant), headers={"x-api-key": f"nope-{new_id()}"}
    )

    assert error_type(response, 401) == "invalid_api_token"
    assert_not_written(tenant, external_id)


def test_revoked_api_key_is_refused_as_invalid_api_token(tenant: Tenant) -> None:
    expect(tenant.put(new_id(), valid_body(tenant)), 201)
    revoke_key(tenant)

    response = tenant.put(new_id(), valid_body(tenant))

    assert error_type(response, 401) == "invalid_api_token"
    assert response.headers["WWW-Authenticate"] == "Bearer"


# --- 403 ----------------------------------------------------------------------------------------------------


def test_read_only_client_is_refused_as_scope_permission_denied(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    reader = make_tenant(http, admin_headers, scopes=["court-bookings:read"])
    external_id = new_id()

    response = reader.put(external_id, valid_body(reader))

    assert error_type(response, 403) == "scope_permission_denied"
    assert_not_written(reader, external_id)


def test_read_only_client_cannot_cancel(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    reader = make_tenant(http, admin_headers, scopes=["court-bookings:read"])

    response = reader.http.delete(
        reader.booking_path(new_id()), params={"externalUpdatedAt": instant(T1)}, headers=reader.headers
    )

    assert error_type(response, 403) == "scope_permission_denied"


def test_key_used_on_another_services_path_is_external_service_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    external_id = new_id()
    path = tenant.booking_path(external_id, service_id=other_tenant.client_id)

    response = tenant.http.put(path, json=valid_body(other_tenant), headers=tenant.headers)

    assert error_type(response, 403) == "external_service_access_denied"
    assert_not_written(other_tenant, external_id)


def test_key_reading_another_services_booking_is_external_service_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    external_id = new_id()
    expect(other_tenant.put(external_id, valid_body(other_tenant)), 201)

    response = tenant.http.get(
        tenant.booking_path(external_id, other_tenant.client_id), headers=tenant.headers
    )

    assert error_type(response, 403) == "external_service_access_denied"


def test_booking_a_court_of_an_ungranted_organization_is_organization_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    external_id = new_id()

    response = tenant.put(external_id, valid_body(tenant, courtId=other_tenant.court_id))

    assert error_type(response, 403) == "organization_access_denied"
    assert_not_written(tenant, external_id)


def test_participant_user_not_linked_to_the_service_is_user_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    external_id = new_id()
    participants = [{"userId": tenant.user_id}, {"userId": other_tenant.user_id}]

    response = tenant.put(external_id, valid_body(tenant, participants=participants))

    assert error_type(response, 403) == "user_access_denied"
    assert_not_written(tenant, external_id)


def test_unknown_participant_user_is_user_access_denied(tenant: Tenant) -> None:
    response = tenant.put(new_id(), valid_body(tenant, participants=[{"userId": str(uuid.uuid4())}]))

    assert error_type(response, 403) == "user_access_denied"


# --- 404 ----------------------------------------------------------------------------------------------------


def test_unknown_court_is_court_not_found(tenant: Tenant) -> None:
    external_id = new_id()

    response = tenant.put(external_id, valid_body(tenant, courtId=str(uuid.uuid4())))

    assert error_type(response, 404) == "court_not_found"
    assert_not_written(tenant, external_id)


# --- 400 ----------------------------------------------------------------------------------------------------


def test_invalid_schema_lists_an_issue_for_each_field_problem(tenant: Tenant) -> None:
    external_id = new_id()
    body = {
        "courtId": "not-a-uuid",
        "startDate": "2030-01-01T10:00:00",
        "endDate": "yesterday",
        "participants": [],
    }

    response = tenant.put(external_id, body)

    error = error_of(response, 400)
    assert error["type"] == "invalid_schema"
    assert {path[0] for path in issue_paths(error)} >= {
        "courtId",
        "startDate",
        "endDate",
        "externalUpdatedAt",
        "participants",
    }
    assert all(isinstance(issue["message"], str) and issue["code"] for issue in error["issues"])
    assert_not_written(tenant, external_id)


def test_invalid_participant_email_is_invalid_schema_at_its_path(tenant: Tenant) -> None:
    participants = [{"email": "ok@example.com"}, {"email": "not an email"}]

    error = error_of(tenant.put(new_id(), valid_body(tenant, participants=participants)), 400)

    assert error["type"] == "invalid_schema"
    assert ("participants", 1, "email") in issue_paths(error)


@pytest.mark.parametrize(
    "participant",
    [
        pytest.param({}, id="neither"),
        pytest.param({"userId": None, "email": None}, id="both-null"),
        pytest.param({"userId": "USER", "email": "both@example.com"}, id="both"),
    ],
)
def test_participant_with_both_or_neither_of_user_id_and_email_is_mutually_exclusive_fields_violation(
    tenant: Tenant, participant: dict[str, Any]
) -> None:
    external_id = new_id()
    filled = {key: tenant.user_id if value == "USER" else value for key, value in participant.items()}

    response = tenant.put(external_id, valid_body(tenant, participants=[{"email": "a@example.com"}, filled]))

    assert error_type(response, 400) == "mutually_exclusive_fields_violation"
    assert_not_written(tenant, external_id)


@pytest.mark.parametrize(
    "participants",
    [
        pytest.param([{"email": "A@x.com"}, {"email": "a@x.com"}], id="email-differing-in-case"),
        pytest.param([{"email": "b@example.com"}, {"email": "b@example.com"}], id="same-email"),
        pytest.param([{"userId": "USER"}, {"userId": "USER"}], id="same-user"),
    ],
)
def test_duplicate_participants_are_duplicate_entries_provided(
    tenant: Tenant, participants: list[dict[str, str]]
) -> None:
    external_id = new_id()
    filled = [
        {key: tenant.user_id if value == "USER" else value for key, value in p.items()} for p in participants
    ]

    response = tenant.put(external_id, valid_body(tenant, participants=filled))

    assert error_type(response, 400) == "duplicate_entries_provided"
    assert_not_written(tenant, external_id)


@pytest.mark.parametrize(
    "count", [pytest.param(0, id="none"), pytest.param(5, id="five"), pytest.param(10_000, id="ten-thousand")]
)
def test_participant_count_outside_one_to_four_is_invalid_schema(tenant: Tenant, count: int) -> None:
    external_id = new_id()
    participants = [{"email": f"p{index}@example.com"} for index in range(count)]

    response = tenant.put(external_id, valid_body(tenant, participants=participants))

    assert error_type(response, 400) == "invalid_schema"
    assert_not_written(tenant, external_id)


@pytest.mark.parametrize(
    ("start_hour", "hours"),
    [
        pytest.param(10, 0, id="empty"),
        pytest.param(10, -1, id="reversed"),
        pytest.param(0, 24 * 7 + 1 / 60, id="seven-days-and-a-minute"),
        pytest.param(0, 24 * 30, id="thirty-days"),
    ],
)
def test_time_range_not_forward_or_longer_than_seven_days_is_invalid_time_range(
    tenant: Tenant, start_hour: int, hours: float
) -> None:
    external_id = new_id()
    body = booking_body(tenant.court_id, random_day() + timedelta(hours=start_hour), hours=hours)

    response = tenant.put(external_id, body)

    assert error_type(response, 400) == "invalid_time_range"
    assert_not_written(tenant, external_id)


def test_cancel_without_external_updated_at_is_invalid_schema(tenant: Tenant) -> None:
    external_id = new_id()
    expect(tenant.put(external_id, valid_body(tenant)), 201)

    response = tenant.http.delete(tenant.booking_path(external_id), headers=tenant.headers)

    error = error_of(response, 400)
    assert error["type"] == "invalid_schema"
    assert any("externalUpdatedAt" in issue["path"] for issue in error["issues"])
    assert expect(tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers), 200)[
        "status"
    ] == ("active")


def test_cancel_with_a_datetime_without_offset_is_invalid_schema(tenant: Tenant) -> None:
    external_id = new_id()
    expect(tenant.put(external_id, valid_body(tenant)), 201)

    response = tenant.http.delete(
        tenant.booking_path(external_id),
        params={"externalUpdatedAt": "2031-01-01T10:00:00"},
        headers=tenant.headers,
    )

    assert error_type(response, 400) == "invalid_schema"


@pytest.mark.parametrize("version", ["0", "-1", "abc", str(2**40)])
def test_get_with_a_malformed_version_is_invalid_schema(tenant: Tenant, version: str) -> None:
    external_id = new_id()
    expect(tenant.put(external_id, valid_body(tenant)), 201)

    response = tenant.http.get(
        tenant.booking_path(external_id), params={"version": version}, headers=tenant.headers
    )

    assert error_type(response, 400) == "invalid_schema"


# --- 409 ----------------------------------------------------------------------------------------------------


def test_stale_write_version_conflict_and_overlap_are_409s_with_their_types(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    expect(tenant.put(external_id, booking_body(tenant.court_id, start, updated=T2)), 201)

    stale = tenant.put(external_id, booking_body(tenant.court_id, start, updated=T1))
    conflict = tenant.put(external_id, booking_body(tenant.court_id, start, hours=2, updated=T2))
    overlap = tenant.put(new_id(), booking_body(tenant.court_id, start))

    assert error_type(stale, 409) == "stale_write"
    assert error_type(conflict, 409) == "version_conflict"
    assert error_type(overlap, 409) == "court_booking_overlap"


# --- which fault wins ---------------------------------------------------------------------------------------


def test_bad_body_without_a_token_is_missing_api_token(tenant: Tenant) -> None:
    response = tenant.http.put(tenant.booking_path(new_id()), json={"courtId": "nope"})

    assert error_type(response, 401) == "missing_api_token"


def test_malformed_json_without_a_token_is_missing_api_token(tenant: Tenant) -> None:
    response = tenant.http.put(tenant.booking_path(new_id()), content=b'{"courtId": ', headers=JSON)

    assert error_type(response, 401) == "missing_api_token"


def test_bad_body_with_a_revoked_key_is_invalid_api_token(tenant: Tenant) -> None:
    revoke_key(tenant)

    response = tenant.put(new_id(), {"courtId": "nope", "participants": []})

    assert error_type(response, 401) == "invalid_api_token"


def test_bad_body_from_a_read_only_client_is_scope_permission_denied(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    reader = make_tenant(http, admin_headers, scopes=["court-bookings:read"])

    response = reader.put(new_id(), {"courtId": "nope"})

    assert error_type(response, 403) == "scope_permission_denied"


def test_bad_body_on_another_services_path_is_external_service_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    path = tenant.booking_path(new_id(), service_id=other_tenant.client_id)

    response = tenant.http.put(path, json={"courtId": "nope"}, headers=tenant.headers)

    assert error_type(response, 403) == "external_service_access_denied"


def test_malformed_json_on_another_services_path_is_external_service_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    path = tenant.booking_path(new_id(), service_id=other_tenant.client_id)

    response = tenant.http.put(path, content=b"{not json", headers={**tenant.headers, **JSON})

    assert error_type(response, 403) == "external_service_access_denied"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"participants": []}, "invalid_schema", id="schema"),
        pytest.param({"endDate": "2000-01-01T00:00:00Z"}, "invalid_time_range", id="time-range"),
        pytest.param(
            {"participants": [{"email": "A@x.com"}, {"email": "a@x.com"}]},
            "duplicate_entries_provided",
            id="dupes",
        ),
        pytest.param({"participants": [{}]}, "mutually_exclusive_fields_violation", id="exclusive"),
    ],
)
def test_bad_body_naming_an_unknown_court_is_a_400(
    tenant: Tenant, changes: dict[str, Any], expected: str
) -> None:
    response = tenant.put(new_id(), valid_body(tenant, courtId=str(uuid.uuid4()), **changes))

    assert error_type(response, 400) == expected


def test_bad_body_naming_another_organizations_court_is_a_400(tenant: Tenant, other_tenant: Tenant) -> None:
    body = valid_body(tenant, courtId=other_tenant.court_id, endDate="2000-01-01T00:00:00Z")

    assert error_type(tenant.put(new_id(), body), 400) == "invalid_time_range"


def test_unknown_court_with_an_unlinked_user_is_court_not_found(tenant: Tenant, other_tenant: Tenant) -> None:
    body = valid_body(tenant, courtId=str(uuid.uuid4()), participants=[{"userId": other_tenant.user_id}])

    assert error_type(tenant.put(new_id(), body), 404) == "court_not_found"


def test_another_organizations_court_with_an_unlinked_user_is_organization_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    body = valid_body(tenant, courtId=other_tenant.court_id, participants=[{"userId": other_tenant.user_id}])

    assert error_type(tenant.put(new_id(), body), 403) == "organization_access_denied"


def test_another_organizations_court_over_an_existing_booking_is_organization_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    start = random_day() + timedelta(hours=9)
    expect(other_tenant.put(new_id(), booking_body(other_tenant.court_id, start)), 201)

    response = tenant.put(new_id(), booking_body(other_tenant.court_id, start))

    assert error_type(response, 403) == "organization_access_denied"


def test_unlinked_user_over_an_existing_booking_is_user_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    start = random_day() + timedelta(hours=9)
    expect(tenant.put(new_id(), booking_body(tenant.court_id, start)), 201)

    response = tenant.put(
        new_id(), booking_body(tenant.court_id, start, participants=[{"userId": other_tenant.user_id}])
    )

    assert error_type(response, 403) == "user_access_denied"


def test_stale_write_with_a_bad_time_range_is_invalid_time_range(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    expect(tenant.put(external_id, booking_body(tenant.court_id, start, updated=T2)), 201)

    response = tenant.put(external_id, booking_body(tenant.court_id, start, hours=-1, updated=T1))

    assert error_type(response, 400) == "invalid_time_range"


def test_stale_write_naming_an_unknown_court_is_court_not_found(tenant: Tenant) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    expect(tenant.put(external_id, booking_body(tenant.court_id, start, updated=T2)), 201)

    response = tenant.put(external_id, booking_body(str(uuid.uuid4()), start, updated=T1))

    assert error_type(response, 404) == "court_not_found"


def test_stale_write_with_an_unlinked_user_is_user_access_denied(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    external_id, start = new_id(), random_day() + timedelta(hours=9)
    expect(tenant.put(external_id, booking_body(tenant.court_id, start, updated=T2)), 201)
    participants = [{"userId": other_tenant.user_id}]

    response = tenant.put(
        external_id, booking_body(tenant.court_id, start, updated=T1, participants=participants)
    )

    assert error_type(response, 403) == "user_access_denied"


# --- bad input never gives 5xx and writes nothing ---------------------------------------------------------


def raw_body(tenant: Tenant, **replacements: str) -> bytes:
    """A valid body as JSON text, with some fields' values replaced by raw JSON tokens."""
    body = valid_body(tenant)
    text = json.dumps({key: f"@@{key}@@" if key in replacements else value for key, value in body.items()})
    for key, token in replacements.items():
        text = text.replace(f'"@@{key}@@"', token)
    return text.encode()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda t: b'{"courtId": ', id="truncated-json"),
        pytest.param(lambda t: b"{'courtId': 1}", id="single-quoted-json"),
        pytest.param(lambda t: b"[]", id="json-array"),
        pytest.param(lambda t: b'"just a string"', id="json-string"),
        pytest.param(lambda t: b"null", id="json-null"),
        pytest.param(lambda t: b"\xff\xfe\x00", id="not-utf8"),
        pytest.param(lambda t: raw_body(t, courtId="123"), id="court-id-number"),
        pytest.param(lambda t: raw_body(t, courtId='"not-a-uuid"'), id="court-id-not-uuid"),
        pytest.param(lambda t: raw_body(t, startDate="true"), id="start-bool"),
        pytest.param(lambda t: raw_body(t, startDate='"2030-01-01T10:00:00"'), id="start-without-offset"),
        pytest.param(lambda t: raw_body(t, endDate='"tomorrow"'), id="end-not-a-date"),
        pytest.param(lambda t: raw_body(t, externalUpdatedAt="{}"), id="updated-object"),
        pytest.param(lambda t: raw_body(t, participants='"alice@example.com"'), id="participants-string"),
        pytest.param(lambda t: raw_body(t, participants='[{"email": 5}]'), id="email-number"),
        pytest.param(lambda t: raw_body(t, participants='[{"userId": "x"}]'), id="user-id-not-uuid"),
        pytest.param(lambda t: raw_body(t, participants="[null]"), id="participant-null"),
        pytest.param(lambda t: raw_body(t, courtId="NaN"), id="court-id-nan"),
        pytest.param(lambda t: raw_body(t, startDate="NaN"), id="start-nan"),
        pytest.param(lambda t: raw_body(t, endDate="Infinity"), id="end-infinity"),
        pytest.param(lambda t: raw_body(t, externalUpdatedAt="-Infinity"), id="updated-minus-infinity"),
        pytest.param(lambda t: raw_body(t, startDate="1e999"), id="start-overflowing-float"),
        pytest.param(lambda t: raw_body(t, startDate="9" * 40), id="start-huge-integer"),
        pytest.param(lambda t: raw_body(t, courtId="9" * 400), id="court-id-huge-integer"),
        pytest.param(lambda t: raw_body(t, endDate="9" * 5000), id="end-integer-beyond-the-digit-limit"),
        pytest.param(lambda t: raw_body(t, startDate="2345000000"), id="start-unix-time-number"),
        pytest.param(
            lambda t: raw_body(t, startDate='"9999-12-31T23:00:00-05:00"'), id="start-year-10000-utc"
        ),
        pytest.param(lambda t: raw_body(t, endDate='"0001-01-01T00:00:00+05:00"'), id="end-before-year-1"),
        pytest.param(lambda t: raw_body(t, startDate='"9999-12-31T23:59:59Z"'), id="start-year-9999"),
        pytest.param(
            lambda t: raw_body(t, externalUpdatedAt='"1000-01-01T00:00:00Z"'), id="updated-year-1000"
        ),
    ],
)
def test_bad_body_is_rejected_as_invalid_schema_and_writes_nothing(
    tenant: Tenant, content: Callable[[Tenant], bytes]
) -> None:
    external_id = new_id()

    response = put_raw(tenant, external_id, content(tenant))

    assert error_type(response, 400) == "invalid_schema"
    assert_not_written(tenant, external_id)


def test_missing_body_is_invalid_schema(tenant: Tenant) -> None:
    external_id = new_id()

    response = tenant.http.put(tenant.booking_path(external_id), headers=tenant.headers)

    assert error_type(response, 400) == "invalid_schema"
    assert_not_written(tenant, external_id)


def test_body_over_one_mebibyte_is_payload_too_large(tenant: Tenant) -> None:
    external_id = new_id()
    body = valid_body(tenant, padding="x" * MIB)

    response = tenant.put(external_id, body)

    assert error_type(response, 413) == "payload_too_large"
    assert_not_written(tenant, external_id)


def test_streamed_body_over_one_mebibyte_without_length_is_payload_too_large(tenant: Tenant) -> None:
    external_id = new_id()
    encoded = json.dumps(valid_body(tenant, padding="x" * MIB)).encode()

    def chunks() -> Iterator[bytes]:
        for offset in range(0, len(encoded), 64 * 1024):
            yield encoded[offset : offset + 64 * 1024]

    response = tenant.http.put(
        tenant.booking_path(external_id), content=chunks(), headers={**tenant.headers, **JSON}
    )

    assert error_type(response, 413) == "payload_too_large"
    assert_not_written(tenant, external_id)


def test_body_just_under_one_mebibyte_is_accepted(tenant: Tenant) -> None:
    body = valid_body(tenant, padding="")
    body["padding"] = "x" * (MIB - len(json.dumps(body).encode()) - 100)

    response = tenant.put(new_id(), body)

    assert expect(response, 201)["status"] == "active"


def test_external_id_of_256_characters_is_invalid_schema(tenant: Tenant) -> None:
    external_id = new_id() + "x" * (256 - 32)

    response = tenant.put(external_id, valid_body(tenant))

    assert error_type(response, 400) == "invalid_schema"
    assert (
        expect(tenant.put(external_id[:255], valid_body(tenant)), 201)["externalCourtBookingId"]
        == (external_id[:255])
    )


@pytest.mark.parametrize("character", ["%00", "%0A", "%1F", "%7F"])
def test_external_id_with_a_control_character_is_a_client_error(tenant: Tenant, character: str) -> None:
    prefix = new_id()
    path = tenant.booking_path(f"{prefix}{character}x")

    response = tenant.http.put(path, json=valid_body(tenant), headers=tenant.headers)

    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text}"
    assert_not_written(tenant, f"{prefix}x")
    assert_not_written(tenant, prefix)


@pytest.mark.parametrize("service_id", ["not-a-uuid", "1234", quote("'; DROP TABLE x--", safe="")])
def test_non_uuid_external_service_id_is_a_client_error(tenant: Tenant, service_id: str) -> None:
    external_id = new_id()

    response = tenant.http.put(
        tenant.booking_path(external_id, service_id=service_id),
        json=valid_body(tenant),
        headers=tenant.headers,
    )

    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text}"
    assert set(response.json()) == {"error"}
    assert_not_written(tenant, external_id)


def test_error_responses_echo_the_request_id_and_continue_the_trace(tenant: Tenant) -> None:
    request_id, trace_id = f"req-{new_id()}", uuid.uuid4().hex
    headers = {"X-Request-ID": request_id, "traceparent": f"00-{trace_id}-{uuid.uuid4().hex[:16]}-00"}

    response = tenant.http.put(tenant.booking_path(new_id()), json={}, headers=headers)

    assert error_type(response, 401) == "missing_api_token"
    assert response.headers["X-Request-ID"] == request_id
    assert response.headers["traceparent"].split("-")[1] == trace_id


def test_payload_too_large_response_echoes_the_request_id(tenant: Tenant) -> None:
    request_id = f"req-{new_id()}"

    response = tenant.http.put(
        tenant.booking_path(new_id()),
        json=valid_body(tenant, padding="x" * MIB),
        headers={**tenant.headers, "X-Request-ID": request_id},
    )

    assert error_type(response, 413) == "payload_too_large"
    assert response.headers["X-Request-ID"] == request_id
