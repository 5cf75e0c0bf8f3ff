"""A view as of an instant, built into a schema of its own for auditors to query with SQL.

The log as of an instant is its longest start whose events were all recorded (`recordedAt`) at or before it,
as for the single reads with `?asOf=`: its last position bounds a rebuild of the view into the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment
from psycopg import sql

from domain.app_base import recorded_at
from domain.application import Ledger
from domain.errors import InvalidInputError
from projections.tables import TrackedView
from replay.rebuild import Progress, rebuild_view

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class AsOfSchemaError(InvalidInputError):
    """Raised when a view as of an instant would go into the ledger's own schema or a malformed one."""


@dataclass(frozen=True)
class AsOfReport:
    """Where the view was built, up to which position of the log, from how many events."""

    schema: str
    position: int
    events: int


def position_as_of(ledger: Ledger, instant: datetime, batch_size: int = 5000) -> int:
    """The last position of the longest start of the log recorded at or before `instant` (0: none)."""
    position = 0
    while True:
        page = ledger.recorder.select_notifications(
            start=position, limit=batch_size, inclusive_of_start=False
        )
        prefetch = getattr(ledger.mapper, "prefetch", None)
        if callable(prefetch):
            prefetch(page)
        for notification in page:
            if recorded_at(ledger.mapper.to_domain_event(notification)) > instant:
                return position
            position = notification.id
        if len(page) < batch_size:
            return position


def build_view_as_of(
    ledger: Ledger,
    env: dict[str, str],
    view_class: type[TrackedView],
    schema: str,
    instant: datetime,
    progress: Progress | None = None,
) -> AsOfReport:
    """Build `view_class` from the log as of `instant` into `schema` (created when missing), replacing what
    an earlier build left there; `env` is the ledger's eventsourcing environment."""
    own = env.get("POSTGRES_SCHEMA") or "public"
    if not SCHEMA_NAME.match(schema) or schema in (own, "public"):
        raise AsOfSchemaError(
            f"The schema must be a lower-case identifier other than the ledger's own ({own}) and public."
        )
    upto = position_as_of(ledger, instant)
    factory = PostgresFactory(
        Environment(ledger.name, {**env, "POSTGRES_SCHEMA": schema, "POSTGRES_POOL_SIZE": "1"})
    )
    try:
        with factory.datastore.transaction(commit=True) as curs:
            curs.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        view = view_class(datastore=factory.datastore, tracking_table_name=f"{view_class.name}_tracking")
        view.create_table()
        report = rebuild_view(ledger, view, progress=progress, upto=upto)
    finally:
        factory.close()
    return AsOfReport(schema, report.position, report.events)
