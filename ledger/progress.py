"""A progress bar for long CLI commands, drawn on stderr only when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable

Progress = Callable[[int, int], None]
WIDTH = 40


def progress_bar(unit: str) -> Progress | None:
    """A callback drawing `done/total unit` over itself; None (no output) when stderr is no terminal."""
    if not sys.stderr.isatty():
        return None

    def draw(done: int, total: int) -> None:
        filled = int(WIDTH * done / total) if total else WIDTH
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {unit}")
        sys.stderr.flush()

    return draw


def end_progress(progress: Progress | None) -> None:
    """End the bar's line, if one was drawn."""
    if progress is not None:
        sys.stderr.write("\n")
