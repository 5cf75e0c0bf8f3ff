"""Slot ids over HTTP: an edited, forged, foreign or expired id is refused with 400; keys rotate."""

from __future__ import annotations

import base64
import dataclasses
import secrets
import struct
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from domain.slot_ids import SlotClaim, sign_slot_id
from ledger.runtime import Runtime
from tests.api.module_support import ModuleOrg, code_of, local_day, make_module_org
from tests.support import MovableClock, ServerThread, expect

OLD, NEW = secrets.token_urlsafe(40), secrets.token_urlsafe(40)


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers)


@contextmanager
def served(runtime: Runtime, slot_keys: str | None) -> Iterator[httpx.Client]:
    """Another server of the same ledger, with `LEDGER_SLOT_SIGNING_KEYS` set to `slot_keys`."""
    keys = None if slot_keys is None else SecretStr(slot_keys)
    settings = runtime.settings.model_copy(update={"slot_signing_keys": keys})
    app = create_app(runtime=dataclasses.replace(runtime, settings=settings))
    with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def key_apps(runtime: Runtime) -> Iterator[dict[str, httpx.Client]]:
    """Servers of one ledger: the old key signing; rotated (new signs, old verifies); old key retired; and
    one without the setting, which derives its keys as the main server does."""
    with (
        served(runtime, OLD) as old,
        served(runtime, f"{NEW},{OLD}") as rotated,
        served(runtime, NEW) as retired,
        served(runtime, None) as derived,
    ):
        yield {"old": old, "rotated": rotated, "retired": retired, "derived": derived}


def listed_slot(org: ModuleOrg, client: httpx.Client, start: datetime) -> str:
    rest = f"bookingTemplate/{org.template_id}/bookingSlot/list"
    params = {"rangeStart": start.isoformat(), "rangeEnd": (start + timedelta(minutes=1)).isoformat()}
    [slot] = expect(client.get(org.path(rest), params=params, headers=org.headers), 200)["bookingSlotList"]
    return str(slot["id"])


def add_through(org: ModuleOrg, client: httpx.Client, slot_id: str) -> httpx.Response:
    body = {"bookingSlotId": slot_id, "customer": {"firstName": "A", "lastName": "B", "email": "a@b.de"}}
    return client.post(org.path("appointment/add"), json=body, headers=org.headers)


def edited(slot_id: str, start_shift: timedelta) -> str:
    """The id with its start moved, its signature kept."""
    raw = bytearray(base64.urlsafe_b64decode(slot_id + "=" * (-len(slot_id) % 4)))
    offset = 1 + 16  # after the format byte and the template id
    (start,) = struct.unpack_from(">q", raw, offset)
    struct.pack_into(">q", raw, offset, start + start_shift // timedelta(microseconds=1))
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode("ascii")


def test_an_id_with_a_changed_character_is_refused(org: ModuleOrg) -> None:
    slot_id = org.slot_at(local_day(3, 10))["id"]
    middle = len(slot_id) // 2
    changed = slot_id[:middle] + ("A" if slot_id[middle] != "A" else "B") + slot_id[middle + 1 :]

    assert code_of(org.add(changed), 400) == "invalid_booking_slot_id"


def test_an_id_whose_start_was_edited_is_refused(org: ModuleOrg) -> None:
    slot_id = org.slot_at(local_day(3, 10))["id"]

    assert code_of(org.add(edited(slot_id, timedelta(minutes=15))), 400) == "invalid_booking_slot_id"
    assert expect(org.add(slot_id), 201)


@pytest.mark.parametrize("change", [lambda s: s + "A", lambda s: s[:-1], lambda s: s + "==", lambda s: ""])
def test_a_truncated_padded_or_extended_id_is_refused(org: ModuleOrg, change: object) -> None:
    slot_id = org.slot_at(local_day(3, 10))["id"]

    response = org.add(change(slot_id))  # type: ignore[operator]

    assert code_of(response, 400) == "invalid_booking_slot_id"


def test_an_id_signed_with_another_key_is_refused(org: ModuleOrg) -> None:
    start = local_day(3, 10).astimezone(UTC)
    claim = SlotClaim(
        uuid.UUID(org.template_id), (uuid.UUID(org.tenant.court_id),), start, start + timedelta(minutes=30)
    )

    forged = sign_slot_id(claim, secrets.token_bytes(32))

    assert code_of(org.add(forged), 400) == "invalid_booking_slot_id"


def test_another_organizations_slot_id_is_refused(
    org: ModuleOrg, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_module_org(http, admin_headers)
    theirs = other.slot_at(local_day(3, 10))["id"]

    assert code_of(org.add(theirs), 400) == "invalid_booking_slot_id"
    assert expect(other.add(theirs), 201)


def test_an_id_expires_30_minutes_after_it_was_listed(org: ModuleOrg, clock: MovableClock) -> None:
    slot_id = org.slot_at(local_day(3, 10))["id"]
    clock.advance(timedelta(minutes=30, seconds=1))
    org.renew_token()

    response = org.add(slot_id)

    assert code_of(response, 400) == "expired_booking_slot_id"
    assert "list the booking slots again" in response.json()["messageList"][0]["message"]


def test_ids_signed_with_a_rotated_out_key_verify_until_that_key_is_retired(
    org: ModuleOrg, key_apps: dict[str, httpx.Client]
) -> None:
    by_old = listed_slot(org, key_apps["old"], local_day(3, 10))
    by_old_too = listed_slot(org, key_apps["old"], local_day(3, 12))
    by_rotated = listed_slot(org, key_apps["rotated"], local_day(3, 14))

    assert code_of(add_through(org, key_apps["retired"], by_old), 400) == "invalid_booking_slot_id"
    assert code_of(add_through(org, key_apps["old"], by_rotated), 400) == "invalid_booking_slot_id"
    assert expect(add_through(org, key_apps["rotated"], by_old), 201)
    assert expect(add_through(org, key_apps["retired"], by_rotated), 201)
    assert code_of(org.add(by_old_too), 400) == "invalid_booking_slot_id"


def test_servers_without_the_setting_agree_on_their_derived_keys(
    org: ModuleOrg, key_apps: dict[str, httpx.Client]
) -> None:
    slot_id = org.slot_at(local_day(3, 10))["id"]

    assert expect(add_through(org, key_apps["derived"], slot_id), 201)
