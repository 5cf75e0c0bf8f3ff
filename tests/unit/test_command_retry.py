"""A command retried on lost version races: it wins once the races stop, and gives up after its attempts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.application import Ledger
from domain.context import ADMIN, RequestContext
from domain.errors import ConcurrencyExhaustedError, ConflictError

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def context() -> RequestContext:
    return RequestContext(ADMIN, datetime(2030, 1, 1, tzinfo=UTC), "r")


def ledger_with_client(attempts: int) -> tuple[Ledger, UUID]:
    ledger = Ledger(env=IN_MEMORY)
    ledger.command_attempts = attempts
    return ledger, ledger.create_client(context(), "Partner", ["court-bookings:read"], []).value.id


def losing_attempt(ledger: Ledger, client_id: UUID, races: int) -> tuple[list[int], Callable[[], int | None]]:
    """A command issuing an API key on a client that another writer changes in its first `races` runs."""
    runs: list[int] = []

    def attempt() -> int | None:
        runs.append(len(runs) + 1)
        client = ledger.get_client(client_id)
        if len(runs) <= races:
            ledger.issue_api_key(context(), client_id)  # another writer commits first
        client.issue_api_key(f"hash-{len(runs)}", "prefix", context().meta())
        return ledger.save_all(client)

    return runs, attempt


def test_a_command_that_loses_every_version_race_gives_up_as_concurrency_exhausted() -> None:
    ledger, client_id = ledger_with_client(attempts=3)
    runs, attempt = losing_attempt(ledger, client_id, races=3)

    with pytest.raises(ConcurrencyExhaustedError) as raised:
        ledger.with_retry(attempt)

    assert runs == [1, 2, 3]
    assert not isinstance(raised.value, ConflictError)
    # Only the three competing writes were saved; none of the losing attempts wrote anything.
    assert ledger.get_client(client_id).version == 1 + 3


def test_a_command_that_loses_a_version_race_is_run_again_and_saved() -> None:
    ledger, client_id = ledger_with_client(attempts=3)
    runs, attempt = losing_attempt(ledger, client_id, races=2)

    ledger.with_retry(attempt)

    assert runs == [1, 2, 3]
    assert ledger.get_client(client_id).version == 1 + 2 + 1


def test_each_rerun_after_a_lost_race_and_each_give_up_is_counted() -> None:
    ledger, client_id = ledger_with_client(attempts=3)
    _, wins_third_time = losing_attempt(ledger, client_id, races=2)
    _, never_wins = losing_attempt(ledger, client_id, races=3)

    ledger.with_retry(wins_third_time)
    with pytest.raises(ConcurrencyExhaustedError):
        ledger.with_retry(never_wins)

    assert (ledger.retries.retried, ledger.retries.exhausted) == (2 + 2, 1)
