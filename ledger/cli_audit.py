"""`ledger audit ...`: the hash chain's backfill, its verification, and the signed checkpoints' export."""

from __future__ import annotations

import argparse
import json

from ledger.progress import end_progress, progress_bar
from ledger.settings import Settings


def _backfill(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime
    from replay.backfill import backfill_hashes

    progress = progress_bar("events hashed")
    with open_runtime(settings, run_projections=False) as runtime:
        report = backfill_hashes(runtime.ledger, progress=progress)
    end_progress(progress)
    print(json.dumps({"hashed": report.hashed, "unchainable": report.unchainable}))
    return 0


def add_audit_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help="tamper evidence: the hash chain and signed checkpoints")
    actions = audit.add_subparsers(dest="action", required=True)
    backfill = actions.add_parser(
        "backfill", help="hash the events stored before the hash chain (resumable; safe to repeat)"
    )
    backfill.set_defaults(handler=_backfill)
