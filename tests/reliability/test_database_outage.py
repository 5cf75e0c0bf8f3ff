"""PostgreSQL stops and returns: 503 with Retry-After meanwhile, then recovery by itself, and nothing lost."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.processes import (
    Attempt,
    EmbeddedPostgres,
    Findings,
    LedgerServer,
    PartnerLoad,
    check_views,
    check_writes,
    in_process_runtime,
    wait_caught_up,
)
from tests.reliability.report import ScenarioResult
from tests.support import make_tenant, random_day

OUTAGE_SECONDS = 8.0
# A request made while the database is down gets its 503 within this (the connect timeout is 5 s).
ANSWER_SECONDS = 6.0
RECOVERY_SECONDS = 10.0
RECOVERY_WAIT = 40.0  # how long the probes keep trying, to tell how late a recovery beyond 10 s was
CATCH_UP_SECONDS = 5.0
PROBE_PAUSE = 0.25
PROBE_TIMEOUT = 20.0
SCHEMA = "outage"


def exchange(http: httpx.Client, method: str, path: str, headers: dict[str, str] | None = None) -> Attempt:
    sent = time.monotonic()
    try:
        response = http.request(method, path, headers=headers)
    except httpx.TransportError as error:
        return Attempt(sent, time.monotonic(), None, {}, None, type(error).__name__)
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    return Attempt(sent, time.monotonic(), response.status_code, dict(response.headers), body)


@dataclass
class Outage:
    """When the database went down and came back, when the API recovered, and what the probes saw."""

    stopping: float = 0.0
    down: float = 0.0
    starting: float = 0.0
    up: float = 0.0
    recovered: float | None = None
    probes: list[tuple[str, Attempt]] = field(default_factory=list)
    recovery_probes: list[tuple[str, Attempt]] = field(default_factory=list)

    @property
    def window_end(self) -> float:
        return self.recovered if self.recovered is not None else self.up + RECOVERY_SECONDS

    def inside(self, attempt: Attempt) -> bool:
        """Whether the exchange overlapped the outage: answered after the stop began, sent before recovery."""
        return attempt.answered >= self.stopping and attempt.sent <= self.window_end

    def sent_while_down(self, attempt: Attempt) -> bool:
        return self.stopping <= attempt.sent < self.up

    def run(self, cluster: EmbeddedPostgres) -> None:
        """Stop the database, keep it down for OUTAGE_SECONDS, and start it again; note when each happened."""
        self.stopping = time.monotonic()
        cluster.stop_database()
        self.down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        self.starting = time.monotonic()
        cluster.start_database()
        self.up = time.monotonic()


class Prober:
    """Threads that each repeat a request every PROBE_PAUSE s: health, a read, and a new booking's upsert."""

    def __init__(self, base_url: str, load: PartnerLoad, known: str, outage: Outage) -> None:
        self.base_url = base_url
        self.load = load
        self.known = known
        self.outage = outage
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        probes: dict[str, Callable[[httpx.Client], Attempt | None]] = {
            "GET /health": lambda http: exchange(http, "GET", "/health"),
            "GET booking": lambda http: exchange(http, "GET", self.load.path(self.known), self.load.headers),
            "PUT booking": self._put,
        }
        for what, probe in probes.items():
            thread = threading.Thread(
                target=self._repeat, args=(what, probe), name=f"probe {what}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=PROBE_TIMEOUT + 5)

    def _put(self, http: httpx.Client) -> Attempt | None:
        attempts = self.load.probe_write(http).attempts
        return attempts[-1] if attempts else None

    def _repeat(self, what: str, probe: Callable[[httpx.Client], Attempt | None]) -> None:
        with httpx.Client(base_url=self.base_url, timeout=PROBE_TIMEOUT) as http:
            while not self._stopping.is_set():
                attempt = probe(http)
                if attempt is not None:
                    self.outage.probes.append((what, attempt))
                self._stopping.wait(PROBE_PAUSE)


def await_recovery(base_url: str, load: PartnerLoad, outage: Outage) -> None:
    """Probe (each request waiting up to RECOVERY_WAIT s) until a health check and a write both pass."""
    with httpx.Client(base_url=base_url, timeout=RECOVERY_WAIT) as fresh:
        while time.monotonic() - outage.up < RECOVERY_WAIT:
            health = exchange(fresh, "GET", "/health")
            write = load.probe_write(fresh)
            outage.recovery_probes.append(("GET /health", health))
            if health.status == 200 and write.acknowledged is not None:
                outage.recovered = time.monotonic()
                return
            time.sleep(PROBE_PAUSE)


def stop_and_restart_database(
    cluster: EmbeddedPostgres, base_url: str, load: PartnerLoad, known: str
) -> Outage:
    """Stop PostgreSQL for OUTAGE_SECONDS while probing the API, start it again, and await recovery."""
    outage = Outage()
    prober = Prober(base_url, load, known, outage)
    prober.start()
    try:
        time.sleep(1.0)
        outage.run(cluster)
        await_recovery(base_url, load, outage)
        time.sleep(1.0)
    finally:
        prober.stop()
    return outage


def unavailable_problem(attempt: Attempt) -> str | None:
    """What is wrong with a 503 (None: the envelope with type service_unavailable and a Retry-After)."""
    body = attempt.body
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or error.get("type") != "service_unavailable":
        return f"body {body!r}"
    if not isinstance(error.get("message"), str):
        return f"no message in {body!r}"
    retry_after = attempt.headers.get("retry-after", "")
    if not retry_after.isdigit():
        return f"Retry-After {retry_after!r}"
    return None


def judge_answers(outage: Outage, load: PartnerLoad, result: ScenarioResult, findings: Findings) -> None:
    """503s in the surface's format (with Retry-After) inside the outage, never another 5xx or a 503 outside.

    A request made while the database is down must get its 503 promptly, not wait for the database.
    """
    answers = [(f"{w.method} {w.external_id}", a) for w in load.all_writes() for a in w.attempts]
    answers += [(what, attempt) for what, attempt in outage.probes if not what.startswith("PUT")]
    answers += outage.recovery_probes
    unavailable = 0
    for what, attempt in answers:
        status, held = attempt.status, attempt.answered - attempt.sent
        if attempt.transport_error is not None:
            if attempt.sent < outage.up:
                result.invariant_violations += 1
                findings.note(f"{what}: no answer in {held:.1f} s ({attempt.transport_error})")
            continue
        if status is not None and status >= 500:
            if status == 503 and outage.inside(attempt):
                unavailable += 1
                problem = unavailable_problem(attempt)
                if problem is not None:
                    result.invariant_violations += 1
                    findings.note(f"{what}: 503 without the error envelope and Retry-After: {problem}")
            else:
                result.server_errors += 1
                findings.note(f"{what}: {status} {attempt.body!r} ({attempt.sent - outage.down:+.2f} s)")
        # Sent and answered while the database was certainly down: only a 503 is right.
        not_503_while_down = (
            outage.down <= attempt.sent and attempt.answered < outage.starting and status != 503
        )
        if outage.sent_while_down(attempt) and (held > ANSWER_SECONDS or not_503_while_down):
            result.invariant_violations += 1
            findings.note(
                f"{what} sent {attempt.sent - outage.down:.1f} s into the outage: {status} after "
                f"{held:.1f} s (the database returned {outage.up - attempt.sent:.1f} s after it was sent)"
            )
    if outage.probes and not unavailable:
        result.invariant_violations += 1
        findings.note("no request was answered 503 during the outage")


def judge_recovery(outage: Outage, result: ScenarioResult, findings: Findings) -> float | None:
    """The API serves a health check and a write within RECOVERY_SECONDS of the database returning."""
    recovery = None if outage.recovered is None else outage.recovered - outage.up
    if recovery is None or recovery > RECOVERY_SECONDS:
        result.invariant_violations += 1
        late = f"not within {RECOVERY_WAIT:g} s" if recovery is None else f"after {recovery:.1f} s"
        findings.note(f"the API recovered {late} of the database returning (at most {RECOVERY_SECONDS:g} s)")
    return recovery


@dataclass
class OutageStack:
    """A cluster of the test's own, `ledger serve` on it, a partner tenant and its (not yet started) load."""

    cluster: EmbeddedPostgres
    server: LedgerServer
    http: httpx.Client
    load: PartnerLoad
    token: str
    runtime_dir: Path


@pytest.fixture
def outage_stack(tmp_path: Path) -> Iterator[OutageStack]:
    token = secrets.token_urlsafe(24)
    # Not under tmp_path: pytest makes its base directory owner-only again at each session start, and the
    # cluster runs as another system user that must reach its data directory.
    cluster_root = Path(tempfile.mkdtemp(prefix="ledger-outage-"))
    cluster = EmbeddedPostgres(cluster_root)
    try:
        cluster.start()
        with (
            LedgerServer(
                database_url=cluster.url, schema=SCHEMA, admin_token=token, data_dir=tmp_path / "data"
            ) as server,
            httpx.Client(base_url=server.url, timeout=30) as http,
        ):
            server.start()
            tenant = make_tenant(http, {"Authorization": f"Bearer {token}"})
            load = PartnerLoad(
                server.url,
                tenant.client_id,
                tenant.key,
                [tenant.court_id],
                random_day(),
                clients=3,
                pause=0.05,
            )
            try:
                # The server's data directory: its keys open the personal data the server sealed.
                yield OutageStack(cluster, server, http, load, token, tmp_path / "data")
            finally:
                load.stop()
    finally:
        try:
            cluster.close()
        finally:
            shutil.rmtree(cluster_root, ignore_errors=True)


def verify_ledger(stack: OutageStack, result: ScenarioResult, findings: Findings) -> float | None:
    """No acknowledged write lost or doubled, views equal to the bookings and to a rebuild; catch-up time."""
    findings.notes.extend(stack.load.errors)
    result.invariant_violations += len(stack.load.errors)
    result.acknowledged = stack.load.acknowledged_count()
    url = stack.cluster.url
    with in_process_runtime(url, SCHEMA, stack.token, stack.runtime_dir) as runtime:
        check_writes(stack.http, stack.load, runtime, result, findings)
        return check_views(url, SCHEMA, runtime, stack.load, result, findings, CATCH_UP_SECONDS)


@pytest.mark.slow
def test_database_outage_answers_503_then_recovers_by_itself_and_loses_no_acknowledged_write(
    outage_stack: OutageStack,
) -> None:
    result = ScenarioResult(f"PostgreSQL stopped for {OUTAGE_SECONDS:g} s under light load", runs=1)
    findings = Findings()
    stack, load = outage_stack, outage_stack.load
    known = load.side_booking("known")
    assert load.put(stack.http, known, retry=False).acknowledged is not None
    load.start()
    try:
        outage = stop_and_restart_database(stack.cluster, stack.server.url, load, known.external_id)
        resumed = wait_caught_up(stack.cluster.url, SCHEMA, RECOVERY_WAIT) if outage.recovered else None
        time.sleep(1.0)
    finally:
        load.stop()
    assert stack.server.is_running(), "ledger serve must survive the outage"

    judge_answers(outage, load, result, findings)
    recovery = judge_recovery(outage, result, findings)
    if resumed is None or resumed > CATCH_UP_SECONDS:
        result.invariant_violations += 1
        findings.note(f"the views reached the log head {resumed} s after the API recovered")
    caught_up = verify_ledger(stack, result, findings)
    print(
        f"{result.scenario}: {result.acknowledged} acknowledged; API recovered {recovery} s after the "
        f"database returned; views at the head {resumed} s later, and {caught_up} s after the load stopped"
    )
    print("\n".join(findings.notes))
    result.assert_clean()


@pytest.mark.slow
def test_after_a_quiet_database_outage_the_first_requests_are_served_within_10_seconds(
    outage_stack: OutageStack,
) -> None:
    result = ScenarioResult(f"PostgreSQL stopped for {OUTAGE_SECONDS:g} s with no traffic", runs=1)
    findings = Findings()
    stack, load = outage_stack, outage_stack.load
    load.start()
    time.sleep(1.0)
    load.stop()
    outage = Outage()
    outage.run(stack.cluster)

    await_recovery(stack.server.url, load, outage)

    judge_answers(outage, load, result, findings)
    recovery = judge_recovery(outage, result, findings)
    caught_up = verify_ledger(stack, result, findings)
    print(f"{result.scenario}: API recovered {recovery} s after the database returned; views {caught_up} s")
    print("\n".join(findings.notes))
    result.assert_clean()
