"""`ledger serve` on the embedded default: PostgreSQL in its data directory, health and an upsert."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.support import booking_body, expect, free_port

STARTUP_SECONDS = 120


@pytest.fixture
def embedded_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGER_")}
    env["LEDGER_DATA_DIR"] = str(tmp_path / "data")
    ledger_command = Path(sys.executable).with_name("ledger")
    process = subprocess.Popen(
        [str(ledger_command), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"ledger serve exited early:\n{process.stdout.read() if process.stdout else ''}"
                )
            try:
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("ledger serve did not become healthy in time")
            time.sleep(0.2)
        yield base_url, tmp_path / "data"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.smoke
def test_serve_on_embedded_postgres_answers_health_and_an_upsert(embedded_server: tuple[str, Path]) -> None:
    base_url, data_dir = embedded_server
    token = (data_dir / "admin-token").read_text().strip()
    admin = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, timeout=30) as http:
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
    assert (data_dir / "pg" / "PG_VERSION").exists()
