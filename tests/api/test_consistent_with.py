"""`consistentWith` on the lists: positions past the log's head are refused; a view held back times out."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.app import create_app
from ledger.runtime import Runtime
from tests.api.test_court_booking_list import external_ids, list_page, put_booking
from tests.support import ServerThread, Tenant, booking_body, expect, random_day, view_held

FAR_FUTURE_POSITION = 99999999999999999999


@pytest.fixture(scope="module")
def impatient_http(runtime: Runtime) -> Iterator[httpx.Client]:
    """A second server on the same runtime whose lists wait at most half a second for their view."""
    settings = runtime.settings.model_copy(update={"consistency_wait_seconds": 0.5})
    with (
        ServerThread(create_app(settings=settings, runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def crowded_http(runtime: Runtime) -> Iterator[httpx.Client]:
    """A second server on the same runtime that lets two requests at most wait for a view."""
    update = {"consistency_wait_seconds": 20.0, "consistency_max_waiters": 2}
    settings = runtime.settings.model_copy(update=update)
    with (
        ServerThread(create_app(settings=settings, runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client


def head_of(runtime: Runtime) -> int:
    return runtime.ledger.recorder.max_notification_id() or 0


@pytest.mark.parametrize("where", ["query", "header"])
def test_a_position_beyond_the_log_head_is_rejected_naming_the_head(
    tenant: Tenant, runtime: Runtime, where: str
) -> None:
    parameter = "consistentWith" if where == "query" else "X-Ledger-Consistent-With"
    sent = {parameter: str(FAR_FUTURE_POSITION)}
    before = head_of(runtime)

    response = tenant.http.get(
        tenant.list_path,
        params=sent if where == "query" else None,
        headers={**tenant.headers, **(sent if where == "header" else {})},
    )

    error = expect(response, 400)["error"]
    [issue] = error["issues"]
    assert error["type"] == "position_beyond_head"
    assert issue["path"] == [parameter]
    assert issue["code"] == "position_beyond_head"
    assert before <= issue["head"] <= head_of(runtime)
    assert f"head of the ledger, {issue['head']}" in error["message"]
    assert "X-Ledger-Consistency" not in response.headers


def test_the_next_position_after_the_head_is_already_beyond_it(tenant: Tenant, runtime: Runtime) -> None:
    position = put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, random_day()))
    head = head_of(runtime)

    at_head = tenant.http.get(tenant.list_path, params={"consistentWith": head}, headers=tenant.headers)
    past = tenant.http.get(tenant.list_path, params={"consistentWith": head + 1}, headers=tenant.headers)

    assert position <= head
    assert expect(at_head, 200) is not None
    assert at_head.headers["X-Ledger-Consistency"] == "reached"
    assert expect(past, 400)["error"]["type"] == "position_beyond_head"


def test_a_position_the_view_has_not_reached_in_time_answers_what_it_has_and_reports_timed_out(
    tenant: Tenant, runtime: Runtime, impatient_http: httpx.Client
) -> None:
    shown = uuid.uuid4().hex
    list_page(tenant, put_booking(tenant, shown, booking_body(tenant.court_id, random_day())))
    settings = runtime.settings
    assert settings.database_url is not None
    with view_held(settings.database_url, settings.db_schema, "court_bookings"):
        position = put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, random_day()))
        response = impatient_http.get(
            tenant.list_path, params={"consistentWith": position}, headers=tenant.headers
        )

    page = expect(response, 200)
    assert response.headers["X-Ledger-Consistency"] == "timed-out"
    assert external_ids(page) == [shown]
    assert len(external_ids(list_page(tenant, position))) == 2


def test_a_wait_beyond_the_allowed_number_of_waiters_answers_503_with_retry_after(
    tenant: Tenant, runtime: Runtime, crowded_http: httpx.Client
) -> None:
    settings = runtime.settings
    assert settings.database_url is not None
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        view_held(settings.database_url, settings.db_schema, "court_bookings"),
    ):
        position = put_booking(tenant, uuid.uuid4().hex, booking_body(tenant.court_id, random_day()))
        params = {"consistentWith": str(position)}
        waits = [
            pool.submit(crowded_http.get, tenant.list_path, params=params, headers=tenant.headers)
            for _ in range(2)
        ]
        time.sleep(0.5)  # both wait by now
        third = crowded_http.get(tenant.list_path, params=params, headers=tenant.headers)
    waited = [wait.result() for wait in waits]

    assert expect(third, 503)["error"]["type"] == "service_unavailable"
    assert int(third.headers["Retry-After"]) >= 1
    assert [r.status_code for r in waited] == [200, 200]
    assert [r.headers["X-Ledger-Consistency"] for r in waited] == ["reached", "reached"]
