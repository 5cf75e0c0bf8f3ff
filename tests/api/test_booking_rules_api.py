"""The admin API's resource bookings over HTTP: booking rules set at once, operators confirming bookings."""

from __future__ import annotations

import copy
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from domain.context import ADMIN as ADMIN_PRINCIPAL
from domain.context import Principal, RequestContext
from domain.organization import Resource
from domain.resource_booking import ResourceBooking
from ledger.runtime import Runtime
from tests.support import Tenant, expect, random_day
from tests.unit.availability_support import berlin

ADMIN = "/api/v1/admin"
RULES: dict[str, Any] = {
    "capacity": 4,
    "basePrice": "25.00",
    "currency": "EUR",
    "priceUnit": "hour",
    "bookingIntervalMinutes": 30,
    "minBookingDurationMinutes": 60,
    "maxBookingDurationMinutes": 180,
    "minAdvanceBookingMinutes": 60,
    "maxAdvanceBookingDays": 3660,
    "preventUnbookableGaps": True,
    "isBookable": True,
    # In the order the answer lists them: by weekday, then start.
    "openingHours": [
        {"weekday": day, "startTime": start, "endTime": end, "pricePerHour": price, "label": label}
        for day in range(7)
        for start, end, price, label in (
            ("08:00", "14:00", "25.00", ""),
            ("15:30", "22:00", "30.00", "Peak Hours"),
        )
    ],
}


def rules_path(resource: str | int) -> str:
    return f"{ADMIN}/resources/{resource}/booking-rules"


def put_rules(tenant: Tenant, body: dict[str, Any], resource: str | int | None = None) -> httpx.Response:
    return tenant.http.put(rules_path(resource or tenant.court_id), json=body, headers=tenant.admin_headers)


