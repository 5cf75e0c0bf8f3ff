"""The cursor of a keyset-paginated list: an opaque token of the last row's sort key."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from api.shared.problems import RequestSchemaError


def encode_cursor(start: datetime, row_id: UUID) -> str:
    raw = json.dumps([start.isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The sort key in a cursor that `encode_cursor` made; anything else is a 400."""
    try:
        start, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(start, str) and isinstance(row_id, str):
            moment = datetime.fromisoformat(start)
            if moment.tzinfo is not None:
                return moment, UUID(row_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        pass
    raise RequestSchemaError(
        "cursor is not a cursor that this endpoint returned.",
        [{"path": ["cursor"], "code": "invalid_cursor", "message": "Invalid cursor."}],
    )
