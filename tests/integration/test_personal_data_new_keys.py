"""A person's first data key: stored by the append that needs it, shared until then, never once erased."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.context import RequestContext
from domain.court_booking_upserts import UpsertItem
from ledger.personal_data.keys import KeyTable, NewKey
from ledger.personal_data.subjects import email_subject
from ledger.personal_data.vault import Vault, resolve_master_keys
from ledger.round_trips import counting
from ledger.runtime import Runtime
from tests.integration.test_projection_and_rebuild import seeded_service
from tests.support import random_day

ERASED = "[erased]"
UPDATED = datetime(2030, 1, 1, tzinfo=UTC)


def vaults(runtime: Runtime) -> tuple[Vault, Vault]:
    """The runtime's vault, and another process's on the same key table (no cache)."""
    assert runtime.vault is not None
    datastore = runtime.vault.table.datastore
    return runtime.vault, Vault(datastore, resolve_master_keys(runtime.settings), 0)


def book(runtime: Runtime, ctx: RequestContext, service: UUID, court: UUID, email: str) -> str:
    """A court booking with this participant; its external id."""
    external_id = f"b-{uuid.uuid4().hex[:8]}"
    start = random_day()
    runtime.ledger.upsert_court_booking(
        ctx, service, external_id, court, start, start + timedelta(hours=1), [(None, email)], UPDATED
    )
    return external_id


def live_keys(vault: Vault, subject: str) -> list[UUID]:
    found, _ = KeyTable(vault.table.datastore).find_live([vault.digest(subject)])
    return [stored.key_id for stored in found.values()]


def test_a_new_persons_key_is_stored_by_the_append_that_seals_under_it(own_runtime: Runtime) -> None:
    ctx, service, court = seeded_service(own_runtime)
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    vault, other = vaults(own_runtime)

    external_id = book(own_runtime, ctx, service, court, email)
    [key_id] = live_keys(vault, email_subject(email))

    assert other.data_keys([key_id])[key_id] is not None
    booking = own_runtime.ledger.get_court_booking(service, external_id)
    assert booking.participants[0]["email"] == email


def test_the_bookings_of_one_new_person_in_one_append_share_one_key(own_runtime: Runtime) -> None:
    ctx, service, court = seeded_service(own_runtime)
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    day = random_day()
    items = [
        UpsertItem(
            f"b-{n}",
            court,
            day + timedelta(hours=2 * n),
            day + timedelta(hours=2 * n + 1),
            [(None, email)],
            UPDATED,
        )
        for n in range(3)
    ]

    own_runtime.ledger.upsert_court_bookings(ctx, service, items)

    assert len(live_keys(vaults(own_runtime)[0], email_subject(email))) == 1
    for item in items:
        assert (
            own_runtime.ledger.get_court_booking(service, item.external_court_booking_id).participants[0][
                "email"
            ]
            == email
        )


def test_a_key_made_before_another_process_erases_the_person_is_never_stored(own_runtime: Runtime) -> None:
    ctx, service, court = seeded_service(own_runtime)
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    vault, other = vaults(own_runtime)
    made: list[NewKey] = []
    vault.keys_for([email_subject(email)], made)

    other.erase([email_subject(email)])
    external_id = book(own_runtime, ctx, service, court, email)

    assert other.data_keys([made[0].key_id])[made[0].key_id] is None
    assert live_keys(vault, email_subject(email)) == []
    assert own_runtime.ledger.get_court_booking(service, external_id).participants[0]["email"] == ERASED


def test_a_person_given_a_key_by_another_process_meanwhile_is_sealed_under_that_key(
    own_runtime: Runtime,
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    vault, other = vaults(own_runtime)
    made: list[NewKey] = []
    vault.keys_for([email_subject(email)], made)

    [(theirs, _)] = other.keys_for([email_subject(email)]).values()
    external_id = book(own_runtime, ctx, service, court, email)

    assert live_keys(vault, email_subject(email)) == [theirs]
    assert theirs != made[0].key_id
    assert own_runtime.ledger.get_court_booking(service, external_id).participants[0]["email"] == email


def test_opening_a_key_the_process_has_not_cached_takes_one_round_trip(own_runtime: Runtime) -> None:
    ctx, service, court = seeded_service(own_runtime)
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    vault, other = vaults(own_runtime)
    book(own_runtime, ctx, service, court, email)
    [key_id] = live_keys(vault, email_subject(email))

    with counting() as trips:
        opened = other.data_keys([key_id])
    with counting() as erased_check:
        other.erased([email_subject(email)])

    assert opened[key_id] is not None
    assert (trips.count, erased_check.count) == (1, 1)


def test_a_person_erased_before_gets_a_new_key_stored_for_what_is_recorded_after(
    own_runtime: Runtime,
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    email = f"new-{uuid.uuid4().hex[:8]}@example.com"
    vault, _ = vaults(own_runtime)
    before = book(own_runtime, ctx, service, court, email)
    [first_key] = live_keys(vault, email_subject(email))
    vault.erase([email_subject(email)])

    after = book(own_runtime, ctx, service, court, email)

    [second_key] = live_keys(vault, email_subject(email))
    assert second_key != first_key
    assert own_runtime.ledger.get_court_booking(service, before).participants[0]["email"] == ERASED
    assert own_runtime.ledger.get_court_booking(service, after).participants[0]["email"] == email
