"""Concurrent upserts over HTTP on real PostgreSQL: the calendar admits exactly one overlapping booking."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import httpx

from tests.racing import Sender, answered, race
from tests.support import Tenant, booking_body, random_day

RACERS = 24  # every slot starts within the first 48 minutes, so all share 10:47-11:00


def race_puts(tenant: Tenant, bodies: list[tuple[str, dict[str, object]]]) -> list[httpx.Response]:
    """Send all PUTs at once, each from its own connection; every racer's response, in order."""

    def put(external_id: str, body: dict[str, object]) -> Sender:
        return lambda client: client.put(tenant.booking_path(external_id), json=body, headers=tenant.headers)

    return answered(race(str(tenant.http.base_url), [put(external_id, body) for external_id, body in bodies]))


def test_concurrent_overlapping_upserts_admit_exactly_one_booking(tenant: Tenant) -> None:
    day = random_day() + timedelta(hours=10)
    bodies = [
        (uuid.uuid4().hex, booking_body(tenant.court_id, day + timedelta(minutes=2 * index), hours=1))
        for index in range(RACERS)
    ]

    responses = race_puts(tenant, bodies)

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {201: 1, 409: RACERS - 1}
    losers = [response.json()["error"]["type"] for response in responses if response.status_code == 409]
    assert set(losers) == {"court_booking_overlap"}
    winners = [
        external_id for (external_id, _), r in zip(bodies, responses, strict=True) if r.status_code == 201
    ]
    losers_ids = [
        external_id for (external_id, _), r in zip(bodies, responses, strict=True) if r.status_code == 409
    ]
    assert tenant.http.get(tenant.booking_path(winners[0]), headers=tenant.headers).status_code == 200
    for external_id in losers_ids:
        assert tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers).status_code == 404


def test_concurrent_non_overlapping_upserts_on_one_court_all_succeed(tenant: Tenant) -> None:
    day = random_day()
    bodies = [
        (uuid.uuid4().hex, booking_body(tenant.court_id, day + timedelta(hours=index), hours=1))
        for index in range(16)
    ]

    responses = race_puts(tenant, bodies)

    assert [response.status_code for response in responses] == [201] * 16
