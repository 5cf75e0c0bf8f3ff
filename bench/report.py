"""Figures: the printed table, bench/results/latest.json, and the quick-mode checks."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Target = tuple[str, float]


@dataclass
class Figure:
    """One measured number with its unit, the conditions it was measured under, and its target if any."""

    name: str
    value: float
    unit: str
    conditions: dict[str, Any] = field(default_factory=dict)
    target: Target | None = None

    @property
    def produced(self) -> bool:
        return isinstance(self.value, (int, float)) and math.isfinite(self.value)

    def meets(self) -> bool | None:
        if self.target is None or not self.produced:
            return None
        op, bound = self.target
        return self.value >= bound if op == ">=" else self.value <= bound

    def target_text(self) -> str:
        return f"{self.target[0]} {self.target[1]:g}" if self.target else ""

    def as_json(self, common: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": self.name,
            "value": self.value if self.produced else None,
            "unit": self.unit,
            "conditions": {**common, **self.conditions},
        }
        if self.target:
            entry["target"] = self.target_text()
            entry["meets_target"] = self.meets()
        return entry


def _value_text(value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    if abs(value) >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def _conditions_text(conditions: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in conditions.items())


def table(figures: list[Figure], header: list[str]) -> str:
    """One table: figure, value, unit, target, whether met, and the figure's own conditions."""
    rows = [("figure", "value", "unit", "target", "met", "conditions")]
    for figure in figures:
        met = figure.meets()
        rows.append(
            (
                figure.name,
                _value_text(figure.value),
                figure.unit,
                figure.target_text(),
                "" if met is None else ("yes" if met else "NO"),
                _conditions_text(figure.conditions),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [*header, ""]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1])]
        cells += [row[i].ljust(widths[i]) for i in (2, 3, 4)]
        lines.append(" | ".join([*cells, row[5]]))
        if index == 0:
            lines.append("-+-".join("-" * width for width in [*widths, 10]))
    return "\n".join(lines)


def write_json(path: Path, figures: list[Figure], common: dict[str, Any], run: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"run": run, "figures": [figure.as_json(common) for figure in figures]}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")


def check(figures: list[Figure], expected: list[str], problems: list[str]) -> list[str]:
    """Everything that makes a run fail: missing or non-finite figures, and every recorded problem."""
    found = {figure.name: figure for figure in figures}
    failures = [f"figure {name} was not produced" for name in expected if name not in found]
    failures += [f"figure {f.name} has no finite value" for f in figures if not f.produced]
    return failures + problems
