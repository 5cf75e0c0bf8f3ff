"""The database ceilings, in their own process: N threads each committing one event at a time.

`--path raw`: one row per INSERT + COMMIT into an events-shaped table, no lock: what PostgreSQL takes.
`--path ledger`: the ledger's own recorder (`ledger.recorder.LedgerRecorder.insert_events`), whose function
notes the position floor and the transaction id, hashes and inserts, with no table lock (a NOTIFY follows
the commit): what the append path takes.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from bench.stats import percentile

TOPIC = "domain.court_booking:CourtBooking.Registered"
STATE_BYTES = 740  # about the size of a stored court-booking event
Append = Callable[[], None]
Appender = Callable[[], AbstractContextManager[Append]]


def reset_schema(url: str, schema: str, create: bool = True) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        if create:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))


def raw_appender(url: str, schema: str) -> Appender:
    """One connection per thread inserting and committing one row at a time into an events-shaped table."""
    table = sql.Identifier(schema, "ceiling_events")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                "topic text NOT NULL, state bytea, notification_id bigserial, "
                "PRIMARY KEY (originator_id, originator_version))"
            ).format(table)
        )
        conn.execute(
            sql.SQL("CREATE UNIQUE INDEX {} ON {} (notification_id)").format(
                sql.Identifier("ceiling_events_notification_id"), table
            )
        )
    query = sql.SQL(
        "INSERT INTO {} (originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)"
    ).format(table)

    @contextmanager
    def open_append() -> Iterator[Append]:
        state = os.urandom(STATE_BYTES)
        with psycopg.connect(url) as conn:

            def append() -> None:
                conn.execute(query, (uuid.uuid4(), TOPIC, state), prepare=True)
                conn.commit()

            yield append

    return open_append


@contextmanager
def ledger_appender(url: str, schema: str, threads: int) -> Iterator[Appender]:
    """The ledger's application recorder on `schema`, configured as `ledger serve` configures it."""
    from domain.application import Ledger
    from ledger.settings import Settings
    from ledger.storage import eventsourcing_env

    settings = Settings(database_url=url, db_schema=schema, pool_size=threads, pool_max_overflow=0)
    ledger = Ledger(env=eventsourcing_env(url, settings))
    try:
        recorder = ledger.recorder

        @contextmanager
        def open_append() -> Iterator[Append]:
            state = os.urandom(STATE_BYTES)

            def append() -> None:
                recorder.insert_events([StoredEvent(uuid.uuid4(), 1, TOPIC, state)])

            yield append

        yield open_append
    finally:
        ledger.close()


def worker(open_append: Appender, start: float, measure_from: float, stop: float, out: list[float]) -> None:
    """Append and commit one event at a time until `stop`; keep the latencies (ms) after `measure_from`."""
    with open_append() as append:
        while time.monotonic() < start:
            time.sleep(0.001)
        while True:
            began = time.monotonic()
            if began >= stop:
                return
            append()
            if began >= measure_from:
                out.append((time.monotonic() - began) * 1000)


def measure(open_append: Appender, threads: int, seconds: float, warmup: float) -> dict[str, float]:
    start = time.monotonic() + 1.0
    measure_from = start + warmup
    stop = measure_from + seconds
    latencies: list[list[float]] = [[] for _ in range(threads)]
    workers = [
        threading.Thread(target=worker, args=(open_append, start, measure_from, stop, latencies[i]))
        for i in range(threads)
    ]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=seconds + warmup + 60)
    merged = [value for chunk in latencies for value in chunk]
    return {
        "commits": len(merged),
        "seconds": seconds,
        "commits_per_second": len(merged) / seconds,
        "p50_ms": percentile(merged, 50),
        "p95_ms": percentile(merged, 95),
        "p99_ms": percentile(merged, 99),
        "threads": threads,
        "alive_threads": sum(thread.is_alive() for thread in workers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--path", choices=["raw", "ledger"], default="raw")
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args()
    reset_schema(args.url, args.schema)
    try:
        if args.path == "raw":
            result = measure(raw_appender(args.url, args.schema), args.threads, args.seconds, args.warmup)
        else:
            with ledger_appender(args.url, args.schema, args.threads) as open_append:
                result = measure(open_append, args.threads, args.seconds, args.warmup)
        print(json.dumps({**result, "path": args.path}))
    finally:
        reset_schema(args.url, args.schema, create=False)


if __name__ == "__main__":
    main()
