"""The console surface: pages rendered below /console, signed in by a cookie session, errors as pages."""

from __future__ import annotations

from api.console.auth import session_principal
from api.console.errors import CONSOLE_FORMAT, CONSOLE_TYPES
from api.shared.surface import Surface

SURFACE = Surface(
    name="console",
    errors=CONSOLE_TYPES,
    format=CONSOLE_FORMAT,
    auth=session_principal,
    base_path="/console",
    paths=("/console",),
)
