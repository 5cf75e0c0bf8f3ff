"""`ledger admin approve-venue-mapping` and `reject-venue-mapping`: an operator's decision from the shell."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from domain.application import Ledger
from domain.context import RequestContext
from ledger.admin import venue_mappings

Operation = Callable[[argparse.Namespace, Ledger, RequestContext], BaseModel | None]
VENUE_MAPPING_OPERATIONS: dict[str, Operation] = {
    "approve-venue-mapping": lambda args, ledger, ctx: venue_mappings.approve_venue_mapping(
        ledger, ctx, args.mapping_id
    ),
    "reject-venue-mapping": lambda args, ledger, ctx: venue_mappings.reject_venue_mapping(
        ledger, ctx, args.mapping_id
    ),
}


def add_venue_mapping_parsers(ops: Any) -> None:
    for name, verb in (("approve-venue-mapping", "approve"), ("reject-venue-mapping", "reject")):
        p = ops.add_parser(name, help=f"{verb} a client's venue mapping")
        p.add_argument("--mapping-id", required=True, help="the mapping's id, as the client API shows it")
