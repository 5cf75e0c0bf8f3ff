"""`ledger serve` on the embedded default: it serves, and a stop signal at any time stops its PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psutil
import pytest

from tests.smoke.interrupted_start import INTERRUPTED
from tests.support import booking_body, expect, free_port

STARTUP_SECONDS = 120
STOP_SECONDS = 60
STOP_SIGNALS = [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")]


class Serve:
    """One `ledger serve` process on the embedded PostgreSQL in `data_dir`."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.data_dir = data_dir
        self.base_url = f"http://127.0.0.1:{free_port()}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
        env["LEDGER_DATA_DIR"] = str(data_dir)
        ledger_command = Path(sys.executable).with_name("ledger")
        self.process = subprocess.Popen(
            [str(ledger_command), "serve", "--port", self.base_url.rsplit(":", 1)[1], *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def output(self) -> str:
        return self.process.stdout.read() if self.process.stdout else ""

    def wait_until(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"ledger serve exited before {what}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"ledger serve did not reach {what} in time")
            time.sleep(0.05)

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self, signum: int) -> int:
        """Send `signum` and wait for the process to end; return its exit status."""
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    """The running PostgreSQL server processes whose command line names `data_dir`."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "postgres" in (process.info["name"] or "") and any(str(data_dir) in part for part in cmdline):
            found.append(process)
    return [process for process in found if process.is_running() and process.status() != psutil.STATUS_ZOMBIE]


def stop_postgres_left_behind(data_dir: Path) -> None:
    """Keep a failed test from leaving a server running on the machine."""
    for process in postgres_processes(data_dir):
        process.terminate()
    psutil.wait_procs(postgres_processes(data_dir), timeout=10)


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    """One data directory for the module's servers, so the cluster is initialised only once.

    It lies outside pytest's base directory, which a concurrent pytest session may close to other users
    again, while the embedded server runs as its own user when started by root.
    """
    with tempfile.TemporaryDirectory(prefix="ledger-smoke-") as parent:
        path = Path(parent) / "data"
        yield path
        stop_postgres_left_behind(path)


@pytest.fixture
def serve(data_dir: Path) -> Iterator[Callable[..., Serve]]:
    started: list[Serve] = []

    def start(*args: str) -> Serve:
        started.append(Serve(data_dir, *args))
        return started[-1]

    yield start
    for server in started:
        server.kill()
    stop_postgres_left_behind(data_dir)


@pytest.mark.smoke
def test_serve_on_embedded_postgres_answers_health_and_an_upsert(serve: Callable[[], Serve]) -> None:
    server = serve()
    server.wait_until(server.healthy, "health")
    token = (server.data_dir / "admin-token").read_text().strip()
    admin = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        assert expect(http.get("/health"), 200) == {"status": "ok"}
        organization = expect(
            http.post("/api/v1/admin/organizations", json={"name": "O", "timezone": "UTC"}, headers=admin),
            201,
        )
        venue = expect(
            http.post(
                f"/api/v1/admin/organizations/{organization['id']}/venues", json={"name": "V"}, headers=admin
            ),
            201,
        )
        court = expect(
            http.post(f"/api/v1/admin/venues/{venue['id']}/courts", json={"name": "C"}, headers=admin), 201
        )
        client = expect(
            http.post(
                "/api/v1/admin/clients",
                json={
                    "name": "P",
                    "scopes": ["court-bookings:write"],
                    "organizationIds": [organization["id"]],
                },
                headers=admin,
            ),
            201,
        )
        key = expect(
            http.post(f"/api/v1/admin/clients/{client['id']}/api-keys", json={}, headers=admin), 201
        )["key"]
        start = datetime(2031, 5, 1, 10, tzinfo=UTC) + timedelta(days=1)
        booking = expect(
            http.put(
                f"/api/v1/external-services/{client['id']}/court-bookings/by-external-id/smoke-1",
                json=booking_body(court["id"], start),
                headers={"Authorization": f"Bearer {key}"},
            ),
            201,
        )
    assert booking["status"] == "active"
    assert (server.data_dir / "pg" / "PG_VERSION").exists()

    server.stop(signal.SIGINT)

    assert postgres_processes(server.data_dir) == []


@pytest.mark.smoke
def test_two_workers_share_one_embedded_postgres_and_sigterm_stops_it(serve: Callable[..., Serve]) -> None:
    server = serve("--workers", "2")
    server.wait_until(server.healthy, "health")
    admin = {"Authorization": f"Bearer {(server.data_dir / 'admin-token').read_text().strip()}"}
    statuses = []
    for number in range(8):  # a connection each, so that both workers take some
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            body = {"name": f"Club {number}", "timezone": "UTC"}
            statuses.append(http.post("/api/v1/admin/organizations", json=body, headers=admin).status_code)
    workers = [
        w for w in psutil.Process(server.process.pid).children() if "spawn_main" in " ".join(w.cmdline())
    ]
    running = postgres_processes(server.data_dir)
    postmasters = [p for p in running if p.ppid() not in {other.pid for other in running}]

    assert statuses == [201] * 8
    assert len(workers) == 2
    assert len(postmasters) == 1

    server.stop(signal.SIGTERM)

    assert postgres_processes(server.data_dir) == []


@pytest.mark.smoke
def test_sigterm_to_a_running_serve_stops_its_embedded_postgres(serve: Callable[[], Serve]) -> None:
    server = serve()
    server.wait_until(server.healthy, "health")
    assert postgres_processes(server.data_dir)

    server.stop(signal.SIGTERM)

    assert postgres_processes(server.data_dir) == []


@pytest.mark.smoke
@pytest.mark.parametrize("signum", STOP_SIGNALS)
def test_stop_signal_during_start_up_stops_the_embedded_postgres(
    serve: Callable[[], Serve], signum: int
) -> None:
    server = serve()
    # Sent as soon as the cluster runs, while `ledger serve` is still starting (its API not yet up).
    server.wait_until(lambda: bool(postgres_processes(server.data_dir)), "a running PostgreSQL")

    server.stop(signum)

    assert postgres_processes(server.data_dir) == []


@pytest.mark.smoke
def test_sigterm_just_as_the_cluster_is_up_stops_it_before_its_handle_is_returned(data_dir: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "tests.smoke.interrupted_start", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
        check=False,
    )

    assert (finished.returncode, finished.stdout) == (INTERRUPTED, "")
    assert postgres_processes(data_dir) == []
