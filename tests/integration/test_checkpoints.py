"""Signed checkpoints on real PostgreSQL: taken by the checkpointer, exported, and checked by verify."""

from __future__ import annotations

import json
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from domain.context import ADMIN, RequestContext
from domain.organization import Organization
from ledger.checkpointer import Checkpointer, CheckpointKeyError, checkpoint_key_path, load_checkpoint_key
from ledger.cli import main
from ledger.runtime import Runtime
from ledger.settings import Settings
from replay.backfill import unhashed_count
from replay.checkpoint_check import verify_ledger
from replay.checkpoint_store import all_checkpoints, take_checkpoint
from replay.checkpoints import Checkpoint, raw_public_key
from replay.verify import BrokenLink
from tests.append_lock import open_append
from tests.integration.test_hash_chain import a_booking, append_to_a_booking, forget_hashes
from tests.integration.test_projection_and_rebuild import write_history
from tests.integration.test_tamper_evidence import a_stream, tamper

KEY = Ed25519PrivateKey.generate()
TRUSTED = {raw_public_key(KEY)}


def checkpointer(runtime: Runtime, max_events: int = 100_000) -> Checkpointer:
    return Checkpointer(runtime.ledger, KEY, lambda: datetime.now(UTC), 3600, max_events)


def first_broken(runtime: Runtime, **options: object) -> BrokenLink:
    first = verify_ledger(runtime.ledger, trusted_keys=TRUSTED, **options).first_broken  # type: ignore[arg-type]
    assert first is not None, "verification found nothing broken"
    return first


def test_checkpoints_cover_the_log_in_chained_ranges_and_verify(own_runtime: Runtime) -> None:
    write_history(own_runtime, 4)
    [first] = checkpointer(own_runtime).run_once()
    assert checkpointer(own_runtime).run_once() == []
    write_history(own_runtime, 2)
    later = checkpointer(own_runtime, max_events=5).run_once()
    head = own_runtime.ledger.recorder.max_notification_id()

    report = verify_ledger(own_runtime.ledger, trusted_keys=TRUSTED)

    assert (first.sequence, first.first_position) == (1, 1)
    assert [c.sequence for c in later] == list(range(2, 2 + len(later)))
    assert all(c.event_count <= 5 for c in later)
    assert later[-1].last_position == head
    assert report.ok, report.broken
    assert report.checkpoints == 1 + len(later)
    assert report.uncheckpointed == 0


def test_events_after_the_last_checkpoint_are_counted_as_not_yet_checkpointed(own_runtime: Runtime) -> None:
    write_history(own_runtime, 2)
    checkpointer(own_runtime).run_once()
    head = own_runtime.ledger.recorder.max_notification_id() or 0
    write_history(own_runtime, 1)

    report = verify_ledger(own_runtime.ledger, trusted_keys=TRUSTED)

    assert report.ok
    assert report.uncheckpointed == (own_runtime.ledger.recorder.max_notification_id() or 0) - head


def test_a_deleted_last_event_of_a_stream_is_named_by_its_checkpoint(own_runtime: Runtime) -> None:
    write_history(own_runtime, 4)
    [checkpoint] = checkpointer(own_runtime).run_once()
    last_of_stream = a_stream(own_runtime, 2)[-1]

    tamper(own_runtime, "DELETE FROM {t} WHERE notification_id = %s", last_of_stream[0])

    first = first_broken(own_runtime)
    assert first.position == checkpoint.first_position
    assert first.what.startswith(f"checkpoint 1 (positions 1-{checkpoint.last_position}) signed")
    assert "events were deleted or inserted" in first.what


def test_two_events_swapped_in_position_are_named_by_their_checkpoint(own_runtime: Runtime) -> None:
    write_history(own_runtime, 4)
    checkpointer(own_runtime).run_once()
    one, other = a_stream(own_runtime, 2)[0][0], a_stream(own_runtime, 2)[1][0]

    swap = "UPDATE {t} SET notification_id = %s WHERE notification_id = %s"
    tamper(own_runtime, swap, -1, one)
    tamper(own_runtime, swap, one, other)
    tamper(own_runtime, swap, other, -1)

    assert "the Merkle root differs" in first_broken(own_runtime).what


def test_a_stream_rewritten_with_recomputed_hashes_is_named_by_its_checkpoint(own_runtime: Runtime) -> None:
    write_history(own_runtime, 3)
    checkpointer(own_runtime).run_once()
    booking = a_booking(own_runtime)

    # The forger edits an event and recomputes the chain, as the backfill would: the chain holds again.
    tamper(
        own_runtime,
        "UPDATE {t} SET state = state || '\\x20'::bytea, event_hash = NULL WHERE originator_id = %s",
        booking,
    )
    append_to_a_booking(own_runtime, 0, booking)
    checkpointer(own_runtime).run_once()

    first = first_broken(own_runtime)
    assert unhashed_count(own_runtime.ledger) == 0
    assert first.position == 1
    assert "the Merkle root differs" in first.what


def stored_checkpoints(runtime: Runtime) -> sql.Identifier:
    return sql.Identifier(runtime.settings.db_schema, "ledger_checkpoints")


