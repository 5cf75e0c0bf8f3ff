"""`ledger serve` and `ledger projections run`: the long-running commands."""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket

from ledger.logs import announcer, server_options
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
        **server_options(settings),
    )
    server = AnnouncingServer(config)
    server.run()
    return 0 if server.started else STARTUP_FAILED


def run_projections(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime

    with open_runtime(settings, run_projections=True) as runtime:
        assert runtime.supervisor is not None
        signal.signal(signal.SIGTERM, lambda *_: runtime.supervisor.stop() if runtime.supervisor else None)
        announcer(settings)("Projection runners started; Ctrl-C stops them.")
        with contextlib.suppress(KeyboardInterrupt):
            runtime.supervisor.run_until_stopped()
    return 0
