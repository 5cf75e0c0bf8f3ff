"""Servers under test as subprocesses (`ledger serve`, the bare app), with health waits and RSS sampling."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import psutil

from bench.config import HOST, LOG_DIR, REPO_DIR

STARTUP_SECONDS = 120
STOP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A server subprocess on a loopback port; its output goes to a log file."""

    def __init__(self, name: str, command: Sequence[str], port: int, env: dict[str, str]) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.port = port
        self.log_path = LOG_DIR / f"{name}.log"
        self._log: IO[bytes] = self.log_path.open("wb")
        self.process = subprocess.Popen(
            list(command), cwd=REPO_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        self.ps = psutil.Process(self.process.pid)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not become healthy; see {self.log_path}")
            time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """CPU time (user and system) of the server and of the processes it started, such as its
        projection process, while they run."""
        total = 0.0
        for process in [self.ps, *self.ps.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _ledger_command() -> list[str]:
    return [str(Path(sys.executable).with_name("ledger")), "serve", "--host", HOST]


@contextmanager
def ledger_server(
    name: str,
    database_url: str,
    schema: str,
    admin_token: str,
    settings: dict[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[Server]:
    """`ledger serve` as a production user starts it, projection runners included, isolated by schema;
    `settings` adds LEDGER_ variables a phase needs, `args` arguments (`--workers 2`)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    env.update(
        LEDGER_DATABASE_URL=database_url,
        LEDGER_DB_SCHEMA=schema,
        LEDGER_ADMIN_TOKEN=admin_token,
        LEDGER_DATA_DIR=str(LOG_DIR.parent / "ledger"),
        **(settings or {}),
    )
    port = free_port()
    server = Server(name, [*_ledger_command(), "--port", str(port), *args], port, env)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


@contextmanager
def bare_server() -> Iterator[Server]:
    """The bare FastAPI app (bench.bare_app) under the same uvicorn settings."""
    port = free_port()
    server = Server(
        "bare-app", [sys.executable, "-m", "bench.bare_app", "--port", str(port)], port, dict(os.environ)
    )
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


class RssSampler:
    """Polls a process's resident set size in a thread and keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self._process = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rss-{pid}", daemon=True)
        self.peak_bytes = 0

    def _sample(self) -> None:
        try:
            self.peak_bytes = max(self.peak_bytes, self._process.memory_info().rss)
        except psutil.Error:
            self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self._interval)

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 2**20

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
