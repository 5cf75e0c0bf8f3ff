"""`ledger admin` commands of booking templates: create one and read one, as the admin API does."""

from __future__ import annotations

import argparse
from typing import Any
from uuid import UUID

from ledger.admin.booking_templates import BookingTemplateIn, create_booking_template, get_booking_template
from ledger.admin.requests import request_body
from ledger.cli_admin_details import Operation


def _flag(text: str) -> bool:
    if text not in {"true", "false"}:
        raise argparse.ArgumentTypeError("expected true or false")
    return text == "true"


# Options of the body's fields besides the resources: (option, body name, type).
_OPTIONS: list[tuple[str, str, Any]] = [
    ("--name", "name", str),
    ("--custom-id", "customId", str),
    ("--duration", "duration", int),
    ("--lead-time", "leadTime", int),
    ("--followup-time", "followupTime", int),
    ("--price-gross", "priceGross", str),
    ("--tax-rate", "taxRate", str),
    ("--currency", "currency", str),
    ("--show-price", "showPrice", _flag),
    ("--description", "description", str),
    ("--booking-day-earliest", "bookingDayEarliest", int),
    ("--booking-day-latest", "bookingDayLatest", int),
    ("--booking-lead-time", "bookingLeadTime", int),
    ("--customer-email-required", "customerEmailRequired", _flag),
    ("--customer-mobile-required", "customerMobileRequired", _flag),
    ("--customer-address-required", "customerAddressRequired", _flag),
]
_REQUIRED = {
    "name",
    "duration",
    "priceGross",
    "taxRate",
    "currency",
    "bookingDayEarliest",
    "bookingDayLatest",
    "bookingLeadTime",
}


def _template(args: argparse.Namespace) -> BookingTemplateIn:
    fields = {name: getattr(args, name) for _, name, _ in _OPTIONS if getattr(args, name) is not None}
    refs = [int(ref) if ref.isdigit() else ref for ref in args.resource_ids]
    return request_body(BookingTemplateIn, **fields, resourceIds=refs)


TEMPLATE_OPERATIONS: dict[str, Operation] = {
    "create-booking-template": lambda args, ledger, ctx: create_booking_template(
        ledger, ctx, args.organization_id, _template(args)
    ),
    "get-booking-template": lambda args, ledger, _: get_booking_template(
        ledger, args.organization_id, args.template_id
    ),
}


def add_template_parsers(ops: Any) -> None:
    p = ops.add_parser("create-booking-template", help="create a booking template of an organization")
    p.add_argument("--organization-id", type=UUID, required=True)
    for option, name, kind in _OPTIONS:
        metavar = "true|false" if kind is _flag else None
        p.add_argument(option, dest=name, type=kind, required=name in _REQUIRED, metavar=metavar)
    p.add_argument(
        "--resource-id",
        dest="resource_ids",
        action="append",
        required=True,
        help="a resource's UUID or number; repeat for each resource",
    )
    p = ops.add_parser("get-booking-template", help="show a booking template")
    p.add_argument("--organization-id", type=UUID, required=True)
    p.add_argument("--template-id", type=UUID, required=True)
