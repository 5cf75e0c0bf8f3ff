"""The personal data keys of one ledger: sealed by master keys from outside the database, cached briefly.

The master keys come from LEDGER_PERSONAL_DATA_KEYS (`kid:secret` entries: the first seals new data keys, all
open) or, unset, are derived from the OAuth signing keys, which never enter the database. Subjects are found
by a keyed digest under a key derived from the last-listed master key, which rotation keeps listed; court
bookings' payload fingerprints are keyed by another key derived from it.

Opened data keys and erasures are cached for `cache_seconds`: the process that erases forgets the keys at
once; another process may read with a key it opened before for at most that long. The key that seals a
person's new values is kept longer (SEALING_CACHE_SECONDS): sealing under a key destroyed meanwhile by another
process loses only those values (they read as erased at once), it reveals nothing.

A person without a key gets one made here for the append that first needs it, and stored by that append's own
statement (keys.py `with_new_keys`): no transaction of its own. Until an append stores it, the appends of this
process that need the person share it (for at most SEALING_CACHE_SECONDS).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING
from uuid import UUID

from domain.caches import BoundedCache
from ledger.oauth_keys import KeyRing, parse_signing_keys, resolve_signing_keys
from ledger.personal_data.cipher import new_data_key
from ledger.personal_data.keys import KeyTable, NewKey, new_key_id
from ledger.sealing import SealedUnreadableError, SealingKeys

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresDatastore

    from ledger.settings import Settings

SEALING_CONTEXT = b"ledger personal data keys v1"
DIGEST_CONTEXT = b"ledger personal data subjects v1"
FINGERPRINT_CONTEXT = b"ledger court booking fingerprints v1"
VAULT_ENV = "LEDGER_PERSONAL_DATA_VAULT"
SEALING_CACHE_SECONDS = 60.0
_VAULTS: dict[str, Vault] = {}
_VAULTS_LOCK = threading.Lock()


class Vault:
    """Finds, creates, opens and destroys the data keys of people."""

    def __init__(self, datastore: PostgresDatastore, ring: KeyRing, cache_seconds: float) -> None:
        self.table = KeyTable(datastore)
        self.master = SealingKeys.derived_from(ring, SEALING_CONTEXT)
        oldest = list(ring.secrets.values())[-1]
        self._digest_key = hmac.new(oldest, DIGEST_CONTEXT, hashlib.sha256).digest()
        self.fingerprint_key = hmac.new(oldest, FINGERPRINT_CONTEXT, hashlib.sha256).digest()
        self.cache_seconds = cache_seconds
        self.sealing_seconds = max(cache_seconds, SEALING_CACHE_SECONDS)
        self._by_subject: BoundedCache[tuple[float, UUID, bytes]] = BoundedCache(50_000)
        self._by_id: BoundedCache[tuple[float, bytes | None]] = BoundedCache(50_000)
        self._erased: BoundedCache[tuple[float, bool]] = BoundedCache(50_000)
        self._pending: dict[str, tuple[float, NewKey]] = {}
        self._pending_lock = threading.Lock()

    def digest(self, subject: str) -> bytes:
        return hmac.new(self._digest_key, subject.encode(), hashlib.sha256).digest()

    def _fresh(self, stamp: float) -> bool:
        return time.monotonic() - stamp < self.cache_seconds

    def keys_for(
        self, subjects: Iterable[str], new_keys: list[NewKey] | None = None
    ) -> dict[str, tuple[UUID, bytes]]:
        """Each subject's live data key (id and key), created where it has none: in a transaction of its own,
        or, given `new_keys`, made here and added to it for the append to store."""
        result: dict[str, tuple[UUID, bytes]] = {}
        wanted: dict[bytes, str] = {}
        for subject in dict.fromkeys(subjects):
            cached = self._by_subject.get(subject)
            pending = self._pending_key(subject) if new_keys is not None else None
            if cached is not None and time.monotonic() - cached[0] < self.sealing_seconds:
                result[subject] = (cached[1], cached[2])
            elif pending is not None and new_keys is not None:
                result[subject] = (pending.key_id, pending.data_key)
                new_keys.append(pending)
            else:
                wanted[self.digest(subject)] = subject
        if not wanted:
            return result
        if new_keys is not None:
            return result | self._found_or_made(wanted, new_keys)
        offered: dict[bytes, tuple[UUID, str]] = {}
        fresh_keys: dict[UUID, bytes] = {}
        for digest in wanted:
            key_id, data_key = new_key_id(), new_data_key()
            offered[digest] = (key_id, self.master.seal_bytes(key_id.bytes, data_key))
            fresh_keys[key_id] = data_key
        stamp = time.monotonic()
        for digest, stored in self.table.live_keys(list(wanted), offered).items():
            opened = fresh_keys.get(stored.key_id) or self._open(stored.key_id, stored.sealed_key)
            if opened is None:
                continue
            data_key = opened
            result[wanted[digest]] = (stored.key_id, data_key)
            self._by_subject.put(wanted[digest], (stamp, stored.key_id, data_key))
            self._by_id.put(stored.key_id, (stamp, data_key))
        return result

    def _found_or_made(
        self, wanted: dict[bytes, str], new_keys: list[NewKey]
    ) -> dict[str, tuple[UUID, bytes]]:
        """The live keys of these subjects, read without a transaction; a new key for each one without."""
        live, erased_at = self.table.find_live(list(wanted))
        result: dict[str, tuple[UUID, bytes]] = {}
        stamp = time.monotonic()
        for digest, subject in wanted.items():
            stored = live.get(digest)
            if stored is not None:
                opened = self._open(stored.key_id, stored.sealed_key)
                if opened is not None:
                    result[subject] = (stored.key_id, opened)
                    self._by_subject.put(subject, (stamp, stored.key_id, opened))
                    self._by_id.put(stored.key_id, (stamp, opened))
                continue
            key_id, data_key = new_key_id(), new_data_key()
            sealed = self.master.seal_bytes(key_id.bytes, data_key)
            made = NewKey(key_id, digest, sealed, erased_at.get(digest), subject, data_key, self._settle)
            with self._pending_lock:
                # Another thread may have made one for this subject meanwhile: every append shares the first.
                kept = self._pending.setdefault(subject, (stamp, made))[1]
            result[subject] = (kept.key_id, kept.data_key)
            new_keys.append(kept)
        return result

    def _pending_key(self, subject: str) -> NewKey | None:
        with self._pending_lock:
            entry = self._pending.get(subject)
            if entry is not None and time.monotonic() - entry[0] >= self.sealing_seconds:
                del self._pending[subject]
                return None
        return entry[1] if entry is not None else None

    def _settle(self, key: NewKey, stored: bool) -> None:
        """An append with this new key stored it (the subject's sealing key from now on), or did not: it
        failed, the subject was erased meanwhile, or another append stored it. The next append that needs
        the subject without a cached key looks it up again. A key that an erasure dropped is not cached."""
        with self._pending_lock:
            entry = self._pending.get(key.subject)
            ours = entry is not None and entry[1] is key
            if ours:
                del self._pending[key.subject]
        if stored and ours:
            stamp = time.monotonic()
            self._by_subject.put(key.subject, (stamp, key.key_id, key.data_key))
            self._by_id.put(key.key_id, (stamp, key.data_key))

    def _open(self, key_id: UUID, sealed: str | None) -> bytes | None:
        if sealed is None:
            return None
        try:
            return self.master.open_bytes(key_id.bytes, sealed)
        except SealedUnreadableError:
            return None

    def data_keys(self, key_ids: Iterable[UUID]) -> dict[UUID, bytes | None]:
        """The data keys with these ids; None for a destroyed (or unknown) key."""
        result: dict[UUID, bytes | None] = {}
        missing = []
        for key_id in dict.fromkeys(key_ids):
            cached = self._by_id.get(key_id)
            if cached is not None and self._fresh(cached[0]):
                result[key_id] = cached[1]
            else:
                missing.append(key_id)
        if missing:
            stored = self.table.keys_by_id(missing)
            stamp = time.monotonic()
            for key_id in missing:
                row = stored.get(key_id)
                result[key_id] = self._open(key_id, row.sealed_key) if row is not None else None
                self._by_id.put(key_id, (stamp, result[key_id]))
        return result

    def erased(self, subjects: Iterable[str]) -> set[str]:
        """Which of these subjects have been erased."""
        result: set[str] = set()
        missing: dict[bytes, str] = {}
        for subject in dict.fromkeys(subjects):
            cached = self._erased.get(subject)
            if cached is not None and self._fresh(cached[0]):
                if cached[1]:
                    result.add(subject)
            else:
                missing[self.digest(subject)] = subject
        if missing:
            found = self.table.erased_digests(list(missing))
            stamp = time.monotonic()
            for digest, subject in missing.items():
                self._erased.put(subject, (stamp, digest in found))
                if digest in found:
                    result.add(subject)
        return result

    def erase(self, subjects: Iterable[str]) -> list[UUID]:
        """Destroy the subjects' keys and record them as erased; the ids of the keys destroyed now."""
        chosen = list(dict.fromkeys(subjects))
        digests = [self.digest(each) for each in chosen]
        destroyed = self.table.destroy(digests)
        stamp = time.monotonic()
        with self._pending_lock:
            for subject in chosen:
                self._pending.pop(subject, None)
        for subject in chosen:
            self._by_subject.put(subject, (float("-inf"), UUID(int=0), b""))
            self._erased.put(subject, (stamp, True))
        for key_id in destroyed:
            self._by_id.put(key_id, (stamp, None))
        return destroyed


def resolve_master_keys(settings: Settings) -> KeyRing:
    """The ring of LEDGER_PERSONAL_DATA_KEYS, or the OAuth signing keys to derive from."""
    if settings.personal_data_keys is not None:
        return parse_signing_keys(settings.personal_data_keys.get_secret_value())
    return resolve_signing_keys(settings)


def new_vault_token() -> str:
    """The name under which the mappers of this process's ledgers find their vault (set in their env)."""
    return secrets.token_hex(8)


def register_vault(token: str, vault: Vault) -> None:
    with _VAULTS_LOCK:
        _VAULTS[token] = vault


def unregister_vault(token: str) -> None:
    with _VAULTS_LOCK:
        _VAULTS.pop(token, None)


def registered_vault(token: str | None) -> Vault | None:
    with _VAULTS_LOCK:
        return _VAULTS.get(token) if token else None
