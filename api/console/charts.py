"""The utilisation charts, drawn as SVG by matplotlib on the server: a court-by-week heatmap, a line chart."""

from __future__ import annotations

import io
import math
from functools import lru_cache

CHARTS_KEPT = 64
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""An SVG answer is drawn as an image: it runs no script, and its own styles are matplotlib's inline ones."""


def _svg(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})  # type: ignore[attr-defined]
    return buffer.getvalue()


# A chart is a function of its numbers alone: the same numbers (a view that has not moved) are drawn once.
@lru_cache(maxsize=CHARTS_KEPT)
def heatmap_svg(
    courts: tuple[str, ...], weeks: tuple[str, ...], ratios: tuple[tuple[float | None, ...], ...]
) -> bytes:
    """Utilisation (booked / open minutes) by court (rows) and week; blank where hours are not known."""
    # Imported on first use: matplotlib takes a second to load, and only these charts need it.
    from matplotlib.figure import Figure

    height = 1.2 + 0.35 * max(len(courts), 1)
    figure = Figure(figsize=(max(6.0, 1.0 + 0.7 * len(weeks)), height))
    axes = figure.add_subplot()
    values = [[math.nan if ratio is None else ratio for ratio in row] for row in ratios] or [[math.nan]]
    image = axes.imshow(values, aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0, interpolation="nearest")
    axes.set_xticks(range(len(weeks)), labels=list(weeks), rotation=45, ha="right", fontsize=8)
    axes.set_yticks(range(len(courts)), labels=list(courts), fontsize=8)
    axes.set_title("Utilisation per court and week (booked / open minutes)", fontsize=10)
    figure.colorbar(image, ax=axes, fraction=0.03)
    figure.tight_layout()
    return _svg(figure)


@lru_cache(maxsize=CHARTS_KEPT)
def weekly_svg(weeks: tuple[str, ...], booked: tuple[int, ...], available: tuple[int | None, ...]) -> bytes:
    """Booked and open hours per week, as two lines."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(max(6.0, 1.0 + 0.7 * len(weeks)), 3.2))
    axes = figure.add_subplot()
    axes.plot(list(weeks), [minutes / 60 for minutes in booked], marker="o", label="booked hours")
    axes.plot(
        list(weeks),
        [math.nan if minutes is None else minutes / 60 for minutes in available],
        marker="s",
        label="open hours",
    )
    axes.set_ylabel("hours")
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=8)
    axes.set_title("Booked and open hours per week", fontsize=10)
    figure.tight_layout()
    return _svg(figure)
