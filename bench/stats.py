"""Percentiles, and matching each write's position against the view's tracking samples."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence


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
