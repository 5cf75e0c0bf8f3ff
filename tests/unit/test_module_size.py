"""Product modules stay small enough to read in one sitting."""

from __future__ import annotations

from pathlib import Path

import domain

ROOT = Path(domain.__file__).parent.parent
PRODUCT_PACKAGES = ("domain", "projections", "api", "replay", "ledger")
MAX_LINES = 250


def line_counts() -> dict[str, int]:
    sources = [path for package in PRODUCT_PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]
    assert len(sources) > 20, f"expected the product's modules under {ROOT}"
    return {str(path.relative_to(ROOT)): len(path.read_bytes().splitlines()) for path in sources}


def test_no_product_module_is_longer_than_the_limit() -> None:
    too_long = {path: lines for path, lines in line_counts().items() if lines > MAX_LINES}

    assert not too_long, f"modules over {MAX_LINES} lines (split them): " + ", ".join(
        f"{path} ({lines})" for path, lines in sorted(too_long.items())
    )
