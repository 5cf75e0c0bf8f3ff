"""The console's charts: SVG drawn by matplotlib, drawn once for the same numbers."""

from __future__ import annotations

from api.console.charts import heatmap_svg, weekly_svg

WEEKS = ("2031-03-03", "2031-03-10")


def test_a_heatmap_with_cells_of_unknown_hours_is_an_svg_without_script() -> None:
    svg = heatmap_svg(("Court 1", "Court 2"), WEEKS, ((0.5, None), (1.0, 0.25))).decode()
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "<script" not in svg


def test_the_same_numbers_are_drawn_once_and_other_numbers_anew() -> None:
    numbers = (("Court 9",), WEEKS, ((0.1, 0.2),))
    first = heatmap_svg(*numbers)
    hits = heatmap_svg.cache_info().hits
    assert heatmap_svg(*numbers) is first
    assert heatmap_svg.cache_info().hits == hits + 1
    assert heatmap_svg(("Court 9",), WEEKS, ((0.3, 0.2),)) != first


def test_a_weekly_chart_draws_weeks_whose_open_hours_are_unknown() -> None:
    svg = weekly_svg(WEEKS, (120, 0), (600, None)).decode()
    assert "<svg" in svg
