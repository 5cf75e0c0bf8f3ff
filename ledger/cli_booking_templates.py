"""`ledger admin` commands of booking templates: create, change and read one, as the admin API does."""

from __future__ import annotations

import argparse
from typing import Any
from uuid import UUID

from ledger.admin.booking_templates import (
    BookingTemplateChangesIn,
    BookingTemplateIn,
    TemplateChanges,
    create_booking_template,
    get_booking_template,
    update_booking_template,
)
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


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    """The body's fields of the options given; resources by number where they are digits."""
    fields = {name: getattr(args, name) for _, name, _ in _OPTIONS if getattr(args, name) is not None}
    if args.resource_ids is not None:
        fields["resourceIds"] = [int(ref) if ref.isdigit() else ref for ref in args.resource_ids]
    return fields


def _template(args: argparse.Namespace) -> BookingTemplateIn:
    return request_body(BookingTemplateIn, **_fields(args))


def _changes(args: argparse.Namespace) -> TemplateChanges:
    return request_body(BookingTemplateChangesIn, **_fields(args))


TEMPLATE_OPERATIONS: dict[str, Operation] = {
    "create-booking-template": lambda args, ledger, ctx: create_booking_template(
        ledger, ctx, args.organization_id, _template(args)
    ),
    "update-booking-template": lambda args, ledger, ctx: update_booking_template(
        ledger, ctx, args.template_id, _changes(args)
    ),
    "get-booking-template": lambda args, ledger, _: get_booking_template(
        ledger, args.organization_id, args.template_id
    ),
}


def _add_settings(parser: argparse.ArgumentParser, creates: bool) -> None:
    """The options of the settings; creating a template requires those that the create body does."""
    for option, name, kind in _OPTIONS:
        metavar = "true|false" if kind is _flag else None
        parser.add_argument(
            option, dest=name, type=kind, required=creates and name in _REQUIRED, metavar=metavar
        )
    parser.add_argument(
        "--resource-id",
        dest="resource_ids",
        action="append",
        required=creates,
        help="a resource's UUID or number; repeat for each resource",
    )


def add_template_parsers(ops: Any) -> None:
    p = ops.add_parser("create-booking-template", help="create a booking template of an organization")
    p.add_argument("--organization-id", type=UUID, required=True)
    _add_settings(p, creates=True)
    p = ops.add_parser(
        "update-booking-template", help="change the settings given of a booking template (others are kept)"
    )
    p.add_argument("--template-id", type=UUID, required=True)
    _add_settings(p, creates=False)
    p = ops.add_parser("get-booking-template", help="show a booking template")
    p.add_argument("--organization-id", type=UUID, required=True)
    p.add_argument("--template-id", type=UUID, required=True)
