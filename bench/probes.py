"""Runs the bench's helper processes (load generator, database ceiling, rebuild) and the lag probe."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import psycopg
from psycopg import sql

from bench.config import DATA_DIR, REPO_DIR
from bench.server import RssSampler
from projections.court_bookings import CourtBookingsView

EXTRA_SECONDS = 180


def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Run bench.load in its own process with `spec`; return its result."""
    work = DATA_DIR / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    stem = f"{spec['mode']}-{uuid.uuid4().hex[:8]}"
    spec_path, result_path = work / f"{stem}-spec.json", work / f"{stem}-result.json"
    spec_path.write_text(json.dumps(spec))
    limit = float(spec.get("seconds", 0)) + float(spec.get("warmup_seconds", 0)) + EXTRA_SECONDS
    try:
        subprocess.run(
            [sys.executable, "-m", "bench.load", str(spec_path), str(result_path)],
            cwd=REPO_DIR,
            check=True,
            timeout=limit,
        )
        result: dict[str, Any] = json.loads(result_path.read_text())
    finally:
        spec_path.unlink(missing_ok=True)
        result_path.unlink(missing_ok=True)
    return result


def run_json(args: list[str], timeout: float) -> tuple[dict[str, Any], float]:
    """Run `python -m <args>` that prints one JSON line; return it and the process's peak RSS in MiB."""
    process = subprocess.Popen([sys.executable, "-m", *args], cwd=REPO_DIR, stdout=subprocess.PIPE, text=True)
    try:
        with RssSampler(process.pid) as rss:
            out, _ = process.communicate(timeout=timeout)
        if process.returncode != 0:
            raise RuntimeError(f"{args[0]} exited with {process.returncode}")
        result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return result, rss.peak_mb
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


class LagProbe:
    """Polls the court-bookings view's tracking position every few ms; keeps (time, position) on change."""

    def __init__(self, url: str, schema: str, interval: float = 0.002) -> None:
        self._url = url
        self._query = sql.SQL("SELECT notification_id FROM {} WHERE application_name = 'Ledger'").format(
            sql.Identifier(schema, f"{CourtBookingsView.name}_tracking")
        )
        self._interval = interval
        self._target: int | None = None
        self._deadline = time.monotonic() + 3600
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lag-probe", daemon=True)
        self.samples: list[tuple[float, int]] = []
        self.error: str | None = None

    def _run(self) -> None:
        try:
            with psycopg.connect(self._url, autocommit=True) as conn:
                last = -1
                while not self._stop.is_set() and time.monotonic() < self._deadline:
                    row = conn.execute(self._query, prepare=True).fetchone()
                    now = time.monotonic()
                    position = int(row[0]) if row and row[0] is not None else 0
                    if position != last:
                        self.samples.append((now, position))
                        last = position
                    if self._target is not None and position >= self._target:
                        return
                    time.sleep(self._interval)
        except psycopg.Error as error:
            self.error = repr(error)

    def start(self) -> None:
        self._thread.start()

    def finish(self, target: int, timeout: float = 30.0) -> None:
        """Stop once the view reached `target`, or after `timeout` seconds."""
        self._deadline = time.monotonic() + timeout
        self._target = target
        self._thread.join(timeout=timeout + 5)
        self._stop.set()
