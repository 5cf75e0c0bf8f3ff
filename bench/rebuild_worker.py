"""Rebuilds the court-bookings view (swap=False) in a process of its own and prints its rate as JSON."""

from __future__ import annotations

import argparse
import json
import time

from bench.seed import runtime_settings
from ledger.runtime import open_runtime
from replay.rebuild import rebuild_view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema", required=True)
    args = parser.parse_args()
    settings = runtime_settings(args.url, args.schema)
    with open_runtime(settings, run_projections=False, announce=lambda _: None) as runtime:
        started = time.monotonic()
        report = rebuild_view(runtime.ledger, runtime.court_bookings, swap=False)
        seconds = time.monotonic() - started
    print(
        json.dumps(
            {
                "events": report.events,
                "position": report.position,
                "seconds": seconds,
                "events_per_second": report.events / seconds if seconds else 0.0,
            }
        )
    )


if __name__ == "__main__":
    main()
