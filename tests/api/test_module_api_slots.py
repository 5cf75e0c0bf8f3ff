"""The module API's booking slots: the earliest ones, those of a range, and the range's checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.module_support import BERLIN, ModuleOrg, code_of, local_day, make_module_org
from tests.support import expect


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers)


def earliest(org: ModuleOrg) -> dict[str, Any]:
    body: dict[str, Any] = expect(org.get(f"bookingTemplate/{org.template_id}/bookingSlot/earliest"), 200)
    return body


def starts(slots: list[dict[str, Any]]) -> list[datetime]:
    return [datetime.fromisoformat(str(slot["timestamp"])) for slot in slots]


def test_the_earliest_slot_is_the_first_quarter_hour_after_the_booking_lead_time(org: ModuleOrg) -> None:
    before = datetime.now(UTC)
    body = earliest(org)

    assert set(body) == {"rangeStart", "rangeEnd", "timeZone", "bookingSlotList"}
    assert body["timeZone"] == "Europe/Berlin"
    [slot] = body["bookingSlotList"]
    assert set(slot) == {"class", "id", "timestamp", "bookingResourceCombination"}
    assert slot["class"] == "BOOKING_SLOT"
    assert slot["bookingResourceCombination"] == [org.tenant.court_id]
    start = datetime.fromisoformat(slot["timestamp"])
    assert start.utcoffset() == start.astimezone(BERLIN).utcoffset()
    assert before + timedelta(minutes=120) <= start < datetime.now(UTC) + timedelta(minutes=135)
    assert (start.minute % 15, start.second) == (0, 0)
    range_start = datetime.fromisoformat(str(body["rangeStart"]))
    range_end = datetime.fromisoformat(str(body["rangeEnd"]))
    assert range_start <= start < range_end
    assert range_end == local_day(15)


def test_once_the_earliest_slot_is_booked_the_next_earliest_starts_when_it_ends(org: ModuleOrg) -> None:
    [first] = earliest(org)["bookingSlotList"]
    expect(org.add(first["id"]), 201)

    [second] = earliest(org)["bookingSlotList"]

    first_start = datetime.fromisoformat(first["timestamp"])
    assert datetime.fromisoformat(second["timestamp"]) == first_start + timedelta(minutes=60)


def test_a_template_without_any_slot_in_its_window_answers_no_earliest_slot(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    org = make_module_org(http, admin_headers)
    closed = {
        "capacity": 4, "basePrice": "25.00", "currency": "EUR", "priceUnit": "hour",
        "bookingIntervalMinutes": 30, "minBookingDurationMinutes": 60, "maxBookingDurationMinutes": 180,
        "minAdvanceBookingMinutes": 60, "maxAdvanceBookingDays": 30, "preventUnbookableGaps": False,
        "isBookable": False, "openingHours": [],
    }  # fmt: skip
    rules = f"/api/v1/admin/resources/{org.tenant.court_id}/booking-rules"
    expect(http.put(rules, json=closed, headers=admin_headers), 200)

    assert earliest(org)["bookingSlotList"] == []


def test_a_range_lists_every_quarter_hour_of_a_day_on_a_free_court(org: ModuleOrg) -> None:
    day, next_day = local_day(3), local_day(4)

    slots = org.slots(day)

    quarter_hours = (next_day.astimezone(UTC) - day.astimezone(UTC)) // timedelta(minutes=15)
    assert len(slots) == quarter_hours
    assert starts(slots)[0] == day
    assert len({slot["id"] for slot in slots}) == len(slots)


def test_a_booked_appointment_takes_its_time_out_of_the_range(org: ModuleOrg) -> None:
    ten = local_day(3, 10)
    expect(org.add(org.slot_at(ten)["id"]), 201)

    listed = set(starts(org.slots(local_day(3))))

    assert {ten - timedelta(minutes=60), ten + timedelta(minutes=60)} <= listed
    assert not {ten - timedelta(minutes=45), ten, ten + timedelta(minutes=45)} & listed


def test_an_offset_whose_plus_was_not_percent_encoded_is_read_as_written(org: ModuleOrg) -> None:
    day = local_day(3)
    assert day.isoformat().endswith(("+01:00", "+02:00"))
    query = f"rangeStart={day.isoformat()}&rangeEnd={(day + timedelta(hours=1)).isoformat()}"
    path = f"{org.path(f'bookingTemplate/{org.template_id}/bookingSlot/list')}?{query}"

    body = expect(org.http.get(path, headers=org.headers), 200)

    assert starts(body["bookingSlotList"])[0] == day


@pytest.mark.parametrize(
    ("range_start", "range_end"),
    [
        ("2030-05-01T00:00:00+02:00", "2030-05-08T00:00:01+02:00"),
        ("2030-05-02T00:00:00+02:00", "2030-05-01T00:00:00+02:00"),
        ("2030-05-01T00:00:00+02:00", "2030-05-01T00:00:00+02:00"),
        ("2030-05-01T00:00:00", "2030-05-02T00:00:00"),
        ("2030-05-01", "2030-05-02T00:00:00Z"),
        ("tomorrow", "2030-05-02T00:00:00Z"),
        ("9999-12-31T23:00:00+00:00", "9999-12-31T23:30:00+00:00"),
        ("0001-01-01T00:30:00+05:00", "0001-01-01T01:00:00+05:00"),
        (None, "2030-05-02T00:00:00Z"),
        ("2030-05-01T00:00:00Z", None),
    ],
)
def test_a_range_over_7_days_reversed_without_offsets_or_missing_is_refused(
    org: ModuleOrg, range_start: str | None, range_end: str | None
) -> None:
    params = {name: value for name, value in (("rangeStart", range_start), ("rangeEnd", range_end)) if value}

    response = org.get(f"bookingTemplate/{org.template_id}/bookingSlot/list", params=params)

    assert code_of(response, 400) == "invalid_booking_slot_range"


def test_a_range_of_exactly_7_days_is_listed(org: ModuleOrg) -> None:
    slots = org.slots(local_day(2), days=7)

    assert len(slots) > 600


@pytest.mark.parametrize("rest", ["bookingSlot/earliest", "bookingSlot/list?rangeStart=2030-05-01T00:00:00Z"])
def test_an_unknown_or_other_organizations_template_is_not_found(
    org: ModuleOrg, http: httpx.Client, admin_headers: dict[str, str], rest: str
) -> None:
    other = make_module_org(http, admin_headers)
    rest += "&rangeEnd=2030-05-02T00:00:00Z" if "?" in rest else ""

    for template_id in (str(uuid.uuid4()), other.template_id):
        response = org.get(f"bookingTemplate/{template_id}/{rest}")
        assert code_of(response, 404) == "booking_template_not_found"


def test_a_template_id_that_is_no_uuid_is_refused_naming_it(org: ModuleOrg) -> None:
    response = org.get("bookingTemplate/fc12345678910AbcDefGh1112/bookingSlot/earliest")

    assert code_of(response, 400) == "invalid_id"
    assert "templateId" in response.json()["messageList"][0]["message"]


def test_a_template_id_without_hyphens_is_accepted(org: ModuleOrg) -> None:
    response = org.get(f"bookingTemplate/{uuid.UUID(org.template_id).hex}/bookingSlot/earliest")

    assert expect(response, 200)["bookingSlotList"]
