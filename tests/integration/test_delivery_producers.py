"""Another producer of deliveries, as notification rules will be: a URL of its own, signed with its secret."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from ledger.runtime import Runtime
from ledger.settings import Settings
from ledger.webhooks.secrets import new_secret
from ledger.webhooks.signing import signature
from projections.changes.outbox import destination, enqueue
from projections.rows import Statement, execute_in_order
from tests.support import runtime_of_its_own
from tests.webhook_receiver import receiving

PROBE = "probe"


def apply(runtime: Runtime, statements: list[Statement]) -> None:
    """Write the row changes as a producer's handler would have them written in the view's transaction."""
    view = runtime.changes
    with view.datastore.transaction(commit=True) as curs:
        execute_in_order(curs, statements)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A ledger of its own: the test writes outbox rows that the session's log does not make."""
    with runtime_of_its_own(settings, "producer") as opened:
        yield opened


def test_a_producer_delivers_to_a_url_of_its_own_signed_with_its_own_secret(runtime: Runtime) -> None:
    assert runtime.webhook_keys is not None
    targets = runtime.changes.live_targets
    destination_id, secret = uuid.uuid4(), new_secret()
    sealed = runtime.webhook_keys.seal(destination_id, secret)
    bodies: list[dict[str, Any]] = [{"rule": "reminder", "booking": str(uuid.uuid4())} for _ in range(2)]
    at = runtime.clock()
    with receiving() as receiver:
        apply(
            runtime,
            [
                destination(targets, destination_id, PROBE, receiver.url, sealed, position=1),
                # One event queueing two deliveries: they go in the order of their parts.
                enqueue(targets, destination_id, 1, "notification.sent", bodies[1], at, part=1),
                enqueue(targets, destination_id, 1, "notification.sent", bodies[0], at, part=0),
            ],
        )
        received = receiver.wait_for(2)

    assert [json.loads(request.body) for request in received] == bodies
    for request in received:
        timestamp = int(request.headers["x-ledger-timestamp"])
        assert request.headers["x-ledger-signature"] == signature(secret, timestamp, request.body)
    assert received[0].headers["x-ledger-delivery"] != received[1].headers["x-ledger-delivery"]
