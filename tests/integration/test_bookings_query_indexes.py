"""At 200,000 bookings, the seed's example queries (pages and totals) use the view's indexes, never a scan."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from psycopg import sql

from ledger.runtime import open_runtime
from ledger.settings import Settings
from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_queries import BookingQuery, FieldFilter, count_query, page_query
from projections.analytics_tables import ANALYTICS_BOOKINGS, BOOKINGS, COUNTS

ROWS, ORGANISATIONS = 200_000, 40
PER_ORGANISATION = ROWS // ORGANISATIONS
# Synthetic bookings, 5,000 per organisation: 20 per event, 10 per member, spread over a year.
SEED_ROWS = """
INSERT INTO {bookings} (booking_id, organisation_id, source, booking_type, status, user_status, start_at,
    end_at, local_date, event_id, member_id, client_id, price, currency, created_at, updated_at, position,
    document)
SELECT id, organisation, 'bookings', 'coach-event', 'Accepted', user_status, start_at,
    start_at + interval '1 hour' * hours, (start_at AT TIME ZONE 'UTC')::date, event, member, organisation,
    15, 'RUB', start_at - interval '3 days', start_at - interval '3 days', i,
    jsonb_build_object('bookingId', id, 'managedBy', organisation,
        'date', to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
        'start', to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'eventId', event, 'memberId', member, 'user', member, 'attending', i % 3 = 0,
        'userStatus', user_status, 'orgStatus', 'approved', 'bookingType', 'coach-event',
        'duration', 60 * hours, 'source', 'bookings', 'ledgerPosition', i)
