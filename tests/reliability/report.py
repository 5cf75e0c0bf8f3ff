"""The reliability table: each scenario records its counts; `make reliability` prints them in one table."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

REPORT_ENV = "LEDGER_RELIABILITY_REPORT"
COLUMNS = ("scenario", "runs", "acknowledged", "lost", "duplicated", "server_errors", "invariant_violations")
HEADINGS = ("scenario", "runs", "writes acknowledged", "lost", "duplicated", "5xx", "invariant violations")


@dataclass
class ScenarioResult:
    """What one scenario did and what went wrong; every count but `runs` and `acknowledged` should be 0."""

    scenario: str
    runs: int = 0
    acknowledged: int = 0
    lost: int = 0
    duplicated: int = 0
    server_errors: int = 0
    invariant_violations: int = 0

    def assert_clean(self) -> None:
        """Record the result (when a report file is configured), then fail on any loss or violation."""
        record(self)
        failures = {
            name: getattr(self, name)
            for name in ("lost", "duplicated", "server_errors", "invariant_violations")
            if getattr(self, name)
        }
        assert not failures, f"{self.scenario}: {failures}"
        assert self.runs > 0, f"{self.scenario} ran nothing"


def record(result: ScenarioResult) -> None:
    path = os.environ.get(REPORT_ENV)
    if path:
        with Path(path).open("a") as handle:
            handle.write(json.dumps(asdict(result)) + "\n")


def render(path: Path) -> str:
    lines = path.read_text().splitlines() if path.exists() else []
    return render_rows([ScenarioResult(**json.loads(line)) for line in lines if line.strip()])


def render_rows(results: list[ScenarioResult]) -> str:
    """The table of the results, one row each."""
    rows = [asdict(result) for result in results]
    table = [HEADINGS, *[tuple(str(row[column]) for column in COLUMNS) for row in rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADINGS))]
    printed = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in table]
    printed.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(printed)


if __name__ == "__main__":
    print(render(Path(sys.argv[1])))
