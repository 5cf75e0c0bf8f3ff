"""The embedded PostgreSQL allows enough connections for several processes, and still stops when released."""

from __future__ import annotations

from pathlib import Path

import psycopg

from ledger.embedded import MAX_CONNECTIONS, embedded_postgres


def max_connections(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_setting('max_connections')::int").fetchone()
    assert row is not None
    return int(row[0])


def test_a_new_embedded_cluster_allows_more_connections_than_postgres_default(tmp_path: Path) -> None:
    with embedded_postgres(tmp_path) as url:
        assert max_connections(url) == MAX_CONNECTIONS > 100
    # The restart that raised the limit must not lose track of the postmaster: releasing it stops it.
    assert not (tmp_path / "pg" / "postmaster.pid").exists()


def test_a_restarted_embedded_cluster_keeps_the_raised_connection_limit(tmp_path: Path) -> None:
    with embedded_postgres(tmp_path):
        pass
    with embedded_postgres(tmp_path) as url:
        assert max_connections(url) == MAX_CONNECTIONS
    assert not (tmp_path / "pg" / "postmaster.pid").exists()
