"""A soak under faults: mixed load on `ledger serve --workers 2 --no-runners` and two `ledger projections run`
processes, on a PostgreSQL of its own, while faults are injected; then every check of the ledger's promises.

`make soak` runs it for 10 minutes (`python -m tests.reliability.soak --seconds N` for another length); the
slow test `tests/reliability/test_soak.py` runs it for 90 seconds.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from ledger.runtime import Runtime
from replay.rebuild import differing_rows, rebuild_view
from tests.api.orders_support import link_new_user, make_booking_tenant, schedule_event
from tests.reliability.processes import (
    LANES_PER_COURT,
    EmbeddedPostgres,
    Findings,
    LedgerServer,
    PartnerLoad,
    ProjectionProcess,
    check_views,
    check_writes,
    in_process_runtime,
)
from tests.reliability.report import ScenarioResult, render_rows
from tests.reliability.soak_batches import BATCH_SIZE, BatchLoad
from tests.reliability.soak_faults import FaultInjector
from tests.reliability.soak_orders import OrderLoad, exchange
from tests.support import expect, make_tenant, random_day

SCHEMA = "soak"
PARTNER_CLIENTS = 6
BATCH_CLIENTS, BATCH_COURTS = 2, 4
ORDER_WRITERS, READERS = 2, 2
EVENTS, SEATS, USERS = 10, 20, 30
CATCH_UP_SECONDS = 120.0
SETTLE_SECONDS = 120.0
# A 503 is right from when the database begins to stop until the pools have reconnected after it is back.
RECOVERY_SLACK_SECONDS = 15.0
SERVER_ENV = {
    "LEDGER_POOL_SIZE": "8",
    "LEDGER_POOL_MAX_OVERFLOW": "8",
    # A worker killed while it ran a keyed request leaves the key claimed: its retry takes it over soon.
    "LEDGER_IDEMPOTENCY_LEASE_SECONDS": "5",
    "LEDGER_MAX_INFLIGHT_PER_CLIENT": "0",
}


@dataclass
class SoakReport:
    result: ScenarioResult
    findings: Findings
    faults: dict[str, int]
    outages: list[float] = field(default_factory=list)
    acknowledged_by_kind: dict[str, int] = field(default_factory=dict)

    def table(self) -> str:
        faults = ", ".join(f"{kind}: {count}" for kind, count in sorted(self.faults.items())) or "none"
        down = f" (down {min(self.outages):.1f}-{max(self.outages):.1f} s)" if self.outages else ""
        kinds = ", ".join(f"{kind}: {count}" for kind, count in self.acknowledged_by_kind.items())
        return f"{render_rows([self.result])}\nacknowledged writes: {kinds}\nfaults injected: {faults}{down}"


def fault_gap(seconds: float) -> tuple[float, float]:
    """Pauses between faults: about ten faults a run, never closer than 5 s nor further than 60 s apart."""
    return max(5.0, min(60.0, seconds / 15)), max(8.0, min(90.0, seconds / 8))


def allow_connections(cluster: EmbeddedPostgres, count: int) -> None:
    """More connections than PostgreSQL's default 100: four processes with pools, runners and electors."""
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f"ALTER SYSTEM SET max_connections = {count}")
    cluster.stop_database()
    cluster.start_database()


def judge_answers(
    loads: list[PartnerLoad],
    orders: OrderLoad,
    outages: list[tuple[float, float]],
    result: ScenarioResult,
    findings: Findings,
) -> None:
    """No 5xx but a 503 while the database was down (or write contention, which asks to retry)."""
    answers = [
        (f"{w.method} {w.external_id}", a) for load in loads for w in load.all_writes() for a in w.attempts
    ]
    answers += orders.exchanges
    for what, attempt in answers:
        if attempt.status is None or attempt.status < 500 or attempt.asks_to_retry:
            continue
        if attempt.status == 503 and any(
            began <= attempt.answered and attempt.sent <= up + RECOVERY_SLACK_SECONDS for began, up in outages
        ):
            continue
        result.server_errors += 1
        findings.note(f"{what}: {attempt.status} {str(attempt.body)[:200]}")


def check_every_view(runtime: Runtime, result: ScenarioResult, findings: Findings) -> None:
    """Every view reaches the log's head and equals its rebuild from the log, table by table."""
    head = runtime.ledger.recorder.max_notification_id() or 0
    for view in runtime.views.values():
        if not view.wait_for(head, CATCH_UP_SECONDS):
            result.invariant_violations += 1
            findings.note(f"view {view.name} stuck at {view.position()} of {head}")
            continue
        report = rebuild_view(runtime.ledger, view, swap=False)
        for table, fresh in zip(view.tables, report.tables, strict=True):
            differing = differing_rows(view, fresh, table.name)
            if differing:
                result.invariant_violations += differing
                findings.note(f"view {view.name}.{table.name}: {differing} rows differ from a rebuild")


def check_orders(http: httpx.Client, orders: OrderLoad, result: ScenarioResult, findings: Findings) -> None:
    """Each acknowledged order is stored once; each event's seats taken are its acknowledged bookings still
    active, never more than its seats."""
    tenant = orders.tenant.tenant
    active: dict[str, int] = {event: 0 for event in orders.events}
    for order in orders.acknowledged():
        headers = {**tenant.headers, "x-current-user-id": order.user_id}
        stored = exchange(http, "GET", f"/api/v1/orders/{order.order_id}", headers=headers)
        booking = exchange(http, "GET", f"/api/v1/bookings/{order.booking_id}", headers=headers)
        if stored.status != 200 or booking.status != 200:
            result.lost += 1
            findings.note(f"order {order.order_id}: {stored.status}, booking {booking.status}")
            continue
        if booking.body["bookingStatus"] not in ("Canceled", "Rejected"):
            active[order.event_id] += 1
    for event, expected in active.items():
        taken = int(
            expect(http.get(f"/api/v1/admin/coach-events/{event}", headers=tenant.admin_headers), 200)[
                "seatsTaken"
            ]
        )
        if taken > SEATS:
            result.invariant_violations += 1
            findings.note(f"event {event}: {taken} seats taken of {SEATS}")
        if taken > expected:
            result.duplicated += taken - expected
            findings.note(f"event {event}: {taken} seats taken, {expected} acknowledged bookings active")
        elif taken < expected:
            result.lost += expected - taken
            findings.note(f"event {event}: {taken} seats taken, {expected} acknowledged bookings active")


