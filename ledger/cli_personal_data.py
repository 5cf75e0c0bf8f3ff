"""`ledger admin erase-user` and `ledger admin encrypt-personal-data`: personal data from the command line."""

from __future__ import annotations

import argparse
import json
import uuid
from typing import Any
from uuid import UUID

from domain.context import ADMIN, RequestContext
from ledger.progress import end_progress, progress_bar
from ledger.settings import Settings

COMMANDS = ("erase-user", "encrypt-personal-data")


def run_personal_data(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.personal_data.erasure import erase_user
    from ledger.personal_data.migration import PlaintextMigration
    from ledger.runtime import open_runtime

    with open_runtime(settings, run_projections=False) as runtime:
        assert runtime.vault is not None
        if args.operation == "erase-user":
            ctx = RequestContext(ADMIN, runtime.clock(), f"cli-{uuid.uuid4().hex}")
            result: dict[str, Any] = erase_user(
                runtime.ledger, runtime.vault, ctx, args.user_id, None, runtime.idempotency_keys()
            ).as_json()
        else:
            progress = progress_bar("positions")
            try:
                report = PlaintextMigration(runtime.ledger, runtime.vault).run(args.page_size, progress)
            finally:
                end_progress(progress)
            result = report.as_json()
    print(json.dumps(result, indent=2))
    return 0


def add_personal_data_parsers(ops: Any) -> None:
    ops.add_parser(
        "erase-user", help="erase a user's personal data for good: destroy their keys, record the erasure"
    ).add_argument("--user-id", type=UUID, required=True)
    ops.add_parser(
        "encrypt-personal-data",
        help="index the personal data stored in plaintext before encryption (rewrites no event); resumable",
    ).add_argument("--page-size", type=int, default=1000)
