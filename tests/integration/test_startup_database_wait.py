"""A process that starts while the database is away waits for it, within a bound."""

from __future__ import annotations

import psycopg
import pytest

from ledger.storage import wait_for_database
from tests.support import free_port


def test_a_start_with_the_database_answering_goes_on_at_once(database_url: str) -> None:
    wait_for_database(database_url, seconds=0.0)


def test_a_start_with_the_database_away_fails_with_its_error_once_the_wait_is_over() -> None:
    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    with pytest.raises(psycopg.OperationalError):
        wait_for_database(nowhere, seconds=0.3, pause=0.1)
