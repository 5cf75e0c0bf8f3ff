"""`ledger serve` killed with SIGKILL under partner write load and restarted: nothing acknowledged is lost."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import httpx
import psycopg
import pytest
from psycopg import sql

from domain.ids import court_booking_id
from tests.api.idempotency_support import completion_held, events_of, order_id_of
from tests.api.orders_support import make_booking_tenant, orders_of, place_order, schedule_event, seats_taken
from tests.reliability.processes import (
    LANES_PER_COURT,
    Findings,
    LedgerServer,
    PartnerLoad,
    check_views,
    check_writes,
    count_server_errors,
    in_process_runtime,
    ledger_served,
    view_positions,
)
from tests.reliability.report import ScenarioResult
from tests.support import blocked_by, make_tenant, random_day, wait_until

CATCH_UP_SECONDS = 15.0
BLOCK_SECONDS = 10.0


@dataclass
class Stack:
    """A `ledger serve` on its own schema, a partner tenant in it, and an HTTP client for the checks."""

    database_url: str
    schema: str
    token: str
    data_dir: Path
    server: LedgerServer
    http: httpx.Client
    load: PartnerLoad


@pytest.fixture
def stack(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[Stack]:
    clients: int = getattr(request, "param", 6)
    with ledger_served(database_url, "crash", tmp_path / "data") as served:
        server, schema, token = served.server, served.schema, served.admin_token
        with httpx.Client(base_url=server.url, timeout=30) as http:
            tenant = make_tenant(http, served.admin_headers)
            courts = [tenant.court_id] + [tenant.add_court() for _ in range(clients // LANES_PER_COURT)]
            load = PartnerLoad(
                server.url,
                tenant.client_id,
                tenant.key,
                courts,
                random_day(),
                clients=clients,
                seed=random.randrange(1 << 30),
            )
            try:
                # The server's data directory: its keys open the personal data the server sealed.
                yield Stack(database_url, schema, token, tmp_path / "data", server, http, load)
            finally:
                load.stop()


def verify(stack: Stack, result: ScenarioResult) -> Findings:
    """Fill `result` from the load's record and the checks of state, history, views, calendar and rebuild."""
    load = stack.load
    findings = Findings()
    findings.notes.extend(load.errors)
    result.invariant_violations += len(load.errors)
    writes = load.all_writes()
    result.acknowledged = load.acknowledged_count()
    errors, lines = count_server_errors(writes)
    result.server_errors += errors
    findings.notes.extend(lines)
    unsettled = [write for write in writes if write.in_doubt]
    if unsettled:
        # The clients retry until answered; a write still unanswered means the restarted server never took it.
        result.invariant_violations += len(unsettled)
        findings.note(f"{len(unsettled)} writes never answered after the restart")
    with in_process_runtime(stack.database_url, stack.schema, stack.token, stack.data_dir) as runtime:
        check_writes(stack.http, load, runtime, result, findings)
        caught_up = check_views(
            stack.database_url, stack.schema, runtime, load, result, findings, CATCH_UP_SECONDS
        )
    cut = sum(1 for write in writes if any(a.transport_error for a in write.attempts))
    print(
        f"{result.scenario}: {len(writes)} writes, {result.acknowledged} acknowledged, {cut} cut by a kill, "
        f"views caught up in {caught_up if caught_up is None else round(caught_up, 2)} s"
    )
    print("\n".join(findings.notes))
    return findings


def kill_under_load(stack: Stack, result: ScenarioResult, pauses: list[float]) -> list[int]:
    """Kill the server after each pause of write load and restart it on the same schema and port.

    Returns how far the court-bookings view was behind the log just before each kill.
    """
    lags = []
    stack.load.start()
    with psycopg.connect(stack.database_url, autocommit=True) as watcher:
        for pause in pauses:
            time.sleep(pause)
            position, _, head = view_positions(watcher, stack.schema)
            stack.server.kill()
            lags.append(head - position)
            result.runs += 1
            stack.server.start()
    time.sleep(1.0)
    stack.load.stop()
    print(f"view behind the log by {lags} events at the kills")
    return lags


def test_kill_9_under_write_load_loses_no_acknowledged_write(stack: Stack) -> None:
    result = ScenarioResult("kill -9 under write load (6 clients)")

    kill_under_load(stack, result, [1.5])

    verify(stack, result)
    assert result.acknowledged > 0
    result.assert_clean()


@pytest.mark.slow
@pytest.mark.parametrize("stack", [8], indirect=True)
def test_repeated_kill_9_under_write_load_loses_no_acknowledged_write(stack: Stack) -> None:
    result = ScenarioResult("kill -9 x6 under write load (8 clients)")

    # The short pauses kill the restarted server again while its runners are still catching up.
    lags = kill_under_load(stack, result, [2.0, 0.2, 1.5, 0.1, 3.0, 0.5])

    verify(stack, result)
    assert any(lags), "no kill landed with the view behind the log"
    result.assert_clean()


