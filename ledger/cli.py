"""The `ledger` command: its arguments, and how a command's outcome becomes the exit status."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence

from ledger.cli_admin import add_admin_parser
from ledger.cli_audit import add_audit_parser
from ledger.cli_serve import run_projections, serve
from ledger.logs import configure_logging
from ledger.progress import end_progress, progress_bar
from ledger.settings import Settings

INTERRUPTED = 128 + signal.SIGINT


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime
    from projections.registry import view_of_command
    from replay.rebuild import rebuild_view
    from replay.rebuild_log import record_rebuild

    progress = progress_bar("events")
    with open_runtime(settings, run_projections=False) as runtime:
        view = runtime.view(view_of_command(args.view))
        report = rebuild_view(runtime.ledger, view, progress=progress)
        with view.datastore.transaction(commit=True) as curs:
            record_rebuild(curs, settings.db_schema, view.name, report.position, report.events)
    end_progress(progress)
    print(json.dumps({"view": args.view, "events": report.events, "position": report.position}))
    return 0


def _as_of(args: argparse.Namespace, settings: Settings) -> int:
    from pydantic import TypeAdapter

    from ledger.instants import Rfc3339Instant
    from ledger.runtime import open_runtime
    from projections.registry import view_of_command
    from replay.as_of import build_view_as_of

    instant = TypeAdapter(Rfc3339Instant).validate_python(args.timestamp)
    progress = progress_bar("events")
    with open_runtime(settings, run_projections=False) as runtime:
        view_class = view_of_command(args.view)
        report = build_view_as_of(runtime.ledger, runtime.env, view_class, args.schema, instant, progress)
    end_progress(progress)
    summary = {"view": args.view, "schema": report.schema, "asOf": args.timestamp}
    print(json.dumps({**summary, "position": report.position, "events": report.events}))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from projections.registry import command_names

    parser = argparse.ArgumentParser(prog="ledger", description="The event-sourced booking ledger.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="start the API and the projection runners")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument(
        "--workers", type=int, default=1, choices=range(1, 65), metavar="N", help="API processes (default 1)"
    )
    serve_parser.add_argument(
        "--no-runners",
        action="store_true",
        help="keep the projection runners and periodic jobs out of these processes "
        "(as LEDGER_RUN_PROJECTIONS=false; `ledger projections run` runs them)",
    )
    serve_parser.set_defaults(handler=serve)
    projections = commands.add_parser("projections", help="projection runners")
    projections.add_argument("action", choices=["run"])
    projections.set_defaults(handler=run_projections)
    replay = commands.add_parser("replay", help="auditors' tools").add_subparsers(
        dest="action", required=True
    )
    rebuild = replay.add_parser("rebuild", help="rebuild a view from the whole log and swap it in")
    rebuild.add_argument("view", choices=command_names())
    rebuild.set_defaults(handler=_rebuild)
    as_of = replay.add_parser("as-of", help="build a view as of an instant into a schema of its own")
    as_of.add_argument("timestamp", help="an RFC 3339 date-time with an offset, e.g. 2030-05-01T10:00:00Z")
    as_of.add_argument("--view", required=True, choices=command_names())
    as_of.add_argument("--schema", required=True, help="the schema to build it in (not the ledger's own)")
    as_of.set_defaults(handler=_as_of)
    add_admin_parser(commands)
    add_audit_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError

    from domain.errors import LedgerError

    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings)
    # SIGTERM unwinds like Ctrl-C, so that the embedded PostgreSQL is released on the way out.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        code: int = args.handler(args, settings)
    except KeyboardInterrupt:
        return INTERRUPTED
    except LedgerError as error:
        print(
            json.dumps({"error": {"type": type(error).__name__, "message": error.message}}), file=sys.stderr
        )
        return 1
    except ValidationError as error:
        issues = [{"path": list(e["loc"]), "message": e["msg"]} for e in error.errors(include_url=False)]
        print(json.dumps({"error": {"type": "invalid_schema", "issues": issues}}), file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
