"""The bench's orchestrator: prepares the database and seeds, runs every phase, prints one table."""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import secrets
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psutil

from bench import availability, batch, console, encryption, round_trips, scaling, webhooks, wrk
from bench.config import FULL, QUICK, RESULTS_DIR, Sizes
from bench.database import Database, open_database
from bench.probes import LagProbe, run_json, run_load
from bench.queries import expected_figures, query_cases, query_figures, time_cases
from bench.query_seed import ORGANISATIONS, cached_query_seed
from bench.report import Figure, Target, check, table, write_json
from bench.seed import Seed, cached_seed, restore_seed, runtime_settings, seed_schema
from bench.server import RssSampler, Server, bare_server, ledger_server
from bench.slots import GROWTH_DAY_BASE, MIXED_DAY_BASE, OPEN_LOOP_DAY_BASE, UPSERT_DAY_BASE
from bench.stats import busy_cores, lags_ms, percentile
from bench.travel import travel_cases
from domain.court_booking_upserts import MAX_BATCH

EXPECTED = [
    "framework_ceiling_rps",
    "db_ceiling_commits_per_s",
    "append_ceiling_commits_per_s",
    "append_vs_db_ceiling_ratio",
    *(
        f"{name}_{writers}{unit}"
        for writers in (1, 8)
        for name, unit in (
            ("db_ceiling", "_commits_per_s"),
            ("append_ceiling", "_commits_per_s"),
            ("append_vs_db_ceiling_ratio", ""),
        )
    ),
    "upsert_rps",
    "upsert_p50_ms",
    "upsert_p95_ms",
    "upsert_p99_ms",
    "upsert_errors",
    "upsert_open_loop_rps",
    "upsert_open_loop_p50_ms",
    "upsert_open_loop_p99_ms",
    "upsert_vs_framework_ratio",
    "upsert_vs_db_ratio",
    "upsert_vs_append_ceiling_ratio",
    "upsert_plain_rps",
    "upsert_personal_rps",
    "encryption_cost_ratio",
    "encryption_cpu_cost_ratio",
    "mixed_rps",
    "mixed_p50_ms",
    "mixed_p95_ms",
    "mixed_p99_ms",
    "mixed_errors",
    "mixed_conflicts_answered",
    "projection_lag_p50_ms",
    "projection_lag_p99_ms",
    "rebuild_events_per_s",
    "time_travel_p50_ms",
    "time_travel_p99_ms",
    "time_travel_worst_p50_ms",
    "time_travel_worst_p99_ms",
    "time_travel_random_p50_ms",
    "time_travel_random_p99_ms",
    "growth_upsert_p99_small_ms",
    "growth_upsert_p99_large_ms",
    "growth_p99_ratio",
    "server_peak_rss_upsert_mb",
    "rebuild_peak_rss_mb",
    "verify_events_per_s",
    *expected_figures(),
    "availability_31d_p99_ms",
    "webhook_delivery_delay_p50_ms",
    "webhook_delivery_delay_p99_ms",
    "webhook_flood_delay_p50_ms",
    "webhook_flood_delay_p99_ms",
    "webhook_flood_deliveries_per_s",
    "feed_changes_per_s",
    *(f"console_{page}_{stat}_ms" for page in console.PAGES for stat in ("p50", "p99")),
    "batch_upsert_bookings_per_s",
    "framework_ceiling_wrk_rps",
    "upsert_wrk_rps",
    "upsert_vs_framework_ratio_wrk",
    "round_trips_upsert_create",
    "round_trips_upsert_update",
    "round_trips_upsert_replay",
    "round_trips_order",
    "seed_bookings_per_s",
    *scaling.EXPECTED,
]
APPEND_WRITERS = (1, 8, 32)
LOADGEN = "asyncio httpx in its own process (one AsyncClient with one connection per worker)"
CEILING_HOW = {
    "raw": "raw psycopg, 1 row per INSERT+COMMIT, events-shaped table, no lock",
    "ledger": "the ledger's recorder, 1 event per insert_events(): its function (floor, transaction id, "
    "hash, INSERT), COMMIT, NOTIFY after it; no table lock",
}
SERVER = (
    "`ledger serve` subprocess (uvicorn defaults, 1 request process, access log on; for the upsert, "
    "open-loop, mixed, batch and encryption loads, projection runners in a `ledger projections run` process "
    "it starts, as production runs them, elsewhere in-process)"
)
# The projection runners outside the request process, as in production (`LEDGER_PROJECTION_PROCESSES`).
PRODUCTION = {"LEDGER_PROJECTION_PROCESSES": "1"}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    """One run: its sizes, database, seeds, figures and problems."""

    def __init__(self, sizes: Sizes, db: Database) -> None:
        self.sizes = sizes
        self.db = db
        self.figures: list[Figure] = []
        self.problems: list[str] = []
        self.results: dict[str, Any] = {}
        self.tag = uuid.uuid4().hex[:8]

    def add(
        self, name: str, value: float, unit: str, *, target: Target | None = None, **conditions: Any
    ) -> None:
        self.figures.append(Figure(name, float(value), unit, conditions, target))

    def phase(self, name: str, action: Callable[[], None]) -> None:
        """Run one phase; an exception becomes a problem of the run, and the next phase still runs."""
        log(f"{name} ...")
        started = time.monotonic()
        try:
            action()
        except Exception as error:
            traceback.print_exc()
            self.problems.append(f"{name} failed: {error!r}")
        log(f"{name} took {time.monotonic() - started:.1f} s")

    def spec(self, mode: str, server: Server, seed: Seed, day_base: int, **extra: Any) -> dict[str, Any]:
        return {
            "mode": mode,
            "base_url": server.url,
            "service_id": seed.client_id,
            "key": seed.key,
            "court_ids": seed.court_ids,
            "concurrency": self.sizes.concurrency,
            "warmup_seconds": self.sizes.warmup_seconds,
            "seconds": self.sizes.load_seconds,
            "day_base": day_base,
            "tag": f"{mode}-{self.tag}",
            **extra,
        }

    def expect_clean(self, what: str, result: dict[str, Any]) -> None:
        if result["errors"] or result["setup_errors"]:
            self.problems.append(
                f"{what}: {result['errors']} errors, {result['setup_errors']} in warm-up; "
                f"e.g. {result['error_samples'][:3]}"
            )

    # --- phases -----------------------------------------------------------------------------------------

    def db_ceiling(self) -> None:
        """The raw ceiling and the append path at 1, 8 and 32 writers, alternating, in this run."""
        for writers in APPEND_WRITERS:
            suffix = "" if writers == APPEND_WRITERS[-1] else f"_{writers}"
            for path, name in (("raw", "db_ceiling"), ("ledger", "append_ceiling")):
                result = self.ceiling(path, writers)
                if not suffix:
                    self.results[path] = result
                self.results[f"{path}_{writers}"] = result
                conditions = {
                    "threads": result["threads"],
                    "seconds": self.sizes.ceiling_seconds,
                    "p50_ms": round(result["p50_ms"], 2),
                    "p99_ms": round(result["p99_ms"], 2),
                    "how": CEILING_HOW[path],
                }
                figure = f"{name}{suffix}_commits_per_s"
                self.add(figure, result["commits_per_second"], "commits/s", **conditions)
            raw, ledger = self.results[f"raw_{writers}"], self.results[f"ledger_{writers}"]
            self.add(
                f"append_vs_db_ceiling_ratio{suffix}",
                ledger["commits_per_second"] / raw["commits_per_second"],
                "ratio",
                target=(">=", 0.5) if not suffix else None,
                writers=writers,
                what="the append path's commits over the raw ceiling's, same number of writers, same run",
            )

    def ceiling(self, path: str, writers: int) -> dict[str, Any]:
        seconds = self.sizes.ceiling_seconds
        args = ["bench.dbceiling", "--url", self.db.url, "--schema", f"bench_ceiling_{path}", "--path", path]
        args += ["--threads", str(writers), "--seconds", str(seconds)]
        args += ["--warmup", str(self.sizes.warmup_seconds)]
        result, _ = run_json(args, timeout=seconds + 120)
        return result

    def framework_ceiling(self, seed: Seed) -> None:
        with bare_server() as server:
            cpu, machine = server.cpu_seconds(), psutil.cpu_times()
            spec = self.spec("framework", server, seed, UPSERT_DAY_BASE, key=None)
            spec["seconds"] = self.sizes.ceiling_seconds
            result = run_load(spec)
            cpu, machine_cores = server.cpu_seconds() - cpu, busy_cores(machine)
            self.results["framework_wrk"] = wrk.measure(
                server.url,
                seed,
                "framework",
                self.sizes.ceiling_seconds,
                self.sizes.concurrency,
                self.add,
                self.problems,
            )
        self.results["framework"] = result
        self.expect_clean("framework ceiling", result)
        self.add(
            "framework_ceiling_rps",
            result["requests_per_second"],
            "req/s",
            connections=self.sizes.concurrency,
            seconds=self.sizes.ceiling_seconds,
            p99_ms=round(result["p99_ms"], 1),
            server_cpu_cores=round(cpu / (spec["seconds"] + spec["warmup_seconds"]), 2),
            client_cpu_cores=round(result["client_cpu_cores"], 2),
            machine_busy_cores=round(machine_cores, 2),
            how="bare FastAPI, sync PUT validating CourtBookingIn, same uvicorn settings",
        )

    def upsert_and_mixed(self, seed: Seed) -> None:
        token = secrets.token_urlsafe(24)
        with ledger_server("ledger-small", self.db.url, seed.schema, token, PRODUCTION) as server:
            self._upsert(server, seed)
            self._open_loop(server, seed)
            upsert_wrk = wrk.measure(
                server.url,
                seed,
                "upsert",
                self.sizes.load_seconds,
                self.sizes.concurrency,
                self.add,
                self.problems,
            )
            framework_wrk = self.results.get("framework_wrk", float("nan"))
            self.add("upsert_vs_framework_ratio_wrk", upsert_wrk / framework_wrk, "ratio", target=(">=", 0.4))
            self._mixed(server, seed)
            batch.measure(server, seed, self.sizes.batches, self.add, self.problems)
            encryption.measure(
                lambda mode, day_base, **extra: self.spec(mode, server, seed, day_base, **extra),
                server.url,
                token,
                seed.client_id,
                self.add,
                self.problems,
                server.cpu_seconds,
            )

    def _upsert(self, server: Server, seed: Seed) -> None:
        probe = LagProbe(self.db.url, seed.schema)
        probe.start()
        cpu, machine = server.cpu_seconds(), psutil.cpu_times()
        with RssSampler(server.process.pid) as rss:
            result = run_load(self.spec("upsert", server, seed, UPSERT_DAY_BASE))
        cpu, machine_cores = server.cpu_seconds() - cpu, busy_cores(machine)
        writes = [(float(t), int(p)) for t, p in result["writes"]]
        probe.finish(max((p for _, p in writes), default=0))
        self.results["upsert"] = result
        self.expect_clean("upsert", result)
        window = self.sizes.load_seconds
        conditions: dict[str, Any] = {
            "connections": self.sizes.concurrency,
            "seconds": window,
            "courts": self.sizes.courts,
            "events_before": seed.events,
        }
        self.add("upsert_rps", result["requests_per_second"], "req/s", **conditions)
        self.add("upsert_p50_ms", result["p50_ms"], "ms", **conditions)
        self.add("upsert_p95_ms", result["p95_ms"], "ms", **conditions)
        self.add("upsert_p99_ms", result["p99_ms"], "ms", target=("<=", 50), **conditions)
        self.add("upsert_errors", result["errors"], "count", requests=result["requests"], expected="201 each")
        framework = self.results.get("framework", {}).get("requests_per_second", float("nan"))
        database = self.results.get("raw", {}).get("commits_per_second", float("nan"))
        self.add(
            "upsert_vs_framework_ratio",
            result["requests_per_second"] / framework,
            "ratio",
            target=(">=", 0.65),
        )
        self.add("upsert_vs_db_ratio", result["requests_per_second"] / database, "ratio")
        append = self.results.get("ledger", {}).get("commits_per_second", float("nan"))
        self.add("upsert_vs_append_ceiling_ratio", result["requests_per_second"] / append, "ratio")
        self.add(
            "server_peak_rss_upsert_mb",
            rss.peak_mb,
            "MiB",
            target=("<=", 300),
            during="upsert load",
            server_cpu_cores=round(cpu / (window + self.sizes.warmup_seconds), 2),
            client_cpu_cores=round(result["client_cpu_cores"], 2),
            machine_busy_cores=round(machine_cores, 2),
        )
        lags, unseen = lags_ms(writes, probe.samples)
        if probe.error:
            self.problems.append(f"lag probe: {probe.error}")
        if unseen:
            self.problems.append(f"projection lag: {unseen} writes never became visible within 30 s")
        how: dict[str, Any] = {
            "writes": len(lags),
            "how": "poll court_bookings_tracking every 2 ms from the bench process",
        }
        self.add("projection_lag_p50_ms", percentile(lags, 50), "ms", **how)
        self.add("projection_lag_p99_ms", percentile(lags, 99), "ms", target=("<=", 100), **how)
        self.add("growth_upsert_p99_small_ms", result["p99_ms"], "ms", events_before=seed.events)

    def _open_loop(self, server: Server, seed: Seed) -> None:
        """Upserts offered at half the closed-loop maximum just measured, on a clock: what a request waits at
        a load the server can carry, queueing included (latency from each scheduled send)."""
        maximum = float(self.results["upsert"]["requests_per_second"])
        if not maximum > 0:
            raise RuntimeError(f"no closed-loop maximum to halve: {maximum} req/s")
        spec = self.spec("openloop", server, seed, OPEN_LOOP_DAY_BASE, rate=maximum / 2)
        machine = psutil.cpu_times()
        result = run_load(spec)
        machine_cores = busy_cores(machine)
        self.results["open_loop"] = result
        if result["open_loop_errors"]:
            self.problems.append(
                f"open-loop upsert: {result['open_loop_errors']} errors, "
                f"e.g. {result['open_loop_error_samples'][:3]}"
            )
        conditions: dict[str, Any] = {
            "offered_rps": round(result["offered_rps"], 1),
            "closed_loop_max_rps": round(maximum, 1),
            "seconds": self.sizes.load_seconds,
            "requests": result["open_loop_requests"],
            "connections": self.sizes.concurrency,
            "send_lag_p99_ms": round(result["send_lag_p99_ms"], 1),
            "client_cpu_cores": round(result["client_cpu_cores"], 2),
            "machine_busy_cores": round(machine_cores, 2),
            "how": "sends scheduled evenly on the clock, none waiting for an answer; latency from the "
            "scheduled send; 201 each",
        }
        self.add("upsert_open_loop_rps", result["achieved_rps"], "req/s", **conditions)
        self.add("upsert_open_loop_p50_ms", result["open_loop_p50_ms"], "ms")
        self.add(
            "upsert_open_loop_p99_ms",
            result["open_loop_p99_ms"],
            "ms",
            target=("<=", 25),
            max_ms=round(result["open_loop_max_ms"], 1),
        )

    def _mixed(self, server: Server, seed: Seed) -> None:
        spec = self.spec("mixed", server, seed, MIXED_DAY_BASE)
        spec["warmup_seconds"] = max(2.0, self.sizes.warmup_seconds)
        result = run_load(spec)
        self.results["mixed"] = result
        self.expect_clean("mixed", result)
        kinds = {kind: value["count"] for kind, value in result["kinds"].items()}
        conditions: dict[str, Any] = {
            "connections": self.sizes.concurrency,
            "seconds": self.sizes.load_seconds,
        }
        conditions["ops"] = kinds
        self.add("mixed_rps", result["requests_per_second"], "req/s", **conditions)
        self.add("mixed_p50_ms", result["p50_ms"], "ms", mix="60% update, 20% create, 15% get, 5% conflict")
        self.add("mixed_p95_ms", result["p95_ms"], "ms")
        self.add("mixed_p99_ms", result["p99_ms"], "ms")
        self.add("mixed_errors", result["errors"], "count", expected="2xx, or the conflict's own 409 type")
        answered = sum(result["conflicts"].values())
        self.add("mixed_conflicts_answered", answered, "count", types=result["conflicts"])
        if not answered:
            self.problems.append("mixed: no deliberate conflict was answered")

    def rebuild(self, seed: Seed) -> None:
        args = ["bench.rebuild_worker", "--url", self.db.url, "--schema", seed.schema]
        result, peak = run_json(args, timeout=3600)
        self.results["rebuild"] = result
        if result["events"] != seed.head:
            self.problems.append(f"rebuild read {result['events']} events, the seed has {seed.head}")
        conditions: dict[str, Any] = {"events": result["events"], "seconds": round(result["seconds"], 1)}
        conditions["swap"] = False
        self.add(
            "rebuild_events_per_s",
            result["events_per_second"],
            "events/s",
            target=(">=", 20_000),
            **conditions,
        )
        self.add("rebuild_peak_rss_mb", peak, "MiB", target=("<=", 300), process="rebuild process (separate)")

    def verify(self, seed: Seed) -> None:
        args = ["bench.verify_worker", "--url", self.db.url, "--schema", seed.schema]
        result, peak = run_json(args, timeout=3600)
        self.results["verify"] = result
        if not result["ok"]:
            self.problems.append(f"verify found a broken link in the seed: {result['first_broken']}")
        if result["events"] != seed.head:
            self.problems.append(f"verify read {result['events']} events, the seed has {seed.head}")
        for done, seconds, name in (
            (result["backfilled"], result["backfill_seconds"], "backfill_events_per_s"),
            (result["signed_events"], result["checkpoint_seconds"], "checkpoint_events_per_s"),
        ):
            if done:  # only where the cached seed lacked hashes or checkpoints
                self.add(name, done / seconds, "events/s", events=done, seconds=round(seconds, 1))
        self.add(
            "verify_events_per_s",
            result["events_per_second"],
            "events/s",
            target=(">=", 50_000),
            events=result["events"],
            checkpoints=result["checkpoints"],
            seconds=round(result["seconds"], 1),
            peak_rss_mb=round(peak, 1),
            how="ledger audit verify's pass in its own process: every event re-hashed in Python, every "
            "checkpoint's Merkle root, chain and signature checked",
        )

    def time_travel_in_process(self, seed: Seed) -> None:
        from ledger.runtime import open_runtime

        settings = runtime_settings(self.db.url, seed.schema)
        with open_runtime(settings, run_projections=False, announce=lambda _: None) as runtime:
            service = uuid.UUID(seed.client_id)
            for case in travel_cases(seed.history_events, self.sizes.time_travel_requests):
                timings = []
                for version in case.versions[:10] + case.versions:
                    started = time.monotonic()
                    runtime.ledger.get_court_booking(service, str(seed.history_external_id), version)
                    timings.append((time.monotonic() - started) * 1000)
                self.add(
                    f"{case.prefix}_in_process_p50_ms", percentile(timings[10:], 50), "ms", **case.conditions
                )

    def large(self, seed: Seed) -> None:
        with ledger_server("ledger-large", self.db.url, seed.schema, secrets.token_urlsafe(24)) as server:
            for case in travel_cases(seed.history_events, self.sizes.time_travel_requests):
                spec = self.spec("timetravel", server, seed, 0, concurrency=1)
                spec.update(
                    history_external_id=seed.history_external_id,
                    versions=case.versions,
                    seconds=0,
                    warmup_seconds=0,
                )
                result = run_load(spec)
                self.expect_clean(f"time travel ({case.prefix})", result)
                travel = {"events_in_booking": seed.history_events, **case.conditions, "sequential": True}
                self.add(f"{case.prefix}_p50_ms", result["p50_ms"], "ms", **travel)
                self.add(f"{case.prefix}_p99_ms", result["p99_ms"], "ms", target=("<=", 20), **travel)
            cpu, machine = server.cpu_seconds(), psutil.cpu_times()
            with RssSampler(server.process.pid) as rss:
                growth = run_load(self.spec("upsert", server, seed, GROWTH_DAY_BASE))
            cpu, machine_cores = server.cpu_seconds() - cpu, busy_cores(machine)
        self.results["growth"] = growth
        self.expect_clean("growth upsert", growth)
        small = self.results.get("upsert", {}).get("p99_ms", float("nan"))
        conditions: dict[str, Any] = {
            "events_before": seed.events,
            "rps": round(growth["requests_per_second"], 1),
        }
        self.add("growth_upsert_p99_large_ms", growth["p99_ms"], "ms", **conditions)
        self.add(
            "growth_p99_ratio", growth["p99_ms"] / small, "ratio", target=("<=", 1.2), large_over_small=True
        )
        self.add(
            "server_peak_rss_growth_mb",
            rss.peak_mb,
            "MiB",
            target=("<=", 300),
            during="upsert load on the large seed",
            server_cpu_cores=round(cpu / (self.sizes.load_seconds + self.sizes.warmup_seconds), 2),
            machine_busy_cores=round(machine_cores, 2),
        )

    def query(self) -> None:
        """The query surface on `query_rows` bookings in the view: the seed's examples, one at a time."""
        sizes = self.sizes
        seed, reused = cached_query_seed(self.db.url, sizes.query_schema, sizes.query_rows, log)
        if not reused:
            rate = seed.rows / seed.seed_seconds if seed.seed_seconds else 0.0
            self.add("query_seed_rows_per_s", rate, "rows/s", rows=seed.rows, how="bulk SQL, indexes after")
        cases = query_cases(seed.per_organisation)
        with ledger_server("ledger-query", self.db.url, seed.schema, secrets.token_urlsafe(24)) as server:
            machine = psutil.cpu_times()
            timings = time_cases(server.url, seed, cases, sizes.query_rounds)
            machine_cores = busy_cores(machine)
        conditions: dict[str, Any] = {
            "view_rows": seed.rows,
            "organisations": ORGANISATIONS,
            "organisation_rows": seed.per_organisation,
            "sequential": True,
            "machine_busy_cores": round(machine_cores, 2),
        }
        self.figures.extend(query_figures(cases, timings, conditions))
        self.problems.extend(f"query: {problem}" for problem in timings.problems)


