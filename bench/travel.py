"""The versions the time-travel figures read: a snapshot itself, the version just before one, random ones."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from domain.application import Ledger
from domain.court_booking import CourtBooking

SNAPSHOT_INTERVAL = Ledger.snapshotting_intervals[CourtBooking]
RANDOM_SEED = 7


@dataclass(frozen=True)
class TravelCase:
    """One time-travel figure: its name prefix, the version each request reads, and what it reads."""

    prefix: str
    versions: list[int]
    conditions: dict[str, Any]


def decoded(version: int) -> int:
    """Stored items decoded to read `version`: its latest snapshot, if any, and every event after it."""
    return (1 if version >= SNAPSHOT_INTERVAL else 0) + version % SNAPSHOT_INTERVAL


def worst_version(events: int) -> int:
    """The latest version that decodes the most items: the one just before a snapshot."""
    return max(range(1, events + 1), key=lambda version: (decoded(version), version))


def travel_cases(events: int, requests: int) -> list[TravelCase]:
    worst = worst_version(events)
    draws = random.Random(RANDOM_SEED).choices(range(1, events + 1), k=requests)
    return [
        TravelCase("time_travel", [events] * requests, {"version": events, "items_decoded": decoded(events)}),
        TravelCase(
            "time_travel_worst", [worst] * requests, {"version": worst, "items_decoded": decoded(worst)}
        ),
        TravelCase(
            "time_travel_random",
            draws,
            {
                "versions": f"uniform in 1..{events} (seed {RANDOM_SEED})",
                "items_decoded_mean": round(sum(map(decoded, draws)) / len(draws), 1),
            },
        ),
    ]
