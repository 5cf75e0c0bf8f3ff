"""Scaling with API processes: the upsert load against `ledger serve --workers 1` and `--workers 2`."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import psutil

from bench.probes import run_load
from bench.seed import Seed
from bench.server import Server, ledger_server
from bench.slots import SCALING_DAY_BASE
from bench.stats import busy_cores

WORKERS = (1, 2)
RUNNERS_APART = {"LEDGER_PROJECTION_PROCESSES": "1"}
EXPECTED = [*(f"upsert_rps_workers_{workers}" for workers in WORKERS), "workers_scaling_ratio"]
# Two processes can only go faster than one where there are cores for both and for the database.
SCALING_TARGET_CORES = 4


def server_cpu(server: Server) -> float:
    """CPU seconds of the server and its worker processes."""
    processes = [server.ps, *server.ps.children(recursive=True)]
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def measure(
    database_url: str,
    seed: Seed,
    spec: Callable[[str, Server, Seed, int], dict[str, Any]],
    add: Callable[..., None],
    problems: list[str],
) -> None:
    """Upsert throughput with 1 and 2 workers, in the same run, and their ratio."""
    rates: dict[int, float] = {}
    cores = psutil.cpu_count() or 1
    for index, workers in enumerate(WORKERS):
        args = ("--workers", str(workers))
        token = secrets.token_urlsafe(24)
        # The runners in one process of their own in both runs, so that only the API processes differ.
        with ledger_server(
            f"ledger-{workers}-workers", database_url, seed.schema, token, RUNNERS_APART, args=args
        ) as server:
            load = spec("upsert", server, seed, SCALING_DAY_BASE + 1000 * index)
            load["tag"] = f"{load['tag']}-w{workers}"
            cpu, machine = server_cpu(server), psutil.cpu_times()
            result = run_load(load)
            cpu, machine_cores = server_cpu(server) - cpu, busy_cores(machine)
        if result["errors"] or result["setup_errors"]:
            problems.append(f"upsert with {workers} workers: {result['errors']} errors")
        rates[workers] = result["requests_per_second"]
        seconds = load["seconds"] + load["warmup_seconds"]
        add(
            f"upsert_rps_workers_{workers}",
            result["requests_per_second"],
            "req/s",
            workers=workers,
            connections=load["concurrency"],
            seconds=load["seconds"],
            p99_ms=round(result["p99_ms"], 1),
            cores=cores,
            server_cpu_cores=round(cpu / seconds, 2),
            machine_busy_cores=round(machine_cores, 2),
            how="ledger serve --workers N beside one projection process it starts, the upsert phase's load",
        )
    target = (">=", 1.5) if cores >= SCALING_TARGET_CORES else None
    add(
        "workers_scaling_ratio",
        rates[2] / rates[1] if rates.get(1) else float("nan"),
        "ratio",
        target=target,
        cores=cores,
        target_applies=f"only with {SCALING_TARGET_CORES} or more cores (>= 1.5)",
    )
