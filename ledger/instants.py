"""Instants as the ledger accepts them in a body or a query: explicit offset, UTC, a sane range of years."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict

MIN_YEAR, MAX_YEAR = 1900, 9000
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


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


def _rfc_3339_text(value: object) -> object:
    if not isinstance(value, str) or not RFC_3339.match(value):
        raise ValueError("must be an RFC 3339 date-time with an offset, e.g. 2030-05-01T10:00:00Z")
    return value


Rfc3339Instant = Annotated[AwareDatetime, BeforeValidator(_rfc_3339_text), AfterValidator(_utc_instant)]
"""An `Instant` in a query parameter written as RFC 3339 only (`2030-05-01T10:00:00Z`, `...+02:00`; a `+`
must be sent as `%2B`), never a Unix time or a date alone."""
