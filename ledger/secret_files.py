"""Secrets generated once into the data directory: written owner-only, appearing whole or not at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def create_secret_file(path: Path, content: bytes) -> None:
    """Write `content` to `path` (mode 600) unless the file exists by the time it is complete.

    Processes that start together agree on one secret: the file appears whole, by a link, or not at all, and
    a loser keeps the winner's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
