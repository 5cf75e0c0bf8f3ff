"""The delivery worker starts on the NOTIFY of what queued a delivery, not at its next poll."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from api.app import create_app
from ledger.settings import Settings
from tests.api.feed_support import make_feed_tenant, upsert_court_booking
from tests.api.webhook_support import subscribe
from tests.support import ServerThread, runtime_of_its_own
from tests.webhook_receiver import receiving

AN_HOUR = 3600.0


@pytest.fixture
def unpolled(settings: Settings) -> Iterator[httpx.Client]:
    """A ledger of its own whose delivery worker polls once an hour, served on a port of its own."""
    hourly = settings.model_copy(update={"webhook_poll_seconds": AN_HOUR})
    with (
        runtime_of_its_own(hourly, "wakeup") as runtime,
        ServerThread(create_app(runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield http


def test_a_change_is_delivered_without_waiting_for_the_workers_poll(
    unpolled: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_feed_tenant(unpolled, admin_headers)
    with receiving() as receiver:
        subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "wake-1", hour=9)
        receiver.wait_for(1)
        # The worker is idle now: only the changes view's NOTIFY can start it before the hour is up.
        upsert_court_booking(tenant, "wake-2", hour=10)
        received = receiver.wait_for(2)

    assert [json.loads(request.body)["externalId"] for request in received] == ["wake-1", "wake-2"]
