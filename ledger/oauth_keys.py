"""The keys that sign OAuth tokens: from the settings, or generated once and kept in the data directory."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.secret_files import create_secret_file

if TYPE_CHECKING:
    from ledger.settings import Settings

SIGNING_KEYS_FILE = "oauth-signing-keys"
KID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MIN_SECRET_LENGTH = 32
"""HS256 wants a key at least as long as its hash: 32 bytes."""


@dataclass(frozen=True)
class KeyRing:
    """Signing keys by `kid`: the first one signs, every one verifies, so a rotated-out key still verifies
    the tokens it signed until they expire. Its repr names the kids only."""

    signing_kid: str
    secrets: dict[str, bytes] = field(repr=False)

    @property
    def signing_secret(self) -> bytes:
        return self.secrets[self.signing_kid]

    def secret_of(self, kid: object) -> bytes | None:
        return self.secrets.get(kid) if isinstance(kid, str) else None


def parse_signing_keys(text: str) -> KeyRing:
    """A key ring from `kid:secret` entries separated by commas or newlines.

    Error messages name the offending entry by position or kid only, never by its secret.
    """
    entries = [entry.strip() for entry in re.split(r"[,\n]", text) if entry.strip()]
    if not entries:
        raise ValueError("No OAuth signing key is given; expected kid:secret entries separated by commas.")
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(entries, start=1):
        kid, separator, secret = entry.partition(":")
        if not separator or not KID.match(kid):
            raise ValueError(
                f"OAuth signing key {position} is not kid:secret (a kid is letters, digits, '.', '_', '-')."
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(f"OAuth signing key {kid!r} is shorter than {MIN_SECRET_LENGTH} characters.")
        if kid in keys:
            raise ValueError(f"OAuth signing key {kid!r} is given twice.")
        keys[kid] = secret.encode("utf-8")
    return KeyRing(signing_kid=next(iter(keys)), secrets=keys)


def generated_signing_key() -> str:
    return f"k{secrets.token_hex(4)}:{secrets.token_urlsafe(48)}"


def resolve_signing_keys(settings: Settings) -> KeyRing:
    """The key ring of `LEDGER_OAUTH_SIGNING_KEYS`, or of the data directory's key file.

    Without the setting, the first start generates a key into that file (owner-only). Processes that start
    together agree on one key: the file appears whole, by a link, or not at all, and a loser reads the
    winner's. The key is never printed or logged.
    """
    if settings.oauth_signing_keys is not None:
        return parse_signing_keys(settings.oauth_signing_keys.get_secret_value())
    path = settings.data_dir / SIGNING_KEYS_FILE
    if not path.exists():
        create_secret_file(path, (generated_signing_key() + "\n").encode("utf-8"))
    return parse_signing_keys(path.read_text(encoding="utf-8"))