def run_soak(seconds: float, seed: int, work_dir: Path) -> SoakReport:
    rng = random.Random(seed)
    token = secrets.token_urlsafe(24)
    admin = {"Authorization": f"Bearer {token}"}
    # Not below pytest's tmp_path: the cluster runs as another system user that must reach its directory.
    cluster_root = Path(tempfile.mkdtemp(prefix="ledger-soak-"))
    cluster = EmbeddedPostgres(cluster_root)
    result = ScenarioResult(f"soak {seconds:g} s: 2 API workers, 2 projection processes, faults", runs=1)
    findings = Findings()
    try:
        cluster.start()
        allow_connections(cluster, 300)
        server = LedgerServer(
            database_url=cluster.url,
            schema=SCHEMA,
            admin_token=token,
            data_dir=work_dir / "data",
            env=SERVER_ENV,
            args=("--workers", "2", "--no-runners"),
        )
        runner_env = {**server.env, "LEDGER_RUN_PROJECTIONS": "true", "LEDGER_POOL_SIZE": "4"}
        runners = [ProjectionProcess(runner_env, work_dir / f"projections-{n}.log") for n in (1, 2)]
        with server, runners[0], runners[1], httpx.Client(base_url=server.url, timeout=30) as http:
            server.start()
            for runner in runners:
                runner.start()
            partner = make_tenant(http, admin)
            courts = [partner.court_id] + [
                partner.add_court() for _ in range(PARTNER_CLIENTS // LANES_PER_COURT)
            ]
            load = PartnerLoad(
                server.url,
                partner.client_id,
                partner.key,
                courts,
                random_day(),
                clients=PARTNER_CLIENTS,
                seed=seed,
                max_seconds=seconds + 2 * SETTLE_SECONDS + 600,
            )
            syncer = make_tenant(http, admin)
            batches = BatchLoad(
                server.url,
                syncer.client_id,
                syncer.key,
                [syncer.court_id] + [syncer.add_court() for _ in range(BATCH_COURTS - 1)],
                random_day(),
                clients=BATCH_CLIENTS,
                seed=seed,
                max_seconds=seconds + 2 * SETTLE_SECONDS + 600,
            )
            booker = make_booking_tenant(http, admin)
            events = [schedule_event(booker, seats=SEATS) for _ in range(EVENTS)]
            users = [link_new_user(booker.tenant) for _ in range(USERS)]
            orders = OrderLoad(
                server.url,
                booker,
                events,
                users,
                ORDER_WRITERS,
                READERS,
                lambda: (partner.list_path, partner.headers),
                seed=seed,
            )
            injector = FaultInjector(cluster, server, runners, SCHEMA, fault_gap(seconds), rng)
            load.start()
            batches.start()
            orders.start()
            injector.start()
            threading.Event().wait(seconds)
            injector.stop()  # the database is up and both projection processes run again after this
            load.stop(SETTLE_SECONDS)
            batches.stop(SETTLE_SECONDS)
            orders.stop()
            for problems in (load.errors, batches.errors, orders.errors, injector.errors):
                findings.notes.extend(problems)
                result.invariant_violations += len(problems)
            judge_answers([load, batches], orders, injector.outages, result, findings)
            # A client of its own: the setup's kept connections may lead to workers killed since.
            with (
                httpx.Client(base_url=server.url, timeout=30) as checks,
                # The server's data directory: its keys (OAuth, personal data) open what the views hold.
                in_process_runtime(cluster.url, SCHEMA, token, work_dir / "data") as runtime,
            ):
                check_writes(checks, load, runtime, result, findings)
                check_writes(checks, batches, runtime, result, findings)
                check_views(
                    cluster.url, SCHEMA, runtime, load, result, findings, CATCH_UP_SECONDS, also=[batches]
                )
                check_every_view(runtime, result, findings)
                check_orders(checks, orders, result, findings)
            cancels = sum(1 for _, attempt in orders.cancels if attempt.status == 200)
            kinds = {
                "partner upserts and cancels": load.acknowledged_count(),
                f"batch items ({batches.batches} batches of <= {BATCH_SIZE})": batches.acknowledged_count(),
                "orders": len(orders.acknowledged()),
                "order cancels": cancels,
            }
            result.acknowledged = sum(kinds.values())
            outages = [up - began for began, up in injector.outages]
            return SoakReport(result, findings, dict(injector.counts()), outages, kinds)
    finally:
        try:
            cluster.close()
        finally:
            shutil.rmtree(cluster_root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=600.0, help="how long the load runs (default 600)")
    parser.add_argument("--seed", type=int, default=None, help="the random seed (default: a new one)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ledger-soak-work-") as work:
        report = run_soak(args.seconds, seed, Path(work))
    print(report.table())
    print(f"seed {seed}; {time.monotonic() - began:.0f} s in all")
    for note in report.findings.notes:
        print(f"  {note}")
    clean = not any((report.result.lost, report.result.duplicated, report.result.server_errors))
    return 0 if clean and not report.result.invariant_violations else 1


if __name__ == "__main__":
    sys.exit(main())
