"""`make profile`: the upsert load (wrk) against `ledger serve` under py-spy; a flame graph and the top
functions by self time, written to bench/results/.

`python -m bench.profile [--seconds N]`; PostgreSQL as for the bench (LEDGER_DATABASE_URL, else embedded).
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import flamegraph
from bench.config import QUICK, RESULTS_DIR
from bench.database import open_database
from bench.seed import seed_schema
from bench.server import ledger_server
from bench.wrk import run_wrk

SCHEMA = "bench_profile"
RATE = 50
TOP = 25
FRAME_LINE = re.compile(r":\d+\)$")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is missing: it is in the dev extra (pip install -e '.[dev]').")
    return found


def record(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the thread that holds the GIL (the interpreter's work, not threads waiting on
    PostgreSQL or a lock), without pausing the process, as collapsed stacks."""
    command = [py_spy(), "record", "--pid", str(pid), "--rate", str(RATE), "--duration", str(round(seconds))]
    command += ["--gil", "--nonblocking", "--format", "raw", "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def top_self(raw: Path) -> list[tuple[str, int]]:
    """Functions by the samples in which they were the innermost frame (self time), most first."""
    samples: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            samples[FRAME_LINE.sub(")", stack.rsplit(";", 1)[-1])] += int(count)
    return samples.most_common()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the load runs")
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    svg, raw, top = (RESULTS_DIR / f"profile-upsert.{ext}" for ext in ("svg", "txt", "top.txt"))
    with open_database() as db:
        seed = seed_schema(db.url, SCHEMA, QUICK.small_events, 0, QUICK.courts, print)
        with ledger_server("ledger-profile", db.url, SCHEMA, secrets.token_urlsafe(24)) as server:
            recorder = record(server.process.pid, args.seconds, raw)
            time.sleep(0.5)
            result = run_wrk(
                server.url,
                seed.client_id,
                seed.key,
                seed.court_ids,
                30_000,
                "profile",
                args.seconds,
                args.connections,
                201,
            )
            _, err = recorder.communicate(timeout=args.seconds * 10 + 60)
            if recorder.returncode != 0:
                raise SystemExit(f"py-spy failed: {err.decode(errors='replace')}")
    ranked = top_self(raw)
    total = sum(count for _, count in ranked) or 1
    lines = [
        f"upsert load: wrk, {args.connections} connections, {args.seconds:g} s: "
        f"{result['requests_per_second']:.0f} req/s, p99 {result['p99_ms']:.0f} ms, "
        f"{result['errors']} errors; py-spy, GIL holder at {RATE} Hz, {total} samples",
        "self %  samples  function (file)",
        *(f"{100 * count / total:5.1f}  {count:7d}  {frame}" for frame, count in ranked[:TOP]),
    ]
    top.write_text("\n".join(lines) + "\n")
    flamegraph.write(raw, svg, lines[0])
    print("\n".join(lines))
    print(f"\nflame graph: {svg}\nraw stacks: {raw}\ntop functions: {top}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
