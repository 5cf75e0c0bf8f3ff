"""The idempotency store on PostgreSQL: claims committed before the request runs, answers stored after."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import psycopg
import pytest
from psycopg import sql
from starlette.responses import Response

from api.shared.idempotency import (
    REPLAYED_HEADER,
    IdempotencyInProgressError,
    IdempotencyKeyReusedError,
    IdempotencyStore,
)
from ledger.idempotency_store import IdempotencyKeys
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings

WAIT_SECONDS = 0.2


@pytest.fixture
def store(runtime: Runtime) -> IdempotencyStore:
    return IdempotencyStore(IdempotencyKeys(runtime.court_bookings.datastore, WAIT_SECONDS, lease_seconds=60))


class Handler:
    """A request's handler that counts its runs and answers `status` with `body`, or what `during` answers."""

    def __init__(self, status: int, body: bytes, during: Callable[[], object] | None = None) -> None:
        self.status, self.body, self.during, self.runs = status, body, during, 0

    def __call__(self) -> Response:
        self.runs += 1
        if self.during is not None:
            self.during()
        return Response(self.body, status_code=self.status, media_type="application/json")


def new_key() -> tuple[str, str]:
    return str(uuid.uuid4()), f"key-{uuid.uuid4().hex}"


def test_a_server_error_is_not_stored_so_a_retry_runs_again(store: IdempotencyStore) -> None:
    client, key = new_key()
    failing, succeeding = Handler(503, b"{}"), Handler(201, b'{"id": 1}')

    first = store.run(client, key, "request", failing)
    retry = store.run(client, key, "request", succeeding)
    replay = store.run(client, key, "request", succeeding)

    assert (first.status_code, retry.status_code, succeeding.runs) == (503, 201, 1)
    assert REPLAYED_HEADER not in retry.headers
    assert (replay.status_code, replay.body, replay.headers[REPLAYED_HEADER]) == (201, b'{"id": 1}', "true")


def test_a_request_that_raised_leaves_its_key_to_a_retry(store: IdempotencyStore) -> None:
    client, key = new_key()

    def broken() -> Response:
        raise ConnectionError("lost the database")

    with pytest.raises(ConnectionError):
        store.run(client, key, "request", broken)
    retry = store.run(client, key, "request", Handler(200, b"{}"))

    assert retry.status_code == 200
    assert REPLAYED_HEADER not in retry.headers


def test_a_retry_while_the_first_request_runs_is_told_it_is_in_progress(store: IdempotencyStore) -> None:
    client, key = new_key()
    retry = Handler(200, b"retry")
    errors: list[Exception] = []

    def retried_meanwhile() -> None:
        # The first request's claim is committed and no row lock is held while it runs, so this look-up
        # neither blocks nor runs the request a second time.
        try:
            store.run(client, key, "request", retry)
        except IdempotencyInProgressError as error:
            errors.append(error)

    first = store.run(client, key, "request", Handler(200, b"first", during=retried_meanwhile))

    assert [type(error) for error in errors] == [IdempotencyInProgressError]
    assert (first.body, retry.runs) == (b"first", 0)
    assert store.run(client, key, "request", retry).body == b"first"


def test_a_key_reused_while_its_first_request_runs_is_rejected_at_once(store: IdempotencyStore) -> None:
    client, key = new_key()
    errors: list[Exception] = []

    def reused_meanwhile() -> None:
        try:
            store.run(client, key, "another request", Handler(200, b"other"))
        except IdempotencyKeyReusedError as error:
            errors.append(error)

    store.run(client, key, "request", Handler(200, b"first", during=reused_meanwhile))

    assert [type(error) for error in errors] == [IdempotencyKeyReusedError]


def age_claim(runtime: Runtime, client: str, key: str) -> None:
    """Make the key's claim older than any lease, as when its request died long ago."""
    table = sql.Identifier(runtime.settings.db_schema, "idempotency_keys")
    with psycopg.connect(runtime.database_url, autocommit=True) as conn:
        aged = conn.execute(
            sql.SQL(
                "UPDATE {} SET claimed_at = now() - interval '1 day' WHERE client_id = %s AND key = %s"
            ).format(table),
            (client, key),
        )
        assert aged.rowcount == 1


def test_a_claim_taken_over_after_its_lease_keeps_the_answer_of_the_request_that_took_it(
    store: IdempotencyStore, runtime: Runtime
) -> None:
    client, key = new_key()
    taking_over = Handler(201, b"second")

    def outlived_its_lease() -> None:
        age_claim(runtime, client, key)
        store.run(client, key, "request", taking_over)

    first = store.run(client, key, "request", Handler(201, b"first", during=outlived_its_lease))

    assert (first.body, taking_over.runs) == (b"first", 1)
    assert store.run(client, key, "request", Handler(201, b"third")).body == b"second"


def test_an_expired_claim_of_another_request_is_not_taken_over(
    store: IdempotencyStore, runtime: Runtime
) -> None:
    client, key = new_key()
    other = Handler(200, b"other")

    def outlived_its_lease() -> None:
        age_claim(runtime, client, key)
        with pytest.raises(IdempotencyKeyReusedError):
            store.run(client, key, "another request", other)

    store.run(client, key, "request", Handler(200, b"first", during=outlived_its_lease))

    assert other.runs == 0


def test_the_schema_setup_creates_the_keys_table_before_any_app_starts(own_settings: Settings) -> None:
    with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as opened:
        keys = IdempotencyKeys(opened.court_bookings.datastore, WAIT_SECONDS, lease_seconds=60)
        client, key = new_key()

        claimed = keys.claim(client, key, "request", uuid.uuid4())

    assert claimed is None
