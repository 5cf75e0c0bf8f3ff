"""`ledger serve` and `ledger projections run`: the long-running commands."""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import time

from ledger.logs import announcer, server_options
from ledger.projection_processes import ProjectionProcesses
from ledger.settings import Settings

# Loaded by uvicorn by name: the app opens the runtime (and the embedded PostgreSQL) in its lifespan and
# closes it on shutdown, also when a stop signal arrives during start-up.
APP_FACTORY = "api.app:create_app"
STARTUP_FAILED = 3


def announce(base: str, settings: Settings) -> None:
    from ledger.runtime import ADMIN_TOKEN_FILE

    where = f"embedded in {settings.data_dir}" if settings.database_url is None else "LEDGER_DATABASE_URL"
    if settings.log_format == "json":
        announcer(settings)(f"Booking ledger on {base} (database: {where})")
        return
    print(f"Booking ledger on {base} (database: {where})")
    if settings.admin_token is not None:
        print("Admin token: LEDGER_ADMIN_TOKEN")
        token = "$LEDGER_ADMIN_TOKEN"  # noqa: S105 - a shell expression, not a secret
    else:
        token_file = settings.data_dir / ADMIN_TOKEN_FILE
        print(f"Admin token: in {token_file}")
        token = f"$(cat {token_file})"
    print(
        "Next, create an organization:\n"
        f'  curl -s -X POST {base}/api/v1/admin/organizations -H "Authorization: Bearer {token}" \\\n'
        "    -H 'Content-Type: application/json' "
        """-d '{"name": "Padel Club", "timezone": "Europe/Berlin"}'""",
        flush=True,
    )


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn
    from uvicorn.supervisors.multiprocess import Multiprocess

    separate = projection_processes(args, settings)
    if args.no_runners or separate:
        # The workers read their settings from the environment when uvicorn loads the app in them.
        os.environ["LEDGER_RUN_PROJECTIONS"] = "false"
        settings = settings.model_copy(update={"run_projections": False})

    class AnnouncingServer(uvicorn.Server):
        """Tells where to go next once the app has started and listens."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started and not self.should_exit:
                announce(f"http://{args.host}:{args.port}", settings)

    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        log_level="info",
        workers=args.workers,
        **server_options(settings),
    )
    if args.workers == 1 and not separate:
        server = AnnouncingServer(config)
        server.run()
        return 0 if server.started else STARTUP_FAILED
    with contextlib.ExitStack() as stack:
        prepare_workers(settings, stack, runners=settings.run_projections or separate > 0)
        if separate:
            stack.enter_context(ProjectionProcesses(separate))
        runners = f", {separate} projection processes" if separate else ""
        announce(f"http://{args.host}:{args.port} ({args.workers} workers{runners})", settings)
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    return 0


def projection_processes(args: argparse.Namespace, settings: Settings) -> int:
    """How many `ledger projections run` processes `serve` starts beside its workers: none with
    `--no-runners`, else `LEDGER_PROJECTION_PROCESSES`, which by default keeps the runners in the one process
    of a single worker (`make run`) and moves them out of the request processes when there are several."""
    if args.no_runners or not settings.run_projections:
        return 0
    if settings.projection_processes is not None:
        return settings.projection_processes
    return 0 if args.workers == 1 else 2


def prepare_workers(settings: Settings, stack: contextlib.ExitStack, *, runners: bool) -> None:
    """What the workers would otherwise race for, done once before they start: the embedded PostgreSQL
    (one cluster, started here and handed to them by URL) and the secrets generated on a first start."""
    from ledger.checkpointer import load_checkpoint_key
    from ledger.embedded import embedded_postgres
    from ledger.oauth_keys import resolve_signing_keys
    from ledger.runtime import resolve_admin_token

    if settings.database_url is None:
        os.environ["LEDGER_DATABASE_URL"] = stack.enter_context(embedded_postgres(settings.data_dir))
    notice = announcer(settings)
    resolve_admin_token(settings, notice)
    resolve_signing_keys(settings)
    if runners:
        load_checkpoint_key(settings, notice)


def run_projections(args: argparse.Namespace, settings: Settings) -> int:
    """The runners of every view and the periodic jobs, each where this process wins its election."""
    from ledger.runtime import open_runtime

    with open_runtime(settings, run_projections=True):
        announcer(settings)("Projection runners started (each where elected); Ctrl-C stops them.")
        with contextlib.suppress(KeyboardInterrupt):
            while True:  # SIGTERM arrives as KeyboardInterrupt (ledger/cli.py)
                time.sleep(3600)
    return 0
