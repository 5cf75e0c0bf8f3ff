"""`ledger audit ...`: the hash chain's backfill and verification, and the signed checkpoints."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TextIO

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


def _trusted_keys(args: argparse.Namespace, settings: Settings) -> set[bytes]:
    """The public keys whose checkpoints are trusted: the configured key's, if its file is here, and the
    ones given with --trust-key."""
    from ledger.checkpointer import checkpoint_key_path, load_checkpoint_key
    from replay.checkpoints import raw_public_key

    keys = {bytes.fromhex(key) for key in args.trust_keys}
    if checkpoint_key_path(settings).exists():
        keys.add(raw_public_key(load_checkpoint_key(settings)))
    return keys


def _exported(path: Path | None) -> list[Any]:
    from replay.checkpoints import Checkpoint

    if path is None:
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Checkpoint.from_json(json.loads(line)) for line in lines if line.strip()]


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime
    from replay.checkpoint_check import verify_ledger

    if args.stop is not None and args.stop < args.start:
        raise SystemExit("ledger audit verify: --to must not be before --from")
    trusted, exported = _trusted_keys(args, settings), _exported(args.checkpoints)
    progress = progress_bar("positions")
    with open_runtime(settings, run_projections=False) as runtime:
        report = verify_ledger(
            runtime.ledger, args.start, args.stop, trusted_keys=trusted, exported=exported, progress=progress
        )
    end_progress(progress)
    first = report.first_broken
    summary = {
        "ok": report.ok,
        "from": report.first,
        "to": report.last,
        "events": report.events,
        "checkpoints": report.checkpoints,
        "uncheckpointedEvents": report.uncheckpointed,
        "brokenLinks": len(report.broken),
        "firstBrokenLink": {"position": first.position, "what": first.what} if first else None,
    }
    print(json.dumps(summary))
    if first is not None:
        sys.stderr.write(f"First broken link, at position {first.position}: {first.what}\n")
        return 1
    return 0


def _output(path: Path | None) -> AbstractContextManager[TextIO]:
    """The file to write, or standard output (left open)."""
    return path.open("w", encoding="utf-8") if path else contextlib.nullcontext(sys.stdout)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.runtime import open_runtime
    from replay.checkpoint_store import all_checkpoints

    with open_runtime(settings, run_projections=False) as runtime, _output(args.output) as out:
        for checkpoint in all_checkpoints(runtime.ledger):
            out.write(json.dumps(checkpoint.to_json()) + "\n")
    return 0


def _checkpoint(args: argparse.Namespace, settings: Settings) -> int:
    from ledger.checkpointer import Checkpointer, load_checkpoint_key
    from ledger.runtime import open_runtime

    with open_runtime(settings, run_projections=False) as runtime:
        key = load_checkpoint_key(settings, announce=lambda line: print(line, file=sys.stderr))
        checkpointer = Checkpointer(runtime.ledger, key, runtime.clock, 0, settings.checkpoint_max_events)
        taken = checkpointer.run_once()
    print(json.dumps([checkpoint.to_json() for checkpoint in taken]))
    return 0


def _position(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("a position is 1 or more")
    return value


def _public_key(text: str) -> str:
    if len(text) != 64 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise argparse.ArgumentTypeError("a public key is 64 hex digits (Ed25519, raw)")
    return text


def add_audit_parser(commands: Any) -> None:
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
        "--to", dest="stop", type=_position, default=None, help="last position (default the head)"
    )
    verify.add_argument(
        "--trust-key",
        dest="trust_keys",
        action="append",
        type=_public_key,
        default=[],
        help="a public key (hex) whose checkpoints are trusted besides the configured key's; repeatable",
    )
    verify.add_argument(
        "--checkpoints",
        type=Path,
        help="checkpoints exported earlier: each must be in the database unchanged",
    )
    verify.set_defaults(handler=_verify)
    export = actions.add_parser("export-checkpoints", help="every signed checkpoint as JSON lines")
    export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    export.set_defaults(handler=_export)
    checkpoint = actions.add_parser("checkpoint", help="sign checkpoints of every event not covered yet, now")
    checkpoint.set_defaults(handler=_checkpoint)