FROM (
    SELECT i, md5('booking' || i)::uuid AS id, md5('org' || (i / {per}))::uuid AS organisation,
        md5('event' || (i / 20))::uuid AS event,
        md5('member' || (i / {per}) || '-' || (i % 500))::uuid AS member,
        timestamptz '2030-01-01 00:00Z' + ((i * 7919) % 365) * interval '1 day' + (i % 12) * interval '1 hour'
            AS start_at,
        1 + i % 2 AS hours, CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'confirmed' END AS user_status
    FROM generate_series(0, {rows} - 1) AS i
) generated
"""
SEED_COUNTS = (
    "INSERT INTO {counts} (organisation_id, bookings) "
    "SELECT organisation_id, count(*) FROM {bookings} GROUP BY organisation_id"
)


def seeded_uuid(text: str) -> uuid.UUID:
    """The id that the seeding SQL derives from `text` (md5(text)::uuid)."""
    return uuid.UUID(hashlib.md5(text.encode(), usedforsecurity=False).hexdigest())


ORGANISATION = seeded_uuid("org7")
EVENT = seeded_uuid(f"event{7 * PER_ORGANISATION // 20 + 3}")
MEMBER = seeded_uuid("member7-42")
A_DATE = date(2030, 3, 1)
# The seed's seven examples as view queries (examples 4 and 7 differ from 1 only in profiles and auth).
EXAMPLES = {
    "all bookings": BookingQuery(ORGANISATION),
    "an event": BookingQuery(ORGANISATION, (FieldFilter("eventId", EVENT),)),
    "a date": BookingQuery(ORGANISATION, (FieldFilter("date", A_DATE),)),
    "event, attending, page": BookingQuery(
        ORGANISATION, (FieldFilter("eventId", EVENT), FieldFilter("attending", True)), limit=50
    ),
    "a member": BookingQuery(ORGANISATION, (FieldFilter("memberId", MEMBER),)),
    "any other field": BookingQuery(ORGANISATION, (FieldFilter("userStatus", "cancelled"),)),
    "a deep page": BookingQuery(ORGANISATION, limit=250, offset=4000),
}


@pytest.fixture(scope="module")
def view(settings: Settings) -> Iterator[AnalyticsBookingsView]:
    schema = f"{settings.db_schema}_idx_{uuid.uuid4().hex[:6]}"
    own = settings.model_copy(update={"db_schema": schema})
    with open_runtime(own, run_projections=False, announce=lambda _: None) as runtime:
        view = runtime.view(AnalyticsBookingsView)
        names = {"bookings": view.table_sql(BOOKINGS), "counts": view.table_sql(COUNTS)}
        with view.datastore.transaction(commit=True) as curs:
            # Built after the rows, as a rebuild builds them: faster than maintaining them row by row.
            for suffix in ANALYTICS_BOOKINGS.indexes:
                curs.execute(sql.SQL("DROP INDEX {}").format(view.table(f"{BOOKINGS}_{suffix}")))
            curs.execute(SEED_ROWS.format(per=PER_ORGANISATION, rows=ROWS, **names))
            curs.execute(SEED_COUNTS.format(**names))
            for statement in ANALYTICS_BOOKINGS.index_ddl(view.table(BOOKINGS), BOOKINGS):
                curs.execute(statement)
        with view.datastore.get_connection() as conn:
            conn.execute(sql.SQL("ANALYZE {}").format(view.table(BOOKINGS)))
        try:
            yield view
        finally:
            with view.datastore.transaction(commit=True) as curs:
                curs.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def explained(view: AnalyticsBookingsView, statement: sql.Composable, parameters: list[object]) -> list[Any]:
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(sql.SQL("EXPLAIN (FORMAT JSON) {}").format(statement), parameters)
        row = curs.fetchone()
    assert row is not None
    [document] = row["QUERY PLAN"]
    return list(plan_nodes(document["Plan"]))


def assert_uses_an_index_and_no_scan(nodes: list[dict[str, Any]]) -> None:
    on_view = [node for node in nodes if node.get("Relation Name") == BOOKINGS]
    indexes = [node for node in nodes if str(node.get("Index Name", "")).startswith(BOOKINGS)]

    assert not [node for node in on_view if node["Node Type"] == "Seq Scan"], nodes
    assert indexes, nodes


@pytest.mark.parametrize("example", list(EXAMPLES))
def test_a_page_of_each_example_query_uses_an_index_and_no_sequential_scan(
    view: AnalyticsBookingsView, example: str
) -> None:
    statement, parameters = page_query(view.table(BOOKINGS), EXAMPLES[example])

    assert_uses_an_index_and_no_scan(explained(view, statement, parameters))


@pytest.mark.parametrize("example", [name for name, query in EXAMPLES.items() if query.filters])
def test_the_total_of_each_filtered_example_is_counted_over_an_index(
    view: AnalyticsBookingsView, example: str
) -> None:
    statement, parameters = count_query(view.table(BOOKINGS), EXAMPLES[example])

    assert_uses_an_index_and_no_scan(explained(view, statement, parameters))


def test_the_example_queries_find_the_seeded_bookings_with_exact_totals(view: AnalyticsBookingsView) -> None:
    everything = view.read_page(EXAMPLES["all bookings"])
    event = view.read_page(EXAMPLES["an event"])
    attending = view.read_page(EXAMPLES["event, attending, page"])
    member = view.read_page(EXAMPLES["a member"])
    deep = view.read_page(EXAMPLES["a deep page"])

    assert (len(everything.documents), everything.total) == (100, PER_ORGANISATION)
    assert event.total == 20
    assert attending.total == len(attending.documents) == len([d for d in event.documents if d["attending"]])
    assert member.total == 10
    assert len(deep.documents) == 250
    starts = [(d["start"], d["bookingId"]) for d in everything.documents]
    assert starts == sorted(starts)


def test_a_number_filter_matches_through_the_document_index_whatever_its_scale(
    view: AnalyticsBookingsView,
) -> None:
    whole = BookingQuery(ORGANISATION, (FieldFilter("duration", 120),))
    scaled = BookingQuery(ORGANISATION, (FieldFilter("duration", Decimal("120.00")),))

    assert view.read_page(whole).total == view.read_page(scaled).total == PER_ORGANISATION // 2
