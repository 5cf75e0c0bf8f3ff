"""The fair share over HTTP: a client past its in-flight places waits its turn, or gets 429; others go on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.shared.fair_share import FairShare, FairShareMiddleware
from ledger.runtime import Runtime
from tests.api.orders_support import errors_of
from tests.append_lock import uncommitted_writer, wait_for_waiting_appends
from tests.support import (
    ALL_CLIENT_SCOPES,
    ServerThread,
    Tenant,
    booking_body,
    expect,
    make_tenant,
    random_day,
    view_held,
    wait_until,
)

SETTLE_SECONDS = 30.0


@dataclass
class OnePlace:
    """A server on the session's runtime that lets each credential have one request in flight."""

    app: FastAPI
    http: httpx.Client

    @property
    def fair_share(self) -> FairShare:
        layer = self.app.middleware_stack  # built by the first request
        while not isinstance(layer, FairShareMiddleware):
            layer = getattr(layer, "app")  # noqa: B009
        return layer.fair_share

    def waiting(self, tenant: Tenant) -> int:
        return self.fair_share.waiting(self.fair_share.key_for(tenant.key))


def one_place(runtime: Runtime, wait_seconds: float) -> Iterator[OnePlace]:
    update = {
        "max_inflight_per_client": 1,
        "inflight_wait_seconds": wait_seconds,
        "consistency_wait_seconds": 20.0,
    }
    app = create_app(settings=runtime.settings.model_copy(update=update), runtime=runtime)
    with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        expect(client.get("/health"), 200)
        yield OnePlace(app, client)


@pytest.fixture(scope="module")
def patient(runtime: Runtime) -> Iterator[OnePlace]:
    """One place per credential; a request waits up to 30 s for it."""
    yield from one_place(runtime, wait_seconds=30.0)


@pytest.fixture(scope="module")
def impatient(runtime: Runtime) -> Iterator[OnePlace]:
    """One place per credential; a request waits a fifth of a second for it."""
    yield from one_place(runtime, wait_seconds=0.2)


@pytest.fixture
def booking_client(http: httpx.Client, admin_headers: dict[str, str]) -> Tenant:
    return make_tenant(http, admin_headers, scopes=ALL_CLIENT_SCOPES)


def test_a_request_past_its_clients_places_waits_for_one_while_other_clients_are_served(
    patient: OnePlace, runtime: Runtime, tenant: Tenant, other_tenant: Tenant
) -> None:
    client = patient.http
    with ThreadPoolExecutor(2) as pool:
        with uncommitted_writer(runtime.database_url, runtime.settings.db_schema):
            body = booking_body(tenant.court_id, random_day())
            write = pool.submit(
                client.put, tenant.booking_path(uuid.uuid4().hex), json=body, headers=tenant.headers
            )
            assert wait_for_waiting_appends(runtime.database_url, count=1)
            read = pool.submit(client.get, tenant.list_path, headers=tenant.headers)
            wait_until(lambda: patient.waiting(tenant) == 1, SETTLE_SECONDS, "the read to wait for a place")

            others = client.get(other_tenant.list_path, headers=other_tenant.headers)
            read_before_the_write = read.done()

        expect(write.result(), 201)
        expect(read.result(), 200)
    expect(others, 200)
    assert not read_before_the_write


def test_a_request_that_finds_no_place_in_time_answers_429_in_its_surfaces_format(
    impatient: OnePlace, runtime: Runtime, booking_client: Tenant
) -> None:
    client, tenant = impatient.http, booking_client
    with ThreadPoolExecutor(1) as pool:
        with uncommitted_writer(runtime.database_url, runtime.settings.db_schema):
            body = booking_body(tenant.court_id, random_day())
            write = pool.submit(
                client.put, tenant.booking_path(uuid.uuid4().hex), json=body, headers=tenant.headers
            )
            assert wait_for_waiting_appends(runtime.database_url, count=1)

            partner = client.get(tenant.list_path, headers=tenant.headers)
            orders = client.get("/api/v1/orders", params={"userId": tenant.user_id}, headers=tenant.headers)

        expect(write.result(), 201)
    assert expect(partner, 429)["error"]["type"] == "rate_limited"
    [entry] = errors_of(orders, 429, "GET /api/v1/orders")
    assert entry["code"] == "rate_limited"
    for refused in (partner, orders):
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["X-Content-Type-Options"] == "nosniff"
    expect(client.get(tenant.list_path, headers=tenant.headers), 200)


def test_a_list_waiting_for_its_view_gives_its_place_to_the_clients_next_request(
    patient: OnePlace, runtime: Runtime, tenant: Tenant
) -> None:
    client = patient.http
    expect(client.get(tenant.list_path, params={"consistentWith": "0"}, headers=tenant.headers), 200)
    watcher = patient.app.state.view_waits.watcher(runtime.court_bookings)  # made by the request above
    with ThreadPoolExecutor(1) as pool:
        with view_held(runtime.database_url, runtime.settings.db_schema, "court_bookings"):
            external_id = uuid.uuid4().hex
            written = client.put(
                tenant.booking_path(external_id),
                json=booking_body(tenant.court_id, random_day()),
                headers=tenant.headers,
            )
            expect(written, 201)
            position = written.headers["X-Ledger-Position"]
            waiting = pool.submit(
                client.get, tenant.list_path, params={"consistentWith": position}, headers=tenant.headers
            )
            wait_until(lambda: watcher.waiting == 1, SETTLE_SECONDS, "the list to wait for its view")

            meanwhile = client.get(tenant.list_path, headers=tenant.headers)
            answered_while_held = waiting.done()

        reached = waiting.result()
    expect(meanwhile, 200)
    assert not answered_while_held
    assert [row["externalCourtBookingId"] for row in expect(reached, 200)["data"]] == [external_id]
    assert reached.headers["X-Ledger-Consistency"] == "reached"