def test_a_changed_or_removed_checkpoint_or_an_unknown_key_is_named(own_runtime: Runtime) -> None:
    for _ in range(3):
        write_history(own_runtime, 1)
        checkpointer(own_runtime).run_once()
    table = stored_checkpoints(own_runtime)
    unknown_key = verify_ledger(own_runtime.ledger).first_broken
    change = "UPDATE {} SET created_at = created_at + interval '1 s' WHERE sequence = 1"
    with psycopg.connect(own_runtime.database_url) as conn:
        conn.execute(sql.SQL(change).format(table))
    changed = first_broken(own_runtime)
    with psycopg.connect(own_runtime.database_url) as conn:
        conn.execute(sql.SQL("DELETE FROM {} WHERE sequence IN (1, 2)").format(table))

    removed = first_broken(own_runtime)

    assert unknown_key is not None
    assert unknown_key.position == 1
    assert unknown_key.what.startswith("checkpoint 1 is signed by an untrusted key")
    assert changed.what == "checkpoint 1 has an invalid signature: its fields were changed"
    assert (
        removed.what
        == "checkpoint 3 does not follow the start of the log: a checkpoint was removed or altered"
    )


def test_concurrent_checkpointers_take_each_checkpoint_once_in_one_chain(own_runtime: Runtime) -> None:
    write_history(own_runtime, 6)
    start = threading.Barrier(4)
    taken: list[list[Checkpoint]] = []

    def race() -> None:
        start.wait()
        taken.append(checkpointer(own_runtime, max_events=3).run_once())

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = list(all_checkpoints(own_runtime.ledger))
    assert sorted(c.sequence for batch in taken for c in batch) == [c.sequence for c in stored]
    assert verify_ledger(own_runtime.ledger, trusted_keys=TRUSTED).ok


def test_the_checkpointer_backfills_first_and_never_signs_an_unhashed_event(own_runtime: Runtime) -> None:
    write_history(own_runtime, 2)
    forget_hashes(own_runtime)
    assert take_checkpoint(own_runtime.ledger, KEY, datetime.now(UTC), 100) is None

    [checkpoint] = checkpointer(own_runtime).run_once()

    assert checkpoint.last_position == own_runtime.ledger.recorder.max_notification_id()
    assert verify_ledger(own_runtime.ledger, trusted_keys=TRUSTED).ok


def test_exported_checkpoints_name_one_removed_from_the_database_since(
    own_runtime: Runtime,
    own_settings: Settings,
    own_cli_env: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_history(own_runtime, 2)
    assert main(["audit", "checkpoint"]) == 0
    capsys.readouterr()
    export = tmp_path / "checkpoints.jsonl"
    assert main(["audit", "export-checkpoints", "--output", str(export)]) == 0
    [line] = export.read_text().splitlines()
    assert main(["audit", "export-checkpoints"]) == 0
    assert capsys.readouterr().out.splitlines() == [line]
    assert main(["audit", "verify", "--checkpoints", str(export)]) == 0
    assert json.loads(capsys.readouterr().out)["checkpoints"] == 1
    with psycopg.connect(own_runtime.database_url) as conn:
        conn.execute(sql.SQL("DELETE FROM {}").format(stored_checkpoints(own_runtime)))

    assert main(["audit", "verify", "--checkpoints", str(export)]) == 1

    exported = json.loads(line)
    public_key = raw_public_key(load_checkpoint_key(own_settings)).hex()
    assert exported["publicKey"] == public_key
    assert set(exported) >= {"sequence", "firstPosition", "lastPosition", "merkleRoot", "signature", "hash"}
    assert "exported checkpoint 1 (positions 1-" in capsys.readouterr().err


def test_the_signing_key_is_generated_owner_only_once_and_a_configured_missing_one_is_refused(
    own_settings: Settings, tmp_path: Path
) -> None:
    settings = own_settings.model_copy(update={"data_dir": tmp_path / "data"})
    announced: list[str] = []

    key = load_checkpoint_key(settings, announced.append)

    path = checkpoint_key_path(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert raw_public_key(load_checkpoint_key(settings, announced.append)) == raw_public_key(key)
    assert len(announced) == 1
    assert raw_public_key(key).hex() in announced[0]
    assert "PRIVATE KEY" not in announced[0]
    with pytest.raises(CheckpointKeyError):
        load_checkpoint_key(
            settings.model_copy(update={"checkpoint_key_file": tmp_path / "absent.pem"}), print
        )


def test_a_checkpoint_never_covers_a_position_whose_append_is_in_flight(own_runtime: Runtime) -> None:
    write_history(own_runtime, 2)
    held = Organization.register("Held", "UTC", RequestContext(ADMIN, datetime.now(UTC), "r").meta())
    later = Organization.register("Later", "UTC", RequestContext(ADMIN, datetime.now(UTC), "r").meta())

    with open_append(own_runtime, held) as [held_position]:
        [recording] = own_runtime.ledger.save(later)
        while_held = checkpointer(own_runtime).run_once()
    after = checkpointer(own_runtime).run_once()
    report = verify_ledger(own_runtime.ledger, trusted_keys=TRUSTED)

    assert held_position < recording.notification.id
    assert while_held
    assert all(c.last_position < held_position for c in while_held)
    assert after[-1].last_position == recording.notification.id
    assert report.ok, report.broken
    assert report.uncheckpointed == 0
