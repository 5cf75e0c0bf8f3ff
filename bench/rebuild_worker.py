"""Rebuilds the court-bookings view (swap=False) in a process of its own and prints its rate as JSON."""

from __future__ import annotations

import json
import time

from bench.seed import worker_settings
from ledger.runtime import open_runtime
from replay.rebuild import rebuild_view


def main() -> None:
    settings = worker_settings(__doc__)
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
