"""Existence of many aggregates in one query: what an order naming many unknown events relies on."""

from __future__ import annotations

import uuid

from domain.context import ADMIN, RequestContext
from ledger.recorder import LedgerRecorder
from ledger.runtime import Runtime


def test_existing_ids_names_exactly_the_aggregates_that_have_events(runtime: Runtime) -> None:
    ledger = runtime.ledger
    ctx = RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")
    organization = ledger.create_organization(ctx, f"Org {uuid.uuid4().hex[:8]}", "Europe/Berlin").value
    unknown = [uuid.uuid4() for _ in range(50)]

    assert isinstance(ledger.recorder, LedgerRecorder)
    assert ledger.existing_ids([*unknown, organization.id, organization.id]) == {organization.id}
    assert ledger.existing_ids(unknown) == set()
    assert ledger.existing_ids([]) == set()
