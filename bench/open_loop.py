"""Upserts offered at a fixed rate on a clock (open loop): each latency counts from its scheduled send."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from bench.stats import percentile

if TYPE_CHECKING:
    from bench.load import Load

# The first send waits this long, so the schedule does not begin behind the clock.
LEAD_SECONDS = 0.05


@dataclass(frozen=True)
class Outcome:
    """One scheduled request: when it was due, when it went out, when its answer came, and the answer."""

    scheduled: float
    sent: float
    ended: float
    status: int
    ok: bool
    detail: str = ""


def send_times(start: float, rate: float, seconds: float) -> list[float]:
    """Evenly spaced send times from `start` for `seconds` at `rate` a second: the schedule, fixed upfront."""
    if rate <= 0 or not math.isfinite(rate):
        raise ValueError(f"an open loop needs a positive, finite rate, not {rate}")
    return [start + index / rate for index in range(max(1, round(seconds * rate)))]


def latency_ms(outcome: Outcome) -> float:
    """From the scheduled send, not the actual one: a send held up behind a slow answer, or a busy event
    loop, still counts the wait, so queueing is not hidden (coordinated omission)."""
    return (outcome.ended - outcome.scheduled) * 1000


def achieved_rps(measured: Sequence[Outcome], window_start: float, window_end: float) -> float:
    """Answers a second over the window, stretched to the last answer if that came after the window: a
    server that cannot keep up with the offered rate shows a lower achieved one."""
    answered = [outcome for outcome in measured if outcome.status]
    if not answered:
        return 0.0
    ended = max(window_end, max(outcome.ended for outcome in answered))
    return len(answered) / (ended - window_start)


def summarise(
    outcomes: Sequence[Outcome], window_start: float, window_end: float, rate: float
) -> dict[str, Any]:
    """Figures of the requests scheduled inside the window (the others warmed up): latency percentiles,
    achieved rate, how late the sends went out, and the errors."""
    measured = [outcome for outcome in outcomes if window_start <= outcome.scheduled < window_end]
    latencies = [latency_ms(outcome) for outcome in measured]
    lags = [(outcome.sent - outcome.scheduled) * 1000 for outcome in measured]
    failed = [outcome for outcome in outcomes if not outcome.ok]
    return {
        "offered_rps": rate,
        "achieved_rps": achieved_rps(measured, window_start, window_end),
        "open_loop_requests": len(measured),
        "open_loop_p50_ms": percentile(latencies, 50),
        "open_loop_p99_ms": percentile(latencies, 99),
        "open_loop_max_ms": max(latencies, default=math.nan),
        "send_lag_p99_ms": percentile(lags, 99),
        "open_loop_errors": len(failed),
        "open_loop_error_samples": [f"{o.status}: {o.detail[:300]}" for o in failed[:10]],
    }


async def _send(load: Load, client: httpx.AsyncClient, scheduled: float) -> Outcome:
    path, body = load.next_upsert("o")
    sent = time.monotonic()
    try:
        response = await client.put(path, json=body, headers=load.headers)
    except httpx.HTTPError as error:
        return Outcome(scheduled, sent, time.monotonic(), 0, False, repr(error))
    ended = time.monotonic()
    ok = response.status_code == 201
    return Outcome(scheduled, sent, ended, response.status_code, ok, "" if ok else response.text)


async def drive(load: Load, client: httpx.AsyncClient) -> dict[str, Any]:
    """Send distinct upserts on the schedule, each in a task of its own so no send waits for an answer;
    the warm-up runs at the same rate, then the measured window."""
    rate, warmup = float(load.spec["rate"]), float(load.spec["warmup_seconds"])
    start = time.monotonic() + LEAD_SECONDS
    tasks: list[asyncio.Task[Outcome]] = []
    for scheduled in send_times(start, rate, warmup + float(load.spec["seconds"])):
        delay = scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_send(load, client, scheduled)))
    outcomes = await asyncio.gather(*tasks)
    window_start = start + warmup
    return summarise(outcomes, window_start, window_start + float(load.spec["seconds"]), rate)
