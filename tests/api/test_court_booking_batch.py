"""The batch upsert over HTTP: results in order, refusals item by item, replays, overlaps, tenants, races."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.racing import Sender, answered, race
from tests.support import Tenant, booking_body, expect, random_day

T1 = datetime(2030, 1, 1, tzinfo=UTC)


def batch_path(tenant: Tenant, service_id: str | None = None) -> str:
    return f"/api/v1/external-services/{service_id or tenant.client_id}/court-bookings/batch"


def item(court_id: str, start: datetime, external_id: str | None = None, **options: Any) -> dict[str, Any]:
    return {
        "externalCourtBookingId": external_id or uuid.uuid4().hex,
        **booking_body(court_id, start, **options),
    }


def send(
    tenant: Tenant, items: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> httpx.Response:
    return tenant.http.post(batch_path(tenant), json={"bookings": items}, headers=headers or tenant.headers)


def results(tenant: Tenant, items: list[Any]) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = expect(send(tenant, items), 200)["results"]
    assert len(answer) == len(items)
    return answer


def statuses(answer: list[dict[str, Any]]) -> list[int]:
    return [result["status"] for result in answer]


def error_types(answer: list[dict[str, Any]]) -> list[str | None]:
    return [result["body"]["error"]["type"] if "error" in result["body"] else None for result in answer]


def stored(tenant: Tenant, external_id: str) -> httpx.Response:
    return tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers)


def test_batch_answers_one_result_per_booking_in_the_order_sent(tenant: Tenant) -> None:
    second_court = tenant.add_court()
    day = random_day() + timedelta(hours=8)
    items = [
        item(tenant.court_id, day + timedelta(days=2)),
        item(second_court, day),
        item(tenant.court_id, day),
        item(second_court, day + timedelta(days=1)),
    ]

    answer = results(tenant, items)

    assert statuses(answer) == [201, 201, 201, 201]
    assert [r["body"]["externalCourtBookingId"] for r in answer] == [
        i["externalCourtBookingId"] for i in items
    ]
    assert [r["body"]["courtId"] for r in answer] == [i["courtId"] for i in items]


def test_each_result_is_what_the_single_upsert_answers(tenant: Tenant) -> None:
    day = random_day() + timedelta(hours=9)
    items = [item(tenant.court_id, day), item(tenant.court_id, day + timedelta(hours=2))]

    answer = results(tenant, items)

    for result, sent in zip(answer, items, strict=True):
        assert result["body"] == expect(stored(tenant, sent["externalCourtBookingId"]), 200)
        body = {key: value for key, value in sent.items() if key != "externalCourtBookingId"}
        assert tenant.put(sent["externalCourtBookingId"], body).json() == result["body"]


def test_refused_items_answer_their_own_errors_and_the_others_are_written(tenant: Tenant) -> None:
    day = random_day() + timedelta(hours=10)
    existing = item(tenant.court_id, day, updated=T1 + timedelta(hours=1))
    expect(send(tenant, [existing]), 200)
    stale = {**existing, "externalUpdatedAt": "2030-01-01T00:00:00Z"}
    missing_field = {key: value for key, value in item(tenant.court_id, day).items() if key != "startDate"}
    items: list[Any] = [
        item(tenant.court_id, day + timedelta(hours=3)),
        missing_field,
        stale,
        item(str(uuid.uuid4()), day),
        item(tenant.court_id, day + timedelta(minutes=30)),
        "not a booking",
        item(tenant.court_id, day, hours=-1),
        item(tenant.court_id, day + timedelta(hours=5)),
    ]

    answer = results(tenant, items)

    assert statuses(answer) == [201, 400, 409, 404, 409, 400, 400, 201]
    assert error_types(answer) == [
        None,
        "invalid_schema",
        "stale_write",
        "court_not_found",
        "court_booking_overlap",
        "invalid_schema",
        "invalid_time_range",
        None,
    ]
    assert answer[1]["body"]["error"]["issues"][0]["path"] == ["startDate"]
    assert stored(tenant, items[0]["externalCourtBookingId"]).status_code == 200
    assert stored(tenant, items[4]["externalCourtBookingId"]).status_code == 404
    assert (
        stored(tenant, existing["externalCourtBookingId"]).json()["externalUpdatedAt"]
        == "2030-01-01T01:00:00Z"
    )


def test_a_batch_sent_again_is_an_idempotent_replay(tenant: Tenant) -> None:
    day = random_day() + timedelta(hours=7)
    items = [item(tenant.court_id, day + timedelta(hours=n)) for n in range(5)]
    first = send(tenant, items)
    first_results = expect(first, 200)["results"]

    again = send(tenant, items)

    assert statuses(expect(again, 200)["results"]) == [200] * 5
    assert [r["body"] for r in again.json()["results"]] == [r["body"] for r in first_results]
    history = tenant.http.get(
        f"/api/v1/audit/court-bookings/{tenant.client_id}/{items[0]['externalCourtBookingId']}/history",
        headers=tenant.headers,
    )
    assert len(expect(history, 200)["events"]) == 1
    assert int(again.headers["X-Ledger-Position"]) >= int(first.headers["X-Ledger-Position"])


def test_bookings_of_one_court_and_day_in_a_batch_are_decided_in_order(tenant: Tenant) -> None:
    day = random_day() + timedelta(hours=10)
    first = item(tenant.court_id, day)
    moved = {**first, "startDate": booking_body(tenant.court_id, day + timedelta(hours=4))["startDate"]}
    moved["endDate"] = booking_body(tenant.court_id, day + timedelta(hours=4))["endDate"]
    moved["externalUpdatedAt"] = "2030-01-02T00:00:00Z"
    items = [
        first,
        item(tenant.court_id, day + timedelta(minutes=30)),  # overlaps the first
        moved,  # the first moves away, freeing 10:00-11:00
        item(tenant.court_id, day + timedelta(minutes=15)),  # now free
        item(tenant.court_id, day + timedelta(hours=4, minutes=30)),  # overlaps the moved one
    ]

    answer = results(tenant, items)

    assert statuses(answer) == [201, 409, 200, 201, 409]
    assert answer[0]["body"]["startDate"] != answer[2]["body"]["startDate"]
    assert expect(stored(tenant, first["externalCourtBookingId"]), 200) == answer[2]["body"]


def test_a_batch_for_another_service_or_of_another_tenants_court_is_refused(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    day = random_day() + timedelta(hours=10)
    items = [item(tenant.court_id, day)]

    foreign_path = other_tenant.http.post(
        batch_path(tenant), json={"bookings": items}, headers=other_tenant.headers
    )
    foreign_court = results(other_tenant, [item(tenant.court_id, day), item(other_tenant.court_id, day)])

    assert foreign_path.status_code == 403
    assert foreign_path.json()["error"]["type"] == "external_service_access_denied"
    assert statuses(foreign_court) == [403, 201]
    assert error_types(foreign_court)[0] == "organization_access_denied"
    assert stored(tenant, items[0]["externalCourtBookingId"]).status_code == 404


def test_a_batch_of_more_than_500_bookings_is_refused_whole(tenant: Tenant) -> None:
    day = random_day()
    items = [item(tenant.court_id, day + timedelta(hours=n % 24, days=n // 24)) for n in range(501)]

    response = send(tenant, items)

    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_schema"
    assert stored(tenant, items[0]["externalCourtBookingId"]).status_code == 404


def test_racing_batches_on_one_court_and_day_admit_one_booking_per_slot(tenant: Tenant) -> None:
    day = random_day() + timedelta(hours=6)
    racers, slots = 4, 8
    batches = [
        [item(tenant.court_id, day + timedelta(hours=slot)) for slot in range(slots)] for _ in range(racers)
    ]

    def sender(items: list[dict[str, Any]]) -> Sender:
        return lambda client: client.post(
            batch_path(tenant), json={"bookings": items}, headers=tenant.headers
        )

    responses = answered(race(str(tenant.http.base_url), [sender(items) for items in batches]))

    answers = [expect(response, 200)["results"] for response in responses]
    for slot in range(slots):
        outcome = Counter(answer[slot]["status"] for answer in answers)
        assert outcome == {201: 1, 409: racers - 1}, f"slot {slot}: {outcome}"
        for batch, answer in zip(batches, answers, strict=True):
            external_id = batch[slot]["externalCourtBookingId"]
            assert stored(tenant, external_id).status_code == (200 if answer[slot]["status"] == 201 else 404)
            if answer[slot]["status"] == 409:
                assert answer[slot]["body"]["error"]["type"] == "court_booking_overlap"
