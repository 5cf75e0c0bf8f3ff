"""The feed's parameters: its opaque cursor and the change types a request keeps."""

from __future__ import annotations

import base64
import binascii
import json

from api.shared.problems import RequestSchemaError
from projections.changes.kinds import CHANGE_TYPES, ENTITIES
from projections.changes.notifications import NOTIFICATION_TYPES

CURSOR_VERSION = 1
KNOWN_TYPES = frozenset((*CHANGE_TYPES, *ENTITIES))
WEBHOOK_TYPES = KNOWN_TYPES | frozenset(NOTIFICATION_TYPES)
"""What a webhook takes: changes, and the notifications of the client's rules."""


def encode_cursor(position: int, part: int = 0) -> str:
    """An opaque cursor of a ledger position (and a part of what one event queued)."""
    fields = {"v": CURSOR_VERSION, "p": position, **({"q": part} if part else {})}
    raw = json.dumps(fields, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, parameter: str = "after") -> tuple[int, int]:
    """The position and part in a cursor that `encode_cursor` made; anything else is a 400."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position, part = decoded.get("p"), decoded.get("q", 0)
        if decoded.get("v") == CURSOR_VERSION and all(
            isinstance(n, int) and n >= 0 for n in (position, part)
        ):
            return position, part
    except (ValueError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError):
        pass
    raise RequestSchemaError(
        f"{parameter} is not a cursor that this endpoint returned.",
        [{"path": [parameter], "code": "invalid_cursor", "message": "Invalid cursor."}],
    )


def unknown_types(named: list[str], known: frozenset[str] = KNOWN_TYPES) -> list[str]:
    return [each for each in named if each not in known]


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
