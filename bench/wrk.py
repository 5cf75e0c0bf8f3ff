"""`wrk`, a C load generator that barely competes for the CPU: upserts against the ledger or the bare app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable
from typing import Any

from bench.config import BENCH_DIR, DATA_DIR
from bench.slots import EPOCH, WRK_DAY_BASE

THREADS = 2
SCRIPT = BENCH_DIR / "wrk_upserts.lua"


def ensure_wrk() -> str:
    """The `wrk` executable; installed from Debian's package when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise RuntimeError("wrk is not installed; install Debian's package: sudo apt-get install wrk")
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=True)
        subprocess.run(install, capture_output=True, check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get installed wrk, but it is not on PATH")
    return found


def run_wrk(
    url: str,
    service_id: str,
    key: str | None,
    court_ids: list[str],
    day_base: int,
    tag: str,
    seconds: float,
    connections: int,
    expected: int,
) -> dict[str, Any]:
    """Distinct upserts for `seconds` over `connections`: requests per second, p50, p99 and errors."""
    work = DATA_DIR / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    script = work / f"wrk-{tag}.lua"
    settings = {
        "courts": "{" + ", ".join(f'"{court}"' for court in court_ids) + "}",
        "prefix": json.dumps(f"wrk-{tag}-"),
        "service": json.dumps(service_id),
        "auth": json.dumps(f"Bearer {key}" if key else ""),
        "epoch": int(EPOCH.timestamp()),
        "day_base": day_base,
        "expected": expected,
        "thread_count": THREADS,
    }
    prelude = "".join(f"{name} = {value}\n" for name, value in settings.items())
    script.write_text(prelude + SCRIPT.read_text())
    command = [
        ensure_wrk(),
        f"-t{THREADS}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        url,
    ]
    try:
        out = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 120
        ).stdout
    finally:
        script.unlink(missing_ok=True)
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    result: dict[str, Any] = json.loads(line[4:])
    result["requests_per_second"] = result["requests"] / result["seconds"]
    return result


def measure(
    url: str,
    seed: Any,
    what: str,
    seconds: float,
    connections: int,
    add: Callable[..., None],
    problems: list[str],
) -> float:
    """One wrk run of `what` ("framework": the bare app, answering 200; "upsert": the ledger, 201); its
    requests per second, also added as figures."""
    framework = what == "framework"
    result = run_wrk(
        url,
        seed.client_id,
        None if framework else seed.key,
        seed.court_ids,
        WRK_DAY_BASE + (0 if framework else 1000),
        f"{what}-{uuid.uuid4().hex[:8]}",
        seconds,
        connections,
        200 if framework else 201,
    )
    if result["errors"] or result["socket_errors"]:
        problems.append(
            f"wrk {what}: {result['errors']} unexpected answers, {result['socket_errors']} socket errors, "
            f"e.g. {result['sample']!r}"
        )
    name = "framework_ceiling" if framework else "upsert"
    conditions = {"connections": connections, "threads": THREADS, "seconds": seconds, "load_generator": "wrk"}
    add(f"{name}_wrk_rps", result["requests_per_second"], "req/s", **conditions)
    add(f"{name}_wrk_p99_ms", result["p99_ms"], "ms", requests=result["requests"], errors=result["errors"])
    return float(result["requests_per_second"])
