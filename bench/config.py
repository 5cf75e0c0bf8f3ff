"""Sizes of a full and a quick run, the targets, and where the bench keeps its data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / ".data"
RESULTS_DIR = BENCH_DIR / "results"
LOG_DIR = DATA_DIR / "logs"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Sizes:
    """How much of everything one run does."""

    quick: bool
    small_events: int
    large_events: int
    history_events: int
    load_seconds: float
    ceiling_seconds: float
    warmup_seconds: float
    time_travel_requests: int
    query_rows: int
    query_rounds: int
    availability_requests: int
    webhook_paced_writes: int
    webhook_flood_writes: int
    feed_changes: int
    batches: int
    concurrency: int = 32
    courts: int = 200
    console_requests: int = 50

    @property
    def mode(self) -> str:
        return "quick" if self.quick else "full"

    @property
    def small_schema(self) -> str:
        return "bench_small"

    @property
    def large_schema(self) -> str:
        return f"bench_seed_{self.large_events}"

    @property
    def query_schema(self) -> str:
        return f"bench_query_{self.query_rows}"


FULL = Sizes(
    quick=False,
    small_events=10_000,
    large_events=1_000_000,
    history_events=1_000,
    load_seconds=20.0,
    ceiling_seconds=10.0,
    warmup_seconds=2.0,
    time_travel_requests=200,
    query_rows=1_000_000,
    query_rounds=200,
    availability_requests=200,
    webhook_paced_writes=300,
    webhook_flood_writes=2_000,
    feed_changes=100_000,
    batches=40,
)
QUICK = Sizes(
    quick=True,
    small_events=2_000,
    large_events=20_000,
    history_events=1_000,
    load_seconds=5.0,
    ceiling_seconds=3.0,
    warmup_seconds=0.5,
    time_travel_requests=30,
    query_rows=100_000,
    query_rounds=30,
    availability_requests=30,
    webhook_paced_writes=50,
    webhook_flood_writes=200,
    feed_changes=10_000,
    console_requests=10,
    batches=6,
)
