"""The feed's parameters: its opaque cursor and the change types a request keeps."""

from __future__ import annotations

import base64
import binascii
import json

from api.shared.problems import RequestSchemaError
from projections.changes.kinds import CHANGE_TYPES, ENTITIES

CURSOR_VERSION = 1
KNOWN_TYPES = frozenset((*CHANGE_TYPES, *ENTITIES))


def encode_cursor(position: int) -> str:
    raw = json.dumps({"v": CURSOR_VERSION, "p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The ledger position in a cursor that `encode_cursor` made; anything else is a 400."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position = decoded.get("p") if isinstance(decoded, dict) else None
        if decoded.get("v") == CURSOR_VERSION and isinstance(position, int) and position >= 0:
            return position
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
        pass
    raise RequestSchemaError(
        "after is not a cursor that the feed returned.",
        [{"path": ["after"], "code": "invalid_cursor", "message": "Invalid cursor."}],
    )


def unknown_types(named: list[str]) -> list[str]:
    return [each for each in named if each not in KNOWN_TYPES]


def parse_types(types: str | None, parameter: str = "types") -> list[str]:
    """The change types and entities named, comma-separated; an unknown one is a 400 naming it."""
    named = [each.strip() for each in (types or "").split(",") if each.strip()]
    unknown = unknown_types(named)
    if unknown:
        raise RequestSchemaError(
            f"{parameter} names unknown change types: {', '.join(unknown)}; a type is an entity "
            f"({', '.join(ENTITIES)}) or one of its changes, such as court_booking.canceled.",
            [{"path": [parameter], "code": "unknown_type", "message": f"Unknown: {', '.join(unknown)}."}],
        )
    return list(dict.fromkeys(named))
