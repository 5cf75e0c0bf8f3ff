"""`ledger audit ...`: the hash chain's backfill, its verification, and the signed checkpoints' export."""

from __future__ import annotations

import argparse
import json
import sys

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


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime
    from replay.verify import verify_log

    progress = progress_bar("positions")
    with open_runtime(settings, run_projections=False) as runtime:
        report = verify_log(runtime.ledger, args.start, args.stop, progress=progress)
    end_progress(progress)
    first = report.first_broken
    print(
        json.dumps(
            {
                "ok": report.ok,
                "from": report.first,
                "to": report.last,
                "events": report.events,
                "checkpoints": report.checkpoints,
                "uncheckpointedEvents": report.uncheckpointed,
                "brokenLinks": len(report.broken),
                "firstBrokenLink": {"position": first.position, "what": first.what} if first else None,
            }
        )
    )
    if first is not None:
        sys.stderr.write(f"First broken link, at position {first.position}: {first.what}\n")
        return 1
    return 0


def _position(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("a position is 1 or more")
    return value


def add_audit_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help="tamper evidence: the hash chain and signed checkpoints")
    actions = audit.add_subparsers(dest="action", required=True)
    backfill = actions.add_parser(
        "backfill", help="hash the events stored before the hash chain (resumable; safe to repeat)"
    )
    backfill.set_defaults(handler=_backfill)
    verify = actions.add_parser(
        "verify", help="re-hash every stream and check every checkpoint; exit 1 naming the first broken link"
    )
    verify.add_argument("--from", dest="start", type=_position, default=1, help="first position (default 1)")
    verify.add_argument(
        "--to", dest="stop", type=_position, default=None, help="last position (default: head)"
    )
    verify.set_defaults(handler=_verify)
