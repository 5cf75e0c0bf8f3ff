"""OAuth signing keys: parsed from the setting, or generated once into the data directory; never shown."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from ledger.oauth_keys import SIGNING_KEYS_FILE, parse_signing_keys, resolve_signing_keys
from ledger.settings import Settings

LONG = "s" * 40


def test_the_first_key_signs_and_every_key_verifies() -> None:
    ring = parse_signing_keys(f"new:{LONG}1, old:{LONG}2\nolder:{LONG}3")

    assert ring.signing_kid == "new"
    assert ring.signing_secret == f"{LONG}1".encode()
    assert ring.secret_of("older") == f"{LONG}3".encode()
    assert ring.secret_of("unknown") is None
    assert ring.secret_of(7) is None


@pytest.mark.parametrize(
    "text",
    ["", " , ", f"no-separator{LONG}", f":{LONG}", f"bad kid:{LONG}", "short:abc", f"a:{LONG},a:{LONG}x"],
    ids=["empty", "blank", "no-colon", "no-kid", "bad-kid", "short", "twice"],
)
def test_malformed_keys_are_refused_without_quoting_a_secret(text: str) -> None:
    with pytest.raises(ValueError, match="OAuth signing key") as raised:
        parse_signing_keys(text)

    assert LONG not in str(raised.value)
    assert "abc" not in str(raised.value)


def test_a_malformed_setting_fails_at_start_and_its_error_shows_no_secret() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(oauth_signing_keys=SecretStr("k:tooshort-secret"))

    assert "tooshort-secret" not in str(raised.value)


def test_the_key_rings_repr_names_kids_only() -> None:
    ring = parse_signing_keys(f"k1:{LONG}")

    assert LONG not in repr(ring)
    assert "k1" in repr(ring)


def test_without_the_setting_a_key_is_generated_once_owner_only_and_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")

    first = resolve_signing_keys(settings)
    second = resolve_signing_keys(settings)

    path = tmp_path / "data" / SIGNING_KEYS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first == second
    assert sorted(entry.name for entry in path.parent.iterdir()) == [SIGNING_KEYS_FILE]


def test_processes_starting_together_agree_on_one_generated_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    rings = []
    start = threading.Barrier(8)

    def resolve() -> None:
        start.wait()
        rings.append(resolve_signing_keys(settings))

    threads = [threading.Thread(target=resolve) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(rings) == 8
    assert all(ring == rings[0] for ring in rings)


def test_the_setting_wins_over_the_data_directory(tmp_path: Path) -> None:
    resolve_signing_keys(Settings(data_dir=tmp_path))

    ring = resolve_signing_keys(Settings(data_dir=tmp_path, oauth_signing_keys=SecretStr(f"env:{LONG}")))

    assert ring.signing_kid == "env"
