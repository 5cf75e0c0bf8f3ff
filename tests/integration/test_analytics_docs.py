"""Every SQL example of docs/analytics.md runs as written against a schema holding bookings of every kind."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from domain.context import ADMIN, RequestContext
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.analytics_bookings import AnalyticsBookingsView
from tests.integration.test_resource_bookings import Court
from tests.support import random_day

DOCS = Path(__file__).resolve().parents[2] / "docs" / "analytics.md"
SQL_BLOCK = re.compile(r"^```sql\n(.*?)^```", re.DOTALL | re.MULTILINE)
EXAMPLES = SQL_BLOCK.findall(DOCS.read_text(encoding="utf-8"))
VIEW_WAIT_SECONDS = 30


@pytest.fixture(scope="module")
def seeded(settings: Settings) -> Iterator[tuple[str, str]]:
    """A schema of its own with a court under rules, resource bookings (one cancelled) and a partner's court
    booking, the view caught up; yields the database URL and the schema."""
    schema = f"{settings.db_schema}_docs_{uuid.uuid4().hex[:6]}"
    own = settings.model_copy(update={"db_schema": schema})
    assert own.database_url is not None
    try:
        with open_runtime(own, run_projections=True, announce=lambda _: None) as runtime:
            write_bookings(runtime)
            view = runtime.view(AnalyticsBookingsView)
            assert view.wait_for(runtime.ledger.recorder.max_notification_id() or 0, VIEW_WAIT_SECONDS)
        yield own.database_url, schema
    finally:
        with psycopg.connect(own.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def write_bookings(runtime: Runtime) -> None:
    court = Court.made_in(runtime)
    day = random_day().date()
    admin = RequestContext(ADMIN, runtime.clock(), "docs")
    runtime.ledger.confirm_resource_booking(admin, court.book(runtime, day, 9).id)
    court.book(runtime, day, 16, hours=2)
    runtime.ledger.cancel_resource_booking(admin, court.book(runtime, day, 12).id)
    start = court.book(runtime, day + timedelta(days=1), 10).start
    client = uuid.UUID(court.client_id)
    runtime.ledger.upsert_court_booking(
        court.context(runtime, start - timedelta(days=2)),
        client,
        "docs-1",
        uuid.UUID(court.court_id),
        start + timedelta(hours=2),
        start + timedelta(hours=3),
        [(None, "guest@example.com")],
        start - timedelta(days=2),
    )


def test_the_documentation_has_sql_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{n + 1}" for n in range(len(EXAMPLES))])
def test_each_sql_example_runs_as_written(seeded: tuple[str, str], example: str) -> None:
    url, schema = seeded
    # Read only, as an analyst's session should be: an example that writes fails.
    with psycopg.connect(url, options=f"-c search_path={schema} -c default_transaction_read_only=on") as conn:
        rows = conn.execute(example.encode()).fetchall()

    assert isinstance(rows, list)
