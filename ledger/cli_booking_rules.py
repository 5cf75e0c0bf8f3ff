"""`ledger admin set-booking-rules` and `confirm-resource-booking`: the admin API's resource operations."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from domain.application import Ledger
from domain.context import RequestContext
from ledger.admin.booking_rules import BookingRulesIn, set_booking_rules
from ledger.admin.resource_bookings import confirm_resource_booking

Operation = Callable[[argparse.Namespace, Ledger, RequestContext], BaseModel | None]


def _rules_body(args: argparse.Namespace) -> BookingRulesIn:
    """The PUT body of the admin API, from `--rules` (JSON text) or `--rules-file` (a JSON file)."""
    if args.rules is not None:
        return BookingRulesIn.model_validate_json(args.rules)
    with args.rules_file as handle:
        return BookingRulesIn.model_validate_json(handle.read())


RESOURCE_OPERATIONS: dict[str, Operation] = {
    "set-booking-rules": lambda args, ledger, ctx: set_booking_rules(
        ledger, ctx, args.resource_id, _rules_body(args)
    ),
    "confirm-resource-booking": lambda args, ledger, ctx: confirm_resource_booking(
        ledger, ctx, args.booking_id
    ),
}


def add_resource_parsers(ops: Any) -> None:
    p = ops.add_parser(
        "set-booking-rules",
        help="set a resource's booking rules and opening hours at once, with the admin API's body",
    )
    p.add_argument("--resource-id", required=True, help="the resource's (court's) number or UUID")
    body = p.add_mutually_exclusive_group(required=True)
    body.add_argument(
        "--rules",
        help='the body as JSON: {"capacity": 4, "basePrice": "25.00", ..., "openingHours": [...]}',
    )
    body.add_argument(
        "--rules-file", type=argparse.FileType("r", encoding="utf-8"), help="a file holding that JSON body"
    )
    p = ops.add_parser("confirm-resource-booking", help="confirm a pending booking of a resource")
    p.add_argument("--booking-id", required=True, help="the booking's number, UUID or reference code")