@pytest.mark.parametrize("stack", [4], indirect=True)
def test_kill_9_inside_a_projection_batch_applies_the_batch_exactly_once_after_restart(stack: Stack) -> None:
    result = ScenarioResult("kill -9 inside a projection batch (4 clients)")
    load, schema = stack.load, stack.schema
    anchor = load.side_booking("anchor")
    assert load.put(stack.http, anchor, retry=True).acknowledged
    anchor_id = court_booking_id(UUID(load.client_id), anchor.external_id)
    tracking = sql.Identifier(schema, "court_bookings_tracking")
    rows = sql.Identifier(schema, "court_bookings")
    with (
        psycopg.connect(stack.database_url, autocommit=True) as watcher,
        psycopg.connect(stack.database_url) as hold_tracking,
        psycopg.connect(stack.database_url) as hold_row,
    ):
        wait_until(
            lambda: view_positions(watcher, schema)[0] >= view_positions(watcher, schema)[2], 10, "view"
        )
        # The runner waits on the tracking row while a burst of writes piles up behind it ...
        hold_tracking.execute(sql.SQL("SELECT 1 FROM {} FOR UPDATE").format(tracking))
        hold_row.execute(sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(rows), (anchor_id,))
        load.start()
        time.sleep(0.3)
        assert load.put(stack.http, anchor, retry=True).acknowledged
        time.sleep(0.3)
        # ... then takes the whole pile in one batch, and stops inside it at the anchor's revision.
        hold_tracking.rollback()
        row_holder = hold_row.info.backend_pid
        wait_until(lambda: bool(blocked_by(watcher, row_holder)), BLOCK_SECONDS, "the batch to block")
        stuck = blocked_by(watcher, row_holder)
        position, _, head = view_positions(watcher, schema)
        assert position < head, "the view should be behind the log when the server dies"
        print(f"killing with the view at {position}, the log at {head}, sessions {stuck} inside the batch")

        stack.server.kill()
        result.runs += 1
        hold_row.rollback()
        wait_until(lambda: not set(stuck) & set(blocked_by(watcher, row_holder)), BLOCK_SECONDS, "the orphan")
        wait_until(
            lambda: (
                not watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", (stuck,)).fetchone()
            ),
            BLOCK_SECONDS,
            "the killed batch's session to end",
        )
        # Nothing of the killed batch may be visible: the position and the rows it had written roll back.
        after, _, _ = view_positions(watcher, schema)
        ahead = watcher.execute(sql.SQL("SELECT count(*) FROM {} WHERE position > %s").format(rows), (after,))
        count = ahead.fetchone()
        if after != position or (count is not None and count[0]):
            result.invariant_violations += 1
            print(f"after the kill: position {after} (was {position}), rows beyond it: {count}")

    stack.server.start()
    time.sleep(1.0)
    load.stop()

    verify(stack, result)
    result.assert_clean()


def test_kill_9_between_an_orders_commit_and_its_idempotency_row_answers_the_order_on_retry(
    stack: Stack,
) -> None:
    result = ScenarioResult("kill -9 between an order's commit and its idempotency row", runs=1)
    shop = make_booking_tenant(stack.http, {"Authorization": f"Bearer {stack.token}"})
    event = schedule_event(shop, seats=2)
    key = uuid.uuid4().hex
    order_id = order_id_of(shop.tenant.client_id, key)
    cut: list[httpx.Response | str] = []

    def send() -> None:
        with httpx.Client(base_url=stack.server.url, timeout=30) as client:
            try:
                cut.append(place_order(shop, [event], headers={"Idempotency-Key": key}, client=client))
            except httpx.TransportError as error:
                cut.append(type(error).__name__)

    with completion_held(stack.database_url, stack.schema, shop.tenant.client_id, key, send) as held:
        committed = events_of(held.watcher, stack.schema, order_id)
        stack.server.kill()
        held.release()
        held.wait_for_completion_gone()
        finished = held.claim_finished(shop.tenant.client_id, key)
    print(f"killed with {committed} event of the order committed; its answer stored: {finished}; sent: {cut}")
    if committed != 1 or finished is not False or [type(answer) for answer in cut] != [str]:
        result.invariant_violations += 1  # the kill did not land between the commit and the answer
    # The restarted server takes a claim older than a second for one whose request died.
    stack.server.env["LEDGER_IDEMPOTENCY_LEASE_SECONDS"] = "1"
    stack.server.start()

    retried = place_order(shop, [event], headers={"Idempotency-Key": key})
    again = place_order(shop, [event], headers={"Idempotency-Key": key})

    result.server_errors = sum(1 for answer in (retried, again) if answer.status_code >= 500)
    result.acknowledged = 1 if retried.status_code == 201 else 0
    orders = orders_of(shop, shop.athlete_id, at_least=1)
    taken = seats_taken(shop, event)
    result.lost = 1 if not orders or taken == 0 else 0
    result.duplicated = max(0, len(orders) - 1) + max(0, taken - 1)
    with psycopg.connect(stack.database_url) as conn:
        placed = events_of(conn, stack.schema, order_id)
    # One event: the retry found the order the killed request had placed, and placed none.
    if retried.status_code != 201 or retried.json()["orderId"] != str(order_id) or placed != 1:
        result.invariant_violations += 1
    if again.headers.get("Idempotent-Replayed") != "true" or again.content != retried.content:
        result.invariant_violations += 1
    result.assert_clean()
