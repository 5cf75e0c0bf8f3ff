"""The fair share of in-flight requests per credential: places, waiting in turn, refusal, and keys."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from api.bookings.surface import SURFACE as BOOKINGS_SURFACE
from api.partner_sync.surface import SURFACE as PARTNER_SYNC_SURFACE
from api.shared.fair_share import ANONYMOUS, FairShare, FairShareExceededError, FairShareMiddleware
from api.shared.surface import Surfaces
from ledger.settings import Settings

SECRET = "lk_live_3f9a0c1d2e4b5a69788796a5b4c3d2e1"
PROBES = ("/health", "/ready", "/metrics")
QUICK_PATHS = (*PROBES, "/quick")


async def settle() -> None:
    """Let every runnable task run until it waits again."""
    for _ in range(10):
        await asyncio.sleep(0)


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


# The share itself


def test_a_request_beyond_the_share_waits_until_a_place_is_given_back() -> None:
    async def scenario() -> None:
        share = FairShare(limit=2, wait_seconds=30)
        await share.acquire("a")
        await share.acquire("a")
        third = asyncio.create_task(share.acquire("a"))
        await settle()
        assert not third.done()
        assert share.waiting("a") == 1

        share.release("a")
        await third

        assert (share.in_flight("a"), share.waiting("a")) == (2, 0)

    run(scenario)


def test_waiting_requests_get_places_in_arrival_order_and_newcomers_queue_behind_them() -> None:
    async def scenario() -> None:
        share = FairShare(limit=1, wait_seconds=30)
        await share.acquire("a")
        admitted: list[int] = []

        async def wait(index: int) -> None:
            await share.acquire("a")
            admitted.append(index)

        waiters = [asyncio.create_task(wait(index)) for index in range(3)]
        await settle()
        share.release("a")
        newcomer = asyncio.create_task(wait(3))
        await settle()
        assert admitted == [0]
        assert not newcomer.done()
        for _ in range(3):
            share.release("a")
            await settle()

        assert admitted == [0, 1, 2, 3]
        await asyncio.gather(*waiters, newcomer)

    run(scenario)


def test_a_request_that_finds_no_place_in_time_is_refused_and_leaves_the_queue() -> None:
    async def scenario() -> None:
        share = FairShare(limit=1, wait_seconds=0.01)
        await share.acquire("a")

        with pytest.raises(FairShareExceededError) as refused:
            await share.acquire("a")

        assert refused.value.retry_after >= 1
        assert "1 requests in flight" in refused.value.message
        assert (share.in_flight("a"), share.waiting("a")) == (1, 0)
        share.release("a")
        assert share.keys == frozenset()

    run(scenario)


def test_a_waiting_request_that_is_cancelled_takes_no_place() -> None:
    async def scenario() -> None:
        share = FairShare(limit=1, wait_seconds=30)
        await share.acquire("a")
        waiter = asyncio.create_task(share.acquire("a"))
        await settle()

        waiter.cancel()
        await settle()
        share.release("a")

        assert waiter.cancelled()
        assert share.keys == frozenset()

    run(scenario)


def test_different_keys_do_not_share_places() -> None:
    async def scenario() -> None:
        share = FairShare(limit=1, wait_seconds=0)  # any wait at all would be refused
        await share.acquire("a")

        await share.acquire("b")

        assert (share.in_flight("a"), share.in_flight("b")) == (1, 1)

    run(scenario)


def test_a_key_is_a_keyed_hash_of_the_credential_never_the_credential() -> None:
    share, other_process = FairShare(8, 5), FairShare(8, 5)

    key = share.key_for(SECRET)

    assert SECRET not in key
    assert hashlib.sha256(SECRET.encode()).hexdigest()[:32] not in key  # not the stored key hash either
    assert key == share.key_for(SECRET)
    assert key != share.key_for(SECRET + "x")
    assert key != other_process.key_for(SECRET)
    assert share.key_for(None) == ANONYMOUS


# The middleware, in front of an app whose requests stay in flight until the test lets them finish


class HeldApp:
    """An ASGI app that answers `QUICK_PATHS` at once and every other path once `finish` is set."""

    def __init__(self) -> None:
        self.finish = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] not in QUICK_PATHS:
            await self.finish.wait()
        await JSONResponse({"path": scope["path"]})(scope, receive, send)


def served(
    app: HeldApp, limit: int = 1, wait_seconds: float = 0
) -> tuple[FairShareMiddleware, httpx.AsyncClient]:
    settings = Settings(max_inflight_per_client=limit, inflight_wait_seconds=wait_seconds)
    surfaces = Surfaces(default=PARTNER_SYNC_SURFACE)
    surfaces.add(BOOKINGS_SURFACE)
    middleware = FairShareMiddleware(app, settings, surfaces)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=middleware), base_url="http://ledger.test")
    return middleware, client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_request_beyond_the_share_proceeds_once_an_earlier_one_finishes() -> None:
    async def scenario() -> None:
        app = HeldApp()
        middleware, client = served(app, wait_seconds=30)
        async with client:
            first = asyncio.create_task(client.get("/held", headers=bearer(SECRET)))
            await settle()
            second = asyncio.create_task(client.get("/quick", headers=bearer(SECRET)))
            await settle()
            assert not second.done()
            assert middleware.fair_share.waiting(middleware.fair_share.key_for(SECRET)) == 1

            app.finish.set()

            assert [(await first).status_code, (await second).status_code] == [200, 200]
        assert middleware.fair_share.keys == frozenset()

    run(scenario)


def test_one_credential_in_any_header_form_shares_one_place_and_other_credentials_do_not() -> None:
    async def scenario() -> None:
        app = HeldApp()
        _, client = served(app)
        async with client:
            held = asyncio.create_task(client.get("/held", headers=bearer(SECRET)))
            await settle()

            same = [
                await client.get("/quick", headers=headers)
                for headers in (bearer(SECRET), {"Authorization": f"Token {SECRET}"}, {"x-api-key": SECRET})
            ]
            other = await client.get("/quick", headers=bearer("another-key"))
            anonymous = await client.get("/quick")

            app.finish.set()
            await held
        assert [response.status_code for response in same] == [429, 429, 429]
        assert (other.status_code, anonymous.status_code) == (200, 200)

    run(scenario)


def test_requests_without_a_credential_share_one_place_and_the_probes_are_exempt() -> None:
    async def scenario() -> None:
        app = HeldApp()
        _, client = served(app)
        async with client:
            held = asyncio.create_task(client.get("/held"))
            await settle()

            anonymous = await client.get("/quick", headers={"Authorization": "Basic dXNlcjpwYXNz"})
            probes = [await client.get(path) for path in PROBES]

            app.finish.set()
            await held
        assert anonymous.status_code == 429
        assert [probe.status_code for probe in probes] == [200, 200, 200]

    run(scenario)


def test_a_refusal_answers_429_with_retry_after_in_the_format_of_the_paths_surface() -> None:
    async def scenario() -> None:
        app = HeldApp()
        _, client = served(app)
        async with client:
            held = asyncio.create_task(client.get("/held", headers=bearer(SECRET)))
            await settle()

            order = await client.post("/api/v1/orders", json={}, headers=bearer(SECRET))
            partner = await client.get("/api/v1/external-services/x/court-bookings", headers=bearer(SECRET))

            app.finish.set()
            await held
        assert (order.status_code, partner.status_code) == (429, 429)
        assert int(order.headers["Retry-After"]) >= 1
        assert int(partner.headers["Retry-After"]) >= 1
        [entry] = order.json()["errors"]
        assert (entry["code"], entry["endpoint"]) == ("rate_limited", "POST /api/v1/orders")
        assert partner.json()["error"]["type"] == "rate_limited"

    run(scenario)


def test_the_credential_is_neither_kept_nor_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        app = HeldApp()
        middleware, client = served(app)
        async with client:
            held = asyncio.create_task(client.get("/held", headers=bearer(SECRET)))
            await settle()
            kept = middleware.fair_share.keys
            refused = await client.get("/quick", headers={"x-api-key": SECRET})
            app.finish.set()
            await held
        assert refused.status_code == 429
        assert kept
        assert all(SECRET not in key for key in kept)
        assert SECRET not in repr(vars(middleware.fair_share))

    run(scenario)
    assert caplog.records, "the refusal is logged"
    assert SECRET not in caplog.text
