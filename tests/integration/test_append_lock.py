"""Appends take the events table's EXCLUSIVE lock, so notification ids are issued in commit order."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from domain.context import ADMIN, RequestContext
from domain.organization import Organization
from ledger.runtime import Runtime
from tests.append_lock import uncommitted_writer, wait_for_waiting_appends


def test_an_append_waits_for_a_concurrent_writer_of_the_events_table(runtime: Runtime) -> None:
    organization = Organization.register(
        "Locked", "UTC", RequestContext(ADMIN, datetime.now(UTC), "r").meta()
    )
    saved = threading.Event()

    # An uncommitted writer holds ROW EXCLUSIVE; a plain INSERT would pass it, the table lock may not.
    with uncommitted_writer(runtime.database_url, runtime.settings.db_schema):

        def append() -> None:
            runtime.ledger.save(organization)
            saved.set()

        appender = threading.Thread(target=append)
        appender.start()
        waiting = wait_for_waiting_appends(runtime.database_url, count=1)
        assert not saved.is_set()
    appender.join(timeout=30)

    assert waiting
    assert saved.is_set()
    assert runtime.ledger.find(organization.id, Organization) is not None
