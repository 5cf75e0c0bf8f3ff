"""One client's `consistentWith` waits, however many, leave every other request served at once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.app import create_app
from ledger.runtime import Runtime
from tests.reliability.report import ScenarioResult
from tests.support import ServerThread, Tenant, booking_body, expect, make_tenant, random_day, view_held

WAITERS = 48  # more than the server's 40 worker threads
PROBE_BOUND_SECONDS = 1.0  # generous: a probe stuck behind the waits took their whole wait before the fix
FAR_FUTURE_POSITION = 99999999999999999999


@pytest.fixture(scope="module")
def patient(runtime: Runtime) -> Iterator[ServerThread]:
    """A server on the session's runtime whose lists wait up to 20 s, far longer than the scenario."""
    settings = runtime.settings.model_copy(update={"consistency_wait_seconds": 20.0})
    with ServerThread(create_app(settings=settings, runtime=runtime)) as server:
        yield server


def timed(send: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def probes(
    http: httpx.Client, admin_headers: dict[str, str], other: Tenant
) -> dict[str, Callable[[], httpx.Response]]:
    """Requests that must not wait for anyone else's `consistentWith`."""
    return {
        "health": lambda: http.get("/health"),
        "admin GET": lambda: http.get(f"/api/v1/admin/clients/{other.client_id}", headers=admin_headers),
        "another client's list": lambda: http.get(other.list_path, headers=other.headers),
        "another client's list at a reached position": lambda: http.get(
            other.list_path, params={"consistentWith": "1"}, headers=other.headers
        ),
    }


def expect_header(response: httpx.Response, status: int, header: str) -> str:
    expect(response, status)
    return response.headers[header]


def wait_request(http: httpx.Client, tenant: Tenant, position: int, index: int) -> httpx.Response:
    """Half of the waiters name the position in the query, half in the header."""
    if index % 2:
        headers = {**tenant.headers, "X-Ledger-Consistent-With": str(position)}
        return http.get(tenant.list_path, params={"limit": "1"}, headers=headers)
    return http.get(
        tenant.list_path, params={"consistentWith": str(position), "limit": "1"}, headers=tenant.headers
    )


def test_many_waits_for_a_held_view_or_past_the_head_delay_no_other_request(
    patient: ServerThread, runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    result = ScenarioResult(f"consistentWith stall ({WAITERS} waits on a held view, {WAITERS} past the head)")
    waiter, other = make_tenant(http, admin_headers), make_tenant(http, admin_headers)
    settings = runtime.settings
    assert settings.database_url is not None
    problems: list[str] = []
    limits = httpx.Limits(max_connections=2 * WAITERS + 10)
    with (
        httpx.Client(base_url=patient.url, timeout=60, limits=limits) as client,
        ThreadPoolExecutor(max_workers=WAITERS) as pool,
        ThreadPoolExecutor(max_workers=WAITERS) as flood,
    ):
        checks = probes(client, admin_headers, other)
        with view_held(settings.database_url, settings.db_schema, "court_bookings"):
            external_id = uuid.uuid4().hex
            written = waiter.put(external_id, booking_body(waiter.court_id, random_day()))
            position = int(expect_header(written, 201, "X-Ledger-Position"))
            waits = [pool.submit(wait_request, client, waiter, position, i) for i in range(WAITERS)]
            time.sleep(1.0)  # every wait has arrived and waits
            beyond = [
                flood.submit(wait_request, client, waiter, FAR_FUTURE_POSITION, i) for i in range(WAITERS)
            ]
            # Refused at once, while the view is still held: none waits for it. The probes follow, so that
            # what they measure is the held waits' effect, not the machine's speed at 48 refusals.
            refused = [future.result() for future in beyond]
            answered = [(name, *timed(send)) for name, send in checks.items()]
            early = sum(wait.done() for wait in waits)
        replies = [wait.result() for wait in waits]

    print("probes while the waits were in flight:", {name: f"{s:.3f} s" for name, _, s in answered})
    for name, response, seconds in answered:
        if response.status_code != 200 or seconds > PROBE_BOUND_SECONDS:
            problems.append(f"{name}: {response.status_code} after {seconds:.2f} s")
    if any(r.status_code != 400 or r.json()["error"]["type"] != "position_beyond_head" for r in refused):
        problems.append(f"past the head: statuses {sorted({r.status_code for r in refused})}")
    if early:
        problems.append(f"{early} waits answered while the view was held")
    reached = [
        r for r in replies if r.status_code == 200 and r.headers.get("X-Ledger-Consistency") == "reached"
    ]
    if len(reached) != WAITERS:
        problems.append(f"only {len(reached)} of {WAITERS} waits reached their position after the release")
    everything = [*(r for _, r, _ in answered), *refused, *replies]
    result.runs = len(everything)
    result.server_errors = sum(r.status_code >= 500 for r in everything)
    result.invariant_violations = len(problems)

    try:
        result.assert_clean()
    except AssertionError as error:
        raise AssertionError(f"{error}\n" + "\n".join(problems)) from None
    assert all(r.json()["data"][0]["externalCourtBookingId"] == external_id for r in reached)
