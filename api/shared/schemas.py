"""Types shared by the surfaces' schemas: bounded aware datetimes, external ids, text patterns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path
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

EXTERNAL_ID_PATTERN = r"^[^\x00-\x1f\x7f]+$"
FREE_TEXT_PATTERN = r"^[^\x00]*$"
"""Free text (notes, reasons) may hold line breaks but never NUL, which PostgreSQL text cannot store."""
NAME_PATTERN = r"^[^\x00-\x1f\x7f]*$"
ExternalIdPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=255,
        pattern=EXTERNAL_ID_PATTERN,
        description="Your system's booking identifier (1 to 255 characters, no control characters).",
    ),
]
