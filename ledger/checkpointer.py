"""The checkpointer: a background loop that signs checkpoints of new events with a key kept outside the DB."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from domain.application import Ledger
from ledger.periodic import Periodic
from ledger.secret_files import create_secret_file
from ledger.settings import Settings
from replay.backfill import backfill_hashes, unhashed_count
from replay.checkpoint_store import take_checkpoint
from replay.checkpoints import Checkpoint, raw_public_key

log = logging.getLogger("ledger.checkpoints")
CHECKPOINT_KEY_FILE = "checkpoint-signing-key.pem"


class CheckpointKeyError(ValueError):
    """Raised when the checkpoint key file is missing where configured, or holds no Ed25519 private key."""


def checkpoint_key_path(settings: Settings) -> Path:
    return settings.checkpoint_key_file or settings.data_dir / CHECKPOINT_KEY_FILE


def load_checkpoint_key(
    settings: Settings, announce: Callable[[str], None] | None = None
) -> Ed25519PrivateKey:
    """The signing key from its file; with `announce`, a key is generated into the data directory first when
    no file is configured and none is there yet (owner-only; its public key is announced, never the key)."""
    path = checkpoint_key_path(settings)
    if not path.exists():
        if announce is None or settings.checkpoint_key_file is not None:
            raise CheckpointKeyError(f"The checkpoint signing key file {path} does not exist.")
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        create_secret_file(path, pem)
        generated = load_checkpoint_key(settings)
        announce(
            f"Generated a checkpoint signing key in {path}; public key {raw_public_key(generated).hex()}"
        )
        return generated
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CheckpointKeyError(f"{path} holds no Ed25519 private key.")
    return loaded


class Checkpointer(Periodic):
    """Every `interval` seconds, hashes what a backfill can still hash, then signs checkpoints until every
    hashed event is covered, at most `max_events` per checkpoint.

    Processes running this loop together take turns under an advisory lock, so each checkpoint is taken
    once and follows the one before it.
    """

    def __init__(
        self,
        ledger: Ledger,
        key: Ed25519PrivateKey,
        clock: Callable[[], datetime],
        interval: float,
        max_events: int,
    ) -> None:
        super().__init__("checkpointer", interval, self.run_once, log, stop_timeout=30)
        self.ledger = ledger
        self.key = key
        self.clock = clock
        self.max_events = max_events

    def run_once(self) -> list[Checkpoint]:
        """Backfill, then take every checkpoint that is due now; the checkpoints this call took."""
        if unhashed_count(self.ledger):
            report = backfill_hashes(self.ledger)
            log.info("hashed %d events stored before the hash chain", report.hashed)
        taken = []
        while not self.stopping:
            checkpoint = take_checkpoint(self.ledger, self.key, self.clock(), self.max_events)
            if checkpoint is None:
                break
            taken.append(checkpoint)
        return taken
