"""`ledger admin ...`: the admin operations from the command line, with the admin API's bodies and answers."""

from __future__ import annotations

import argparse
import json
import uuid
from typing import Any
from uuid import UUID

from domain.context import ADMIN, RequestContext
from ledger.admin import operations
from ledger.admin.requests import ClientIn, CoachEventIn, CourtIn, OrganizationIn, UserIn, UserLinkIn, VenueIn
from ledger.admin.requests import request_body as body
from ledger.cli_admin_details import DETAIL_OPERATIONS, Operation, add_detail_parsers
from ledger.cli_admin_oauth import OAUTH_OPERATIONS, add_oauth_parsers
from ledger.cli_admin_venue_mappings import VENUE_MAPPING_OPERATIONS, add_venue_mapping_parsers
from ledger.cli_booking_rules import RESOURCE_OPERATIONS, add_resource_parsers
from ledger.cli_booking_templates import TEMPLATE_OPERATIONS, add_template_parsers
from ledger.cli_notification_rules import NOTIFICATION_OPERATIONS, add_notification_parsers
from ledger.cli_payments import PAYMENT_OPERATIONS, add_payment_parsers
from ledger.cli_personal_data import COMMANDS as PERSONAL_DATA_COMMANDS
from ledger.cli_personal_data import add_personal_data_parsers, run_personal_data
from ledger.settings import Settings


def _coach_event(args: argparse.Namespace) -> CoachEventIn:
    timeslot = {
        "numberOfParticipants": args.seats,
        "slotType": args.slot_type,
        "ageFrom": args.age_from,
        "ageTo": args.age_to,
        "price": args.price,
        "duration": args.duration,
        "level": args.level,
        "eligibility": args.eligibility,
    }
    return body(
        CoachEventIn,
        coachId=args.coach_id,
        sportId=args.sport_id,
        startAt=args.start_at,
        endAt=args.end_at,
        addressId=args.address_id,
        organizationId=args.organization_id,
        timeslot=timeslot,
    )


OPERATIONS: dict[str, Operation] = {
    **VENUE_MAPPING_OPERATIONS,
    "create-organization": lambda args, ledger, ctx: operations.create_organization(
        ledger, ctx, body(OrganizationIn, name=args.name, timezone=args.timezone)
    ),
    "create-venue": lambda args, ledger, ctx: operations.create_venue(
        ledger,
        ctx,
        args.organization_id,
        body(VenueIn, name=args.name, city=args.city, timezone=args.timezone),
    ),
    "create-court": lambda args, ledger, ctx: operations.create_court(
        ledger, ctx, args.venue_id, body(CourtIn, name=args.name)
    ),
    "create-client": lambda args, ledger, ctx: operations.create_client(
        ledger,
        ctx,
        body(ClientIn, name=args.name, scopes=args.scopes, organizationIds=args.organization_ids),
    ),
    "get-client": lambda args, ledger, _: operations.get_client(ledger, args.client_id),
    "create-api-key": lambda args, ledger, ctx: operations.issue_api_key(ledger, ctx, args.client_id),
    "revoke-api-key": lambda args, ledger, ctx: operations.revoke_api_key(
        ledger, ctx, args.client_id, args.key_id
    ),
    "create-user": lambda args, ledger, ctx: operations.create_user(
        ledger, ctx, body(UserIn, email=args.email, firstName=args.first_name, lastName=args.last_name)
    ),
    "link-user": lambda args, ledger, ctx: operations.link_user(
        ledger, ctx, args.client_id, body(UserLinkIn, userId=args.user_id)
    ),
    "create-coach-event": lambda args, ledger, ctx: operations.schedule_coach_event(
        ledger, ctx, _coach_event(args)
    ),
    "get-coach-event": lambda args, ledger, _: operations.get_coach_event(ledger, args.event_id),
    "cancel-coach-event": lambda args, ledger, ctx: operations.cancel_coach_event(ledger, ctx, args.event_id),
    **DETAIL_OPERATIONS,
    **RESOURCE_OPERATIONS,
    **TEMPLATE_OPERATIONS,
    **OAUTH_OPERATIONS,
    **PAYMENT_OPERATIONS,
    **NOTIFICATION_OPERATIONS,
}


def run_admin(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime

    if args.operation in PERSONAL_DATA_COMMANDS:
        return run_personal_data(args, settings)
    with open_runtime(settings, run_projections=False) as runtime:
        ctx = RequestContext(ADMIN, runtime.clock(), f"cli-{uuid.uuid4().hex}")
        result = OPERATIONS[args.operation](args, runtime.ledger, ctx)
    print(result.model_dump_json(indent=2) if result is not None else json.dumps({"ok": True}))
    return 0


def _registry_parsers(ops: Any) -> None:
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


def add_admin_parser(commands: Any) -> None:
    admin = commands.add_parser("admin", help="registry and credentials, as in the admin API")
    ops = admin.add_subparsers(dest="operation", required=True)
    _registry_parsers(ops)
    add_detail_parsers(ops)
    add_oauth_parsers(ops)
    _coach_event_parsers(ops)
    add_resource_parsers(ops)
    add_venue_mapping_parsers(ops)
    add_template_parsers(ops)
    add_payment_parsers(ops)
    add_notification_parsers(ops)
    add_personal_data_parsers(ops)
    admin.set_defaults(handler=run_admin)
