"""Instants as the ledger accepts them in a body or a query: explicit offset, UTC, a sane range of years."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Strict

MIN_YEAR, MAX_YEAR = 1900, 9000


def _utc_instant(value: datetime) -> datetime:
    try:
        instant = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("date is out of range") from None
    if not MIN_YEAR <= instant.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return instant


Instant = Annotated[AwareDatetime, AfterValidator(_utc_instant)]
"""A datetime with an explicit offset, normalized to UTC, within a sane range of years."""

BodyInstant = Annotated[AwareDatetime, Strict(), AfterValidator(_utc_instant)]
"""An `Instant` in a JSON body: an RFC 3339 string only, never a number read as a Unix time."""
