"""Writes that run out of retries, on real PostgreSQL: 503 write_contention with Retry-After, none written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest

from ledger.runtime import Runtime
from tests.api.orders_support import errors_of, make_booking_tenant, place_order, schedule_event, seats_taken
from tests.append_lock import collide, colliding_revisions
from tests.support import Tenant, expect


@pytest.fixture
def one_attempt(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands get a single attempt, so the first lost version race exhausts their retries."""
    monkeypatch.setattr(runtime.ledger, "command_attempts", 1)


@pytest.mark.usefixtures("one_attempt")
def test_a_partner_write_that_loses_its_only_attempt_answers_503_write_contention(
    runtime: Runtime, tenant: Tenant
) -> None:
    external_id = "contended"
    revisions, responses = colliding_revisions(runtime, tenant, external_id)

    assert sorted(response.status_code for response in responses) == [200, 503]
    [winner] = [body for body, r in zip(revisions, responses, strict=True) if r.status_code == 200]
    [loser] = [response for response in responses if response.status_code == 503]
    assert expect(loser, 503)["error"]["type"] == "write_contention"
    assert int(loser.headers["Retry-After"]) > 0
    read = tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers)
    assert datetime.fromisoformat(expect(read, 200)["startDate"]) == datetime.fromisoformat(
        winner["startDate"]
    )
    assert read.headers["ETag"] == '"2"'


@pytest.mark.usefixtures("one_attempt")
def test_an_order_that_loses_its_only_attempt_answers_503_write_contention_in_the_errors_format(
    runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop = make_booking_tenant(http, admin_headers)
    event = schedule_event(shop, seats=2)
    buyers = [shop.link_new_user() for _ in range(2)]

    def order(user: str) -> Callable[[], httpx.Response]:
        return lambda: place_order(shop, [event], user)

    responses = collide(runtime, [order(user) for user in buyers])

    assert Counter(response.status_code for response in responses) == {201: 1, 503: 1}
    [loser] = [response for response in responses if response.status_code == 503]
    assert [entry["code"] for entry in errors_of(loser, 503, "POST /api/v1/orders")] == ["write_contention"]
    assert int(loser.headers["Retry-After"]) > 0
    assert seats_taken(shop, event) == 1
