"""The query bench's data: registered organisations, an analyst's key, and bulk rows in the bookings view."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

import psycopg
from psycopg import sql

from bench.database import drop_schema, schema_exists
from bench.seed import runtime_settings
from bench.view_rows import seed_view_rows
from domain.context import ADMIN, RequestContext
from ledger.runtime import open_runtime
from projections.analytics_bookings import AnalyticsBookingsView

QUERY_SEED_FORMAT = 1
META_TABLE = "bench_query_seed"
ORGANISATIONS = 40
QUERIED = 7
"""The index of the organisation that the requests read (any one of them is as large as the others)."""


@dataclass(frozen=True)
class QuerySeed:
    """A schema whose bookings view holds `rows` bookings over registered organisations."""

    schema: str
    format: int
    rows: int
    organisation_ids: list[str]
    key: str
    """An API key with `analytics:read`, granted the queried organisation."""
    seed_seconds: float

    @property
    def per_organisation(self) -> int:
        return self.rows // len(self.organisation_ids)

    @property
    def organisation_id(self) -> str:
        return self.organisation_ids[QUERIED]


def _meta(schema: str) -> sql.Identifier:
    return sql.Identifier(schema, META_TABLE)


def read_query_seed(url: str, schema: str) -> QuerySeed | None:
    """The query seed recorded in `schema`, or None when there is none (or it is of another format)."""
    if not schema_exists(url, schema):
        return None
    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute("SELECT to_regclass(%s)", (f"{schema}.{META_TABLE}",)).fetchone()
        if not found or found[0] is None:
            return None
        row = conn.execute(sql.SQL("SELECT data FROM {}").format(_meta(schema))).fetchone()
    data = row[0] if row else {}
    return QuerySeed(**data) if data.get("format") == QUERY_SEED_FORMAT else None


def seed_query_schema(url: str, schema: str, rows: int, log: Callable[[str], None]) -> QuerySeed:
    """Drop `schema`; register the organisations and the analyst through the ledger; bulk-write the rows."""
    drop_schema(url, schema)
    log(f"Seeding {rows:,} bookings into the bookings view in schema {schema} ...")
    started = time.monotonic()
    settings = runtime_settings(url, schema)
    with open_runtime(settings, run_projections=False, announce=lambda _: None) as runtime:
        ledger = runtime.ledger

        def ctx() -> RequestContext:
            return RequestContext(ADMIN, runtime.clock(), f"bench-query-{uuid.uuid4().hex}")

        # UTC organisations: the synthetic rows' local dates are their UTC dates.
        organisations = [
            ledger.create_organization(ctx(), f"Query club {n}", "UTC").value.id for n in range(ORGANISATIONS)
        ]
        scopes, granted = ["analytics:read"], [organisations[QUERIED]]
        client = ledger.create_client(ctx(), "Bench analyst", scopes, granted).value
        key = ledger.issue_api_key(ctx(), client.id).value.key
        seed_view_rows(runtime.view(AnalyticsBookingsView), rows, organisations)
    seed = QuerySeed(
        schema=schema,
        format=QUERY_SEED_FORMAT,
        rows=rows,
        organisation_ids=[str(organisation) for organisation in organisations],
        key=key,
        seed_seconds=time.monotonic() - started,
    )
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} (data jsonb NOT NULL)").format(_meta(schema)))
        insert = sql.SQL("INSERT INTO {} (data) VALUES (%s)").format(_meta(schema))
        conn.execute(insert, (json.dumps(asdict(seed)),))
    log(f"Seeded {rows:,} view rows in {seed.seed_seconds:.1f} s.")
    return seed


def cached_query_seed(url: str, schema: str, rows: int, log: Callable[[str], None]) -> tuple[QuerySeed, bool]:
    """The query seed cached in `schema` when it has `rows` rows, else a fresh one. (seed, reused)

    The query phase only reads, so a cached seed needs no restoring.
    """
    seed = read_query_seed(url, schema)
    if seed is not None and seed.rows == rows and len(seed.organisation_ids) == ORGANISATIONS:
        log(f"Reusing the query seed in schema {schema} ({rows:,} view rows).")
        return seed, True
    return seed_query_schema(url, schema, rows, log), False