def changed(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(RULES)
    body.update(changes)
    return body


def error_type(response: httpx.Response, status: int) -> str:
    body = expect(response, status)
    assert set(body) == {"error"}
    assert body["error"]["message"]
    result: str = body["error"]["type"]
    return result


def test_putting_booking_rules_answers_200_with_the_resource_its_number_and_its_rules(tenant: Tenant) -> None:
    resource = expect(put_rules(tenant, RULES), 200)

    assert resource["id"] == tenant.court_id
    assert isinstance(resource["number"], int)
    assert (resource["organizationId"], resource["venueId"], resource["name"]) == (
        tenant.organization_id,
        tenant.venue_id,
        "Court 1",
    )
    assert {key: resource[key] for key in RULES} == RULES


def test_money_fields_accept_a_json_number_and_answer_two_decimals(tenant: Tenant) -> None:
    opening = {"weekday": 0, "startTime": "08:00", "endTime": "24:00", "pricePerHour": 27.5}

    resource = expect(put_rules(tenant, changed(basePrice=25, openingHours=[opening])), 200)

    assert resource["basePrice"] == "25.00"
    assert resource["openingHours"] == [
        {"weekday": 0, "startTime": "08:00", "endTime": "24:00", "pricePerHour": "27.50", "label": ""}
    ]


def test_booking_rules_are_put_through_the_resources_number(tenant: Tenant) -> None:
    number = expect(put_rules(tenant, RULES), 200)["number"]

    resource = expect(put_rules(tenant, changed(capacity=6), resource=number), 200)

    assert (resource["id"], resource["capacity"]) == (tenant.court_id, 6)


def test_each_price_change_is_an_event_in_the_resources_history(tenant: Tenant, runtime: Runtime) -> None:
    expect(put_rules(tenant, RULES), 200)
    expect(put_rules(tenant, RULES), 200)
    expect(put_rules(tenant, changed(basePrice="27.00")), 200)

    history = list(runtime.ledger.events.get(uuid.UUID(tenant.court_id)))

    changes = [event for event in history if isinstance(event, Resource.BookingRulesSet)]
    assert [change.rules["base_price"] for change in changes] == ["25.00", "27.00"]


def test_putting_booking_rules_without_the_admin_token_is_refused(tenant: Tenant) -> None:
    path = rules_path(tenant.court_id)

    missing = tenant.http.put(path, json=RULES)
    wrong = tenant.http.put(path, json=RULES, headers={"Authorization": "Bearer not-the-admin-token"})
    client_key = tenant.http.put(path, json=RULES, headers=tenant.headers)

    assert error_type(missing, 401) == "missing_api_token"
    assert error_type(wrong, 401) == "invalid_api_token"
    assert error_type(client_key, 401) == "invalid_api_token"


def test_a_malformed_body_without_the_admin_token_is_refused_for_the_token_first(tenant: Tenant) -> None:
    assert error_type(tenant.http.put(rules_path(tenant.court_id), json={}), 401) == "missing_api_token"


def opening(**changes: Any) -> list[dict[str, Any]]:
    return [{"weekday": 0, "startTime": "08:00", "endTime": "14:00", "pricePerHour": "25.00", **changes}]


@pytest.mark.parametrize(
    "body",
    [
        changed(capacity=0),
        changed(basePrice="-1"),
        changed(basePrice="12.345"),
        changed(currency="eur"),
        changed(bookingIntervalMinutes=0),
        changed(minBookingDurationMinutes=200),
        changed(maxAdvanceBookingDays=0),
        changed(openingHours=opening(weekday=7)),
        changed(openingHours=opening(startTime="25:00")),
        changed(openingHours=opening(endTime="07:00")),
        changed(openingHours=[*opening(), *opening(startTime="13:00", endTime="15:00")]),
        changed(openingHours=opening(pricePerHour="1000000.01")),
    ],
    ids=[
        "capacity-0",
        "negative-price",
        "three-decimals",
        "lower-case-currency",
        "interval-0",
        "min-above-max",
        "no-advance-days",
        "weekday-7",
        "hour-25",
        "ends-before-start",
        "overlapping-ranges",
        "price-too-high",
    ],
)
def test_unacceptable_rules_are_refused_as_invalid_booking_rules(
    tenant: Tenant, body: dict[str, Any]
) -> None:
    assert error_type(put_rules(tenant, body), 400) == "invalid_booking_rules"


@pytest.mark.parametrize(
    "body",
    [
        {key: value for key, value in RULES.items() if key != "openingHours"},
        changed(capacity="4"),
        changed(basePrice=True),
        changed(basePrice="25,00"),
        changed(basePrice="1e3"),
        changed(isBookable="yes"),
        changed(openingHours=opening(pricePerHour=None)),
        changed(openingHours="all day"),
        changed(openingHours=opening(label="Peak\x00Hours")),
    ],
    ids=[
        "missing-hours",
        "capacity-string",
        "price-boolean",
        "price-comma",
        "price-exponent",
        "bookable-string",
        "range-price-null",
        "hours-string",
        "label-with-nul",
    ],
)
def test_malformed_rules_are_refused_as_invalid_schema(tenant: Tenant, body: dict[str, Any]) -> None:
    assert error_type(put_rules(tenant, body), 400) == "invalid_schema"


@pytest.mark.parametrize("resource", ["999999999", str(uuid.uuid4()), "not-a-ref"])
def test_rules_of_an_unknown_resource_are_not_found(tenant: Tenant, resource: str) -> None:
    assert error_type(put_rules(tenant, RULES, resource=resource), 404) == "resource_not_found"


def test_refused_rules_leave_the_resource_as_it_was(tenant: Tenant, runtime: Runtime) -> None:
    expect(put_rules(tenant, RULES), 200)

    error_type(put_rules(tenant, changed(capacity=0)), 400)

    resource = runtime.ledger.resolve_resource(tenant.court_id)
    assert resource.booking_rules is not None
    assert (resource.booking_rules["capacity"], resource.version) == (4, 2)


def booked(tenant: Tenant, runtime: Runtime) -> ResourceBooking:
    """Given: the tenant's court under `RULES` and a pending booking of it made by the tenant's client."""
    expect(put_rules(tenant, RULES), 200)
    client = runtime.ledger.get_client(uuid.UUID(tenant.client_id))
    principal = Principal(
        id=tenant.client_id, kind="client", organization_ids=frozenset(client.organization_ids)
    )
    start = berlin(random_day().date(), 10)
    ctx = RequestContext(principal, start - timedelta(days=1), f"test-{uuid.uuid4().hex}")
    client_id, user_id = uuid.UUID(tenant.client_id), uuid.UUID(tenant.user_id)
    return runtime.ledger.book_resource(
        ctx, client_id, user_id, tenant.court_id, start, start + timedelta(hours=1), 2
    ).value


def confirm_path(ref: str | int | uuid.UUID) -> str:
    return f"{ADMIN}/resource-bookings/{ref}/confirm"


def test_an_operator_confirms_a_pending_booking_by_its_reference_code(
    tenant: Tenant, runtime: Runtime
) -> None:
    booking = booked(tenant, runtime)

    confirmed = expect(
        tenant.http.post(confirm_path(booking.reference_code), headers=tenant.admin_headers), 200
    )
    again = expect(tenant.http.post(confirm_path(booking.number), headers=tenant.admin_headers), 200)

    assert (confirmed["id"], confirmed["number"], confirmed["status"]) == (
        str(booking.id),
        booking.number,
        "confirmed",
    )
    assert (confirmed["referenceCode"], confirmed["totalPrice"], confirmed["currency"]) == (
        booking.reference_code,
        "25.00",
        "EUR",
    )
    assert again == confirmed


def test_a_cancelled_booking_cannot_be_confirmed(tenant: Tenant, runtime: Runtime) -> None:
    booking = booked(tenant, runtime)
    runtime.ledger.cancel_resource_booking(RequestContext(ADMIN_PRINCIPAL, runtime.clock(), "r"), booking.id)

    response = tenant.http.post(confirm_path(booking.id), headers=tenant.admin_headers)

    assert error_type(response, 409) == "booking_not_pending"


@pytest.mark.parametrize("ref", ["999999999", "BK-990101-ZZZZ", str(uuid.uuid4()), "nonsense"])
def test_confirming_an_unknown_booking_is_not_found(tenant: Tenant, ref: str) -> None:
    response = tenant.http.post(confirm_path(ref), headers=tenant.admin_headers)

    assert error_type(response, 404) == "resource_booking_not_found"


def test_confirming_without_the_admin_token_is_refused(tenant: Tenant, runtime: Runtime) -> None:
    booking = booked(tenant, runtime)

    response = tenant.http.post(confirm_path(booking.id), headers=tenant.headers)

    assert error_type(response, 401) == "invalid_api_token"
    assert (
        runtime.ledger.get_resource_booking(
            RequestContext(ADMIN_PRINCIPAL, runtime.clock(), "r"), booking.id
        ).status
        == "pending"
    )


def test_the_admin_openapi_document_describes_both_operations_and_their_errors(http: httpx.Client) -> None:
    paths = expect(http.get("/openapi/admin.json"), 200)["paths"]

    put = paths[f"{ADMIN}/resources/{{resourceId}}/booking-rules"]["put"]
    confirm = paths[f"{ADMIN}/resource-bookings/{{bookingId}}/confirm"]["post"]
    assert {"200", "400", "401", "404"} <= set(put["responses"])
    assert {"200", "401", "404", "409"} <= set(confirm["responses"])
    assert "invalid_booking_rules" in put["responses"]["400"]["description"]
