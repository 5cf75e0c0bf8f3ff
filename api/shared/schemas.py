"""Types shared by the surfaces' schemas: bounded aware datetimes, external ids, text patterns."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

# Defined outside the API, since `ledger admin` validates its bodies with them too.
from ledger.instants import BodyInstant as BodyInstant
from ledger.instants import Instant as Instant
from ledger.instants import Rfc3339Instant

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
AsOf = Annotated[
    Rfc3339Instant | None,
    Query(
        description="The state as the events recorded up to this instant (RFC 3339 with an offset) made "
        "it; not found when the entity did not exist yet.",
    ),
]
