"""Percentiles, each write's position matched against the view's tracking samples, busy cores."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import Any

import psutil


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def lags_ms(
    writes: Sequence[tuple[float, int]], samples: Sequence[tuple[float, int]]
) -> tuple[list[float], int]:
    """For each (response time, position), ms until a sample showed the view at or past it; and the unseen.

    Samples are (monotonic time, tracked position), in time order and with non-decreasing positions.
    """
    times = [t for t, _ in samples]
    positions = [p for _, p in samples]
    lags: list[float] = []
    unseen = 0
    for responded, position in writes:
        first = bisect.bisect_left(positions, position)
        if first == len(positions):
            unseen += 1
            continue
        # Visible before the response arrived counts as no lag.
        lags.append(max(0.0, (times[first] - responded) * 1000))
    return lags, unseen


def busy_cores(since: Any) -> float:
    """Cores the whole machine kept busy since `since` (psutil.cpu_times()), other users' work included."""
    now = psutil.cpu_times()
    idle = (now.idle + getattr(now, "iowait", 0.0)) - (since.idle + getattr(since, "iowait", 0.0))
    total = sum(now) - sum(since)
    return (1 - idle / total) * psutil.cpu_count() if total > 0 else 0.0
