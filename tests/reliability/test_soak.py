"""The soak under faults, for 90 seconds: nothing acknowledged lost or doubled, no 5xx but 503s while the
database is down, every view equal to its rebuild, no overlap and no oversold seat."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.reliability.soak import run_soak

SECONDS = 90.0


@pytest.mark.slow
def test_ninety_seconds_of_mixed_load_under_kills_and_database_restarts_lose_and_break_nothing(
    tmp_path: Path,
) -> None:
    seed = random.randrange(1 << 30)

    report = run_soak(SECONDS, seed, tmp_path)

    print(report.table())
    assert not report.findings.notes, f"seed {seed}: {report.findings.notes}"
    assert set(report.faults) == {"kill -9 API worker", "kill -9 elected runner", "restart PostgreSQL"}
    report.result.assert_clean()
