"""Verifies the hash chain and checkpoints of a seed in a process of its own and prints the rates as JSON.

Before the timed verification it hashes what a seed cached before the hash chain lacks (a backfill) and signs
checkpoints of what is not covered yet, with the key in the bench's data directory, each timed on its own.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench.seed import worker_settings
from ledger.checkpointer import Checkpointer, load_checkpoint_key
from ledger.runtime import open_runtime
from replay.backfill import backfill_hashes
from replay.checkpoint_check import verify_ledger
from replay.checkpoints import raw_public_key


def timed(action: Any) -> tuple[Any, float]:
    started = time.monotonic()
    return action(), time.monotonic() - started


def main() -> None:
    settings = worker_settings(__doc__)
    key = load_checkpoint_key(settings, announce=lambda _: None)
    with open_runtime(settings, run_projections=False, announce=lambda _: None) as runtime:
        ledger = runtime.ledger
        backfill, backfill_seconds = timed(lambda: backfill_hashes(ledger))
        checkpointer = Checkpointer(ledger, key, runtime.clock, 0, settings.checkpoint_max_events)
        signed, checkpoint_seconds = timed(checkpointer.run_once)
        report, seconds = timed(lambda: verify_ledger(ledger, trusted_keys={raw_public_key(key)}))
    first = report.first_broken
    print(
        json.dumps(
            {
                "events": report.events,
                "checkpoints": report.checkpoints,
                "seconds": seconds,
                "events_per_second": report.events / seconds if seconds else 0.0,
                "ok": report.ok,
                "first_broken": None if first is None else f"position {first.position}: {first.what}",
                "backfilled": backfill.hashed,
                "backfill_seconds": backfill_seconds,
                "signed_events": sum(checkpoint.event_count for checkpoint in signed),
                "checkpoint_seconds": checkpoint_seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
