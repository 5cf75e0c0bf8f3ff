"""Personal data on real PostgreSQL: the chain and checkpoints verify after an erasure, the CLI erases, and
`encrypt-personal-data` indexes plaintext stored before encryption, resumably and idempotently."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.application import Ledger
from domain.context import ADMIN, RequestContext
from ledger.cli import main
from ledger.numbers import PostgresNumbers
from ledger.personal_data.erasure import erase_user
from ledger.personal_data.migration import PlaintextMigration
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from ledger.storage import eventsourcing_env
from replay.checkpoint_check import verify_ledger
from tests.integration.test_checkpoints import TRUSTED, checkpointer
from tests.integration.test_projection_and_rebuild import seeded_service
from tests.support import random_day

ERASED = "[erased]"


def context() -> RequestContext:
    return RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex)


def stored_bytes(runtime: Runtime) -> list[tuple[int, bytes]]:
    recorder: Any = runtime.ledger.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    with psycopg.connect(runtime.database_url) as conn:
        rows = conn.execute(
            sql.SQL("SELECT notification_id, state FROM {} ORDER BY 1").format(table)
        ).fetchall()
    return [(row[0], bytes(row[1])) for row in rows]


def booked_user(ledger: Ledger, ctx: RequestContext, service: UUID, court: UUID, bookings: int = 2) -> UUID:
    """A user with an email, named as a participant of `bookings` court bookings; the user's id."""
    email = f"person-{uuid.uuid4().hex[:8]}@example.com"
    user = ledger.create_user(context(), email, "Ana", "Lopez").value
    day = random_day()
    for index in range(bookings):
        start = day + timedelta(hours=2 * index)
        participants = [(None, email), (None, f"other-{index}@example.com")]
        ledger.upsert_court_booking(
            ctx,
            service,
            f"b-{uuid.uuid4().hex[:8]}",
            court,
            start,
            start + timedelta(hours=1),
            participants,
            datetime(2030, 1, 1, tzinfo=UTC),
        )
    return user.id


def test_the_chain_and_the_checkpoints_verify_after_an_erasure(own_runtime: Runtime) -> None:
    ctx, service, court = seeded_service(own_runtime)
    user_id = booked_user(own_runtime.ledger, ctx, service, court)
    [before_erasure] = checkpointer(own_runtime).run_once()
    stored_before = stored_bytes(own_runtime)
    assert own_runtime.vault is not None

    erasure = erase_user(own_runtime.ledger, own_runtime.vault, context(), user_id, None)
    checkpointer(own_runtime).run_once()
    report = verify_ledger(own_runtime.ledger, trusted_keys=TRUSTED)

    assert erasure.key_ids
    assert report.ok, report.broken
    assert report.checkpoints == 2
    assert before_erasure.last_position == stored_before[-1][0]
    assert stored_bytes(own_runtime)[: len(stored_before)] == stored_before
    assert own_runtime.ledger.user(user_id).email == ERASED


@pytest.mark.usefixtures("own_cli_env")
def test_ledger_audit_verify_passes_after_ledger_admin_erase_user(
    own_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = own_settings.model_copy(update={"personal_data_cache_seconds": 0})
    with open_runtime(fresh, run_projections=False, announce=lambda _: None) as runtime:
        ctx, service, court = seeded_service(runtime)
        user_id = booked_user(runtime.ledger, ctx, service, court)

        assert main(["admin", "erase-user", "--user-id", str(user_id)]) == 0
        erased = json.loads(capsys.readouterr().out)
        assert main(["audit", "verify"]) == 0
        verified = json.loads(capsys.readouterr().out)

        assert erased["userId"] == str(user_id)
        assert erased["keysDestroyed"] == 2
        assert verified["ok"] is True
        assert runtime.ledger.user(user_id).email == ERASED


@pytest.fixture
def plaintext_ledger(own_runtime: Runtime) -> Iterator[Ledger]:
    """A ledger on the same schema that stores events as they were stored before encryption: in plaintext."""
    env = eventsourcing_env(own_runtime.database_url, own_runtime.settings)
    del env["MAPPER_TOPIC"]
    ledger = Ledger(env=env, numbers=PostgresNumbers)
    try:
        yield ledger
    finally:
        ledger.close()


class InterruptedRunError(Exception):
    """Raised by a progress callback to stop a migration after its first page, as a crash would."""


def stop_after_first_page(done: int, total: int) -> None:
    raise InterruptedRunError


def index_rows(runtime: Runtime) -> int:
    with psycopg.connect(runtime.database_url) as conn:
        table = sql.Identifier(runtime.settings.db_schema, "personal_data_plaintext")
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
    return int(row[0]) if row else 0


def test_encrypt_personal_data_resumes_after_an_interruption_and_finds_nothing_more_when_run_again(
    own_runtime: Runtime, plaintext_ledger: Ledger
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    old_users = [booked_user(plaintext_ledger, ctx, service, court) for _ in range(3)]
    booked_user(own_runtime.ledger, ctx, service, court)  # recorded sealed: nothing to index
    assert own_runtime.vault is not None
    migration = PlaintextMigration(own_runtime.ledger, own_runtime.vault)

    with pytest.raises(InterruptedRunError):
        migration.run(page_size=4, progress=stop_after_first_page)
    after_interruption = index_rows(own_runtime)
    resumed = migration.run(page_size=4)
    again = migration.run(page_size=4)

    # 3 users (email, names: one value each) and 6 bookings (2 plaintext participants each).
    assert 0 < after_interruption < 3 + 12
    assert index_rows(own_runtime) == 3 + 12
    assert resumed.events_read < 3 + 6 + 3
    assert again.as_json() | {"position": 0} == {
        "eventsRead": 0,
        "plaintextValues": 0,
        "plaintextEvents": 0,
        "subjects": 0,
        "snapshotsDeleted": 0,
        "position": 0,
    }
    assert old_users


def test_an_erasure_masks_plaintext_from_before_encryption_and_counts_what_it_could_not_shred(
    own_runtime: Runtime, plaintext_ledger: Ledger
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    user_id = booked_user(plaintext_ledger, ctx, service, court, bookings=2)
    email = plaintext_ledger.user(user_id).email
    assert own_runtime.vault is not None
    PlaintextMigration(own_runtime.ledger, own_runtime.vault).run()

    erasure = erase_user(own_runtime.ledger, own_runtime.vault, context(), user_id, None)

    # The user's event holds email and names; each booking's event names the email.
    assert erasure.plaintext_events == 3
    assert own_runtime.ledger.user(user_id).email == ERASED
    assert any(email.encode() in state for _, state in stored_bytes(own_runtime))
