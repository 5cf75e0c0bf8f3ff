"""The database ceiling: raw psycopg, one row per INSERT + COMMIT into an events-shaped table, N threads."""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import uuid

import psycopg
from psycopg import sql

from bench.stats import percentile

TOPIC = "domain.court_booking:CourtBooking.Registered"
STATE_BYTES = 740  # about the size of a stored court-booking event


def create_table(url: str, schema: str) -> sql.Identifier:
    table = sql.Identifier(schema, "ceiling_events")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
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
    return table


def worker(
    url: str, table: sql.Identifier, start: float, measure_from: float, stop: float, out: list[float]
) -> None:
    """Insert and commit one row at a time until `stop`; keep the latencies (ms) after `measure_from`."""
    state = os.urandom(STATE_BYTES)
    query = sql.SQL(
        "INSERT INTO {} (originator_id, originator_version, topic, state) VALUES (%s, 1, %s, %s)"
    ).format(table)
    with psycopg.connect(url) as conn:
        while time.monotonic() < start:
            time.sleep(0.001)
        while True:
            began = time.monotonic()
            if began >= stop:
                return
            conn.execute(query, (uuid.uuid4(), TOPIC, state), prepare=True)
            conn.commit()
            if began >= measure_from:
                out.append((time.monotonic() - began) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args()
    table = create_table(args.url, args.schema)
    start = time.monotonic() + 1.0
    measure_from = start + args.warmup
    stop = measure_from + args.seconds
    latencies: list[list[float]] = [[] for _ in range(args.threads)]
    threads = [
        threading.Thread(target=worker, args=(args.url, table, start, measure_from, stop, latencies[i]))
        for i in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + args.warmup + 60)
    merged = [value for chunk in latencies for value in chunk]
    print(
        json.dumps(
            {
                "commits": len(merged),
                "seconds": args.seconds,
                "commits_per_second": len(merged) / args.seconds,
                "p50_ms": percentile(merged, 50),
                "p95_ms": percentile(merged, 95),
                "p99_ms": percentile(merged, 99),
                "threads": args.threads,
                "alive_threads": sum(thread.is_alive() for thread in threads),
            }
        )
    )
    with psycopg.connect(args.url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(args.schema)))


if __name__ == "__main__":
    main()
