"""At 200,000 bookings, the seed's example queries (pages and totals) and the analytics summaries use the
view's indexes, never a scan."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from psycopg import sql

from bench.view_rows import A_DATE, event_of, member_of, seed_view_rows, seeded_uuid, synthetic_organisations
from ledger.runtime import open_runtime
from ledger.settings import Settings
from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_queries import BookingQuery, FieldFilter, count_query, page_query
from projections.analytics_summaries import BOOKINGS_KEYS, UTILISATION_KEYS, PeriodQuery, period_statements
from projections.analytics_tables import BOOKINGS

ROWS, ORGANISATIONS = 200_000, 40
PER_ORGANISATION = ROWS // ORGANISATIONS
ORGANISATION = seeded_uuid("org7")
EVENT = event_of(7, PER_ORGANISATION)
MEMBER = member_of(7)
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
        seed_view_rows(view, ROWS, synthetic_organisations(ORGANISATIONS))
        try:
            yield view
        finally:
            with view.datastore.transaction(commit=True) as curs:
                curs.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


Parameters = Sequence[object] | Mapping[str, object]


def explained(view: AnalyticsBookingsView, statement: sql.Composable, parameters: Parameters) -> list[Any]:
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


MARCH = (date(2030, 3, 1), date(2030, 3, 31))


@pytest.mark.parametrize("group_by", list(UTILISATION_KEYS))
def test_the_utilisation_of_a_month_reads_the_organisations_dates_over_an_index(
    view: AnalyticsBookingsView, group_by: str
) -> None:
    statement, parameters = period_statements(view, PeriodQuery(ORGANISATION, *MARCH, group_by)).booked

    assert_uses_an_index_and_no_scan(explained(view, statement, parameters))


@pytest.mark.parametrize("group_by", list(BOOKINGS_KEYS))
def test_the_lead_times_of_a_month_read_the_organisations_dates_over_an_index(
    view: AnalyticsBookingsView, group_by: str
) -> None:
    statement, parameters = period_statements(view, PeriodQuery(ORGANISATION, *MARCH, group_by)).lead_times

    assert_uses_an_index_and_no_scan(explained(view, statement, parameters))
