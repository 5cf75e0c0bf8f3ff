"""The keys that sign booking slot ids: from the settings, or derived from the kept OAuth signing keys."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.oauth_keys import KeyRing

if TYPE_CHECKING:
    from ledger.settings import Settings

MIN_SLOT_KEY_LENGTH = 32
# Derived keys are bound to their use, so a slot key reveals nothing of the OAuth key it comes from.
DERIVATION_CONTEXT = b"ledger booking slot ids v1"


@dataclass(frozen=True)
class SlotKeys:
    """Slot-id keys: the first signs, every one verifies, so ids signed before a rotation stay valid until
    they expire. Its repr shows how many keys it holds, never one of them."""

    keys: tuple[bytes, ...] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("A slot key ring holds at least one key.")

    @property
    def signing(self) -> bytes:
        return self.keys[0]

    def __repr__(self) -> str:
        return f"SlotKeys(<{len(self.keys)} keys>)"


def parse_slot_keys(text: str) -> SlotKeys:
    """Keys from secrets separated by commas or newlines; messages name a key by position, never by value."""
    entries = [entry.strip() for entry in re.split(r"[,\n]", text) if entry.strip()]
    if not entries:
        raise ValueError("No slot signing key is given; expected secrets separated by commas.")
    for position, entry in enumerate(entries, start=1):
        if len(entry) < MIN_SLOT_KEY_LENGTH:
            raise ValueError(f"Slot signing key {position} is shorter than {MIN_SLOT_KEY_LENGTH} characters.")
    return SlotKeys(tuple(dict.fromkeys(entry.encode("utf-8") for entry in entries)))


def derived_slot_keys(oauth_keys: KeyRing) -> SlotKeys:
    """One slot key per OAuth signing key, the signing one first: rotating those keys rotates these."""
    kids = [oauth_keys.signing_kid, *(kid for kid in oauth_keys.secrets if kid != oauth_keys.signing_kid)]
    return SlotKeys(
        tuple(hmac.new(oauth_keys.secrets[kid], DERIVATION_CONTEXT, hashlib.sha256).digest() for kid in kids)
    )


def resolve_slot_keys(settings: Settings, oauth_keys: KeyRing) -> SlotKeys:
    """The keys of `LEDGER_SLOT_SIGNING_KEYS`, or, unset, keys derived from the OAuth signing keys (which
    are kept in the data directory when they are not set), so that every process agrees without a file."""
    if settings.slot_signing_keys is not None:
        return parse_slot_keys(settings.slot_signing_keys.get_secret_value())
    return derived_slot_keys(oauth_keys)
