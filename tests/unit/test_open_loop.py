"""The open-loop load's schedule and arithmetic: sends on the clock, latency from the scheduled send."""

from __future__ import annotations

import pytest

from bench.open_loop import Outcome, achieved_rps, latency_ms, send_times, summarise


def answered(scheduled: float, sent: float, ended: float, status: int = 201) -> Outcome:
    return Outcome(scheduled, sent, ended, status, status == 201)


def test_sends_are_spaced_evenly_at_the_rate_from_the_start() -> None:
    times = send_times(100.0, 4.0, 2.0)

    assert times == pytest.approx([100.0, 100.25, 100.5, 100.75, 101.0, 101.25, 101.5, 101.75])


def test_a_schedule_without_a_positive_finite_rate_is_refused() -> None:
    for rate in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="positive, finite rate"):
            send_times(0.0, rate, 1.0)


def test_latency_counts_from_the_scheduled_send_even_when_the_send_went_out_late() -> None:
    late = answered(scheduled=10.0, sent=10.2, ended=10.25)

    assert latency_ms(late) == pytest.approx(250.0)


def test_the_achieved_rate_is_the_offered_one_when_every_answer_comes_within_the_window() -> None:
    outcomes = [answered(t, t, t + 0.01) for t in send_times(0.0, 10.0, 2.0)]

    assert achieved_rps(outcomes, 0.0, 2.0) == pytest.approx(10.0)


def test_answers_that_trail_the_window_lower_the_achieved_rate() -> None:
    # 20 requests offered over 2 s, the last answered 2 s after the window closed.
    outcomes = [answered(t, t, 4.0 * (i + 1) / 20) for i, t in enumerate(send_times(0.0, 10.0, 2.0))]

    assert achieved_rps(outcomes, 0.0, 2.0) == pytest.approx(5.0)


def test_the_summary_measures_only_sends_scheduled_in_the_window_and_counts_every_error() -> None:
    warm_up = [answered(0.0, 0.0, 0.5, status=500)]
    window = [answered(1.0 + i / 10, 1.0 + i / 10, 1.0 + i / 10 + 0.002 * (i + 1)) for i in range(10)]

    summary = summarise([*warm_up, *window], 1.0, 2.0, 10.0)

    assert summary["open_loop_requests"] == 10
    assert summary["open_loop_p50_ms"] == pytest.approx(10.0)
    assert summary["open_loop_p99_ms"] == pytest.approx(20.0)
    assert summary["send_lag_p99_ms"] == pytest.approx(0.0)
    assert summary["open_loop_errors"] == 1
    assert summary["offered_rps"] == 10.0
