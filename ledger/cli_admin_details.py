"""`ledger admin` commands of details: a venue's descriptive fields, profile schemas and member profiles."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from domain.application import Ledger
from domain.context import RequestContext
from ledger.admin import operations
from ledger.admin.profile_bodies import MemberProfileIn, ProfileSchemaIn
from ledger.admin.requests import VENUE_DETAIL_NAMES, VenueDetailsIn, request_body

Operation = Callable[[argparse.Namespace, Ledger, RequestContext], BaseModel | None]


def json_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not valid JSON: {error}") from None


def json_file(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot read {path}: {error.strerror}") from None
    return json_text(text)


def assignment(text: str) -> tuple[str, str]:
    field_id, separator, value = text.partition("=")
    if not separator:
        raise argparse.ArgumentTypeError(f"expected FIELD=VALUE, got {text!r}")
    return field_id, value


def _venue_details(args: argparse.Namespace) -> VenueDetailsIn:
    fields: dict[str, object] = {}
    for body_name, dest in VENUE_DETAIL_NAMES.items():
        value = getattr(args, dest)
        if value is None:
            continue
        # An empty option clears the field, as null does in the API's body.
        fields[body_name] = value == "true" if dest == "is_published" else value or None
    return request_body(VenueDetailsIn, **fields)


def _profile_schema(args: argparse.Namespace) -> ProfileSchemaIn:
    given = args.fields if args.fields is not None else args.fields_file
    # The fields alone, or a whole body of the API's PUT (its schemaId and name yield to the options).
    body: dict[str, Any] = dict(given) if isinstance(given, dict) else {"fields": given}
    if args.schema_id is not None:
        body["schemaId"] = args.schema_id
    if args.name is not None:
        body["name"] = args.name
    return request_body(ProfileSchemaIn, **body)


def _member_profile(args: argparse.Namespace) -> MemberProfileIn:
    values: Any = {} if args.values is None else args.values
    if isinstance(values, dict):
        values = {**values, **dict(args.value)}
    return request_body(MemberProfileIn, values=values)


DETAIL_OPERATIONS: dict[str, Operation] = {
    "update-venue": lambda args, ledger, ctx: operations.update_venue(
        ledger, ctx, args.venue_id, _venue_details(args)
    ),
    "get-profile-schema": lambda args, ledger, _: operations.get_profile_schema(ledger, args.organization_id),
    "set-profile-schema": lambda args, ledger, ctx: operations.replace_profile_schema(
        ledger, ctx, args.organization_id, _profile_schema(args)
    ),
    "set-member-profile": lambda args, ledger, ctx: operations.set_member_profile(
        ledger, ctx, args.organization_id, args.user_id, _member_profile(args)
    ),
}


def add_detail_parsers(ops: Any) -> None:
    p = ops.add_parser("update-venue", help="set a venue's descriptive fields; an empty value clears one")
    p.add_argument("--venue-id", required=True, help="the venue's UUID or its number")
    for dest in VENUE_DETAIL_NAMES.values():
        if dest != "is_published":
            note = "a decimal string" if dest in {"latitude", "longitude"} else None
            p.add_argument(f"--{dest.replace('_', '-')}", dest=dest, help=note)
    p.add_argument("--is-published", dest="is_published", choices=["true", "false"])
    ops.add_parser("get-profile-schema").add_argument("--organization-id", type=UUID, required=True)
    p = ops.add_parser("set-profile-schema", help="replace an organization's profile schema")
    p.add_argument("--organization-id", type=UUID, required=True)
    p.add_argument("--schema-id")
    p.add_argument("--name")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "--fields", type=json_text, help='JSON: [{"id", "name", "label", "type", "order"}, ...]'
    )
    given.add_argument("--fields-file", type=json_file, help="a file holding that JSON")
    p = ops.add_parser("set-member-profile", help="set a member's profile values by field id")
    p.add_argument("--organization-id", type=UUID, required=True)
    p.add_argument("--user-id", type=UUID, required=True)
    p.add_argument("--values", type=json_text, help='JSON: {"<field id>": "value" or null, ...}')
    p.add_argument(
        "--value",
        type=assignment,
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="repeat per field",
    )
