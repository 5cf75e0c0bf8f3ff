"""Slot-id keys: from the setting (first signs, all verify) or derived from the OAuth keys; never shown."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from ledger.oauth_keys import parse_signing_keys
from ledger.settings import Settings
from ledger.slot_keys import derived_slot_keys, parse_slot_keys, resolve_slot_keys

FIRST, SECOND = secrets.token_urlsafe(40), secrets.token_urlsafe(40)
OAUTH = parse_signing_keys(f"a:{'x' * 40},b:{'y' * 40}")


def test_the_first_key_of_the_setting_signs_and_every_one_verifies() -> None:
    keys = parse_slot_keys(f" {FIRST} ,\n{SECOND}\n")

    assert keys.signing == FIRST.encode()
    assert keys.keys == (FIRST.encode(), SECOND.encode())


@pytest.mark.parametrize("text", ["", " , ", "short", f"{FIRST},short"])
def test_a_setting_without_keys_or_with_a_short_one_is_refused_without_quoting_it(text: str) -> None:
    with pytest.raises(ValueError, match=r"[Ss]lot signing key") as refused:
        parse_slot_keys(text)

    assert "short" not in str(refused.value).replace("shorter", "")


def test_settings_refuse_a_short_slot_key_without_showing_it(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(data_dir=tmp_path, slot_signing_keys=SecretStr(f"{FIRST},tooshort-secret"))

    assert "tooshort-secret" not in str(refused.value)


def test_derived_keys_follow_the_oauth_keys_signing_one_first_and_differ_from_them() -> None:
    rotated = parse_signing_keys(f"b:{'y' * 40},a:{'x' * 40}")

    keys, again, after_rotation = (
        derived_slot_keys(OAUTH),
        derived_slot_keys(OAUTH),
        derived_slot_keys(rotated),
    )

    assert keys == again
    assert after_rotation.keys == tuple(reversed(keys.keys))
    assert not set(keys.keys) & set(OAUTH.secrets.values())
    assert all(len(key) == 32 for key in keys.keys)


def test_the_setting_wins_over_derived_keys(tmp_path: Path) -> None:
    given = Settings(data_dir=tmp_path, slot_signing_keys=SecretStr(FIRST))
    unset = Settings(data_dir=tmp_path)

    assert resolve_slot_keys(given, OAUTH).keys == (FIRST.encode(),)
    assert resolve_slot_keys(unset, OAUTH) == derived_slot_keys(OAUTH)


def test_keys_are_never_shown_in_their_repr() -> None:
    keys = parse_slot_keys(f"{FIRST},{SECOND}")

    assert repr(keys) == "SlotKeys(<2 keys>)"
    assert FIRST not in f"{keys!r} {keys}"