@contextmanager
def _restored(db: Database, seed: Seed) -> Iterator[None]:
    try:
        yield
    finally:
        restore_seed(db.url, seed)


def common_conditions(sizes: Sizes, db: Database) -> dict[str, Any]:
    return {
        "mode": sizes.mode,
        "machine": f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB",
        "python": platform.python_version(),
        "database": db.label,
        **{
            key: db.settings[key]
            for key in ("fsync", "synchronous_commit", "wal_sync_method", "shared_buffers")
        },
        "server": SERVER,
        "uvicorn_http": "httptools" if importlib.util.find_spec("httptools") else "h11",
        "uvicorn_loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        "load_generator": LOADGEN,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmarks of the ledger.")
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI (under 3 minutes)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    started, started_at = time.monotonic(), datetime.now(UTC).isoformat()
    load_before = os.getloadavg()[0]
    log(f"{sizes.mode} run")
    with open_database() as db:
        bench = Bench(sizes, db)
        log(f"{db.label}: " + ", ".join(f"{k}={v}" for k, v in db.settings.items()))
        if not db.durable:
            bench.problems.append(f"fsync/synchronous_commit are not both on: {db.settings}")
        large, reused = cached_seed(
            db.url, sizes.large_schema, sizes.large_events, sizes.history_events, sizes.courts, log
        )
        small = seed_schema(db.url, sizes.small_schema, sizes.small_events, 0, sizes.courts, log)
        bench.phase("round trips", lambda: round_trips.measure(db.url, bench.add, bench.problems))
        bench.phase("database ceiling", bench.db_ceiling)
        bench.phase("framework ceiling", lambda: bench.framework_ceiling(small))
        bench.phase("upsert and mixed load", lambda: bench.upsert_and_mixed(small))
        bench.phase(
            "scaling with workers",
            lambda: scaling.measure(db.url, small, bench.spec, bench.add, bench.problems),
        )
        bench.phase(
            "availability",
            lambda: availability.measure(db.url, sizes.availability_requests, bench.add, bench.problems),
        )
        bench.phase(
            "webhooks and feed",
            lambda: webhooks.measure(
                db.url,
                sizes.webhook_paced_writes,
                sizes.webhook_flood_writes,
                sizes.feed_changes,
                bench.add,
                bench.problems,
            ),
        )
        bench.phase(
            "console", lambda: console.measure(db.url, sizes.console_requests, bench.add, bench.problems)
        )
        with _restored(db, large):
            bench.phase("rebuild", lambda: bench.rebuild(large))
            bench.phase("verify", lambda: bench.verify(large))
            bench.phase("time travel in process", lambda: bench.time_travel_in_process(large))
            bench.phase("time travel and growth", lambda: bench.large(large))
        bench.phase("query", bench.query)
        if not reused:
            bench.add("seed_events_per_s", large.seed_events_per_second, "events/s", events=large.events)
        bench.add(
            "seed_bookings_per_s",
            small.seed_bookings_per_second,
            "bookings/s",
            bookings=small.bulk_bookings,
            how=f"the batch upsert command in-process, {MAX_BATCH} a call (the small seed)",
        )
        common = common_conditions(sizes, db)
    duration = time.monotonic() - started
    header = [
        f"Ledger bench ({sizes.mode}) {started_at}, {duration:.0f} s; "
        + ", ".join(f"{key}={common[key]}" for key in ("machine", "database", "fsync", "synchronous_commit")),
        f"server: {SERVER}, uvicorn {common['uvicorn_http']}/{common['uvicorn_loop']}; load: {LOADGEN}, "
        f"{sizes.concurrency} connections; seeds: small {small.events:,} events, "
        f"large {large.events:,} events ({'cached' if reused else 'seeded now'}); "
        f"query: {sizes.query_rows:,} rows in the bookings view",
        f"load average before the run: {load_before:.2f} (other work on the machine skews every figure; "
        "machine_busy_cores counts it)",
    ]
    print(table(bench.figures, header), flush=True)
    run = {
        "mode": sizes.mode,
        "started_at": started_at,
        "duration_s": round(duration, 1),
        "problems": bench.problems,
    }
    write_json(RESULTS_DIR / "latest.json", bench.figures, common, run)
    failures = check(bench.figures, EXPECTED, bench.problems)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    print(
        f"\n{'FAILED' if failures else 'OK'}: {len(bench.figures)} figures in {duration:.0f} s; "
        "written to bench/results/latest.json"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
