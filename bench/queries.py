"""The query phase's requests: the query seed's seven examples, a filtered total and the analytics, over HTTP.

Requests go one at a time over one connection, the cases taken in turn, so every case meets the same noise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.query_seed import QUERIED, QuerySeed
from bench.report import Figure
from bench.stats import percentile
from bench.view_rows import A_DATE, event_of, member_of

BOOKINGS = "/api/v1/bookings"
WARMUP_ROUNDS = 3
TARGET_P99_MS = 50.0
MONTH = {"from": "2030-03-01", "to": "2030-03-31"}


@dataclass(frozen=True)
class QueryCase:
    """One request, timed again and again; `target`: a filtered page of 100, held to p99 <= 50 ms."""

    name: str
    what: str
    params: dict[str, str]
    path: str = BOOKINGS
    bearer: bool = False
    target: bool = False
    total: int | None = None
    """The `total` the answer must have, when known from the seed."""


@dataclass
class Timings:
    """The measured milliseconds of each case, and what went wrong."""

    by_case: dict[str, list[float]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def query_cases(per: int) -> list[QueryCase]:
    """The query seed's seven usage examples (with ids of the bench's data set, `per` bookings in each
    organisation), a filtered total, and both analytics."""
    event, member = str(event_of(QUERIED, per)), str(member_of(QUERIED))
    fields = "Full Name,Email,Date of Birth,Emergency Contact"
    page_of_50 = {"eventId": event, "attending": "true", "limit": "50", "offset": "0"}
    return [
        QueryCase("query_ex1_all", "example 1: every booking, default profile fields", {}, total=per),
        QueryCase("query_ex2_event", "example 2: one event", {"eventId": event}, target=True, total=20),
        QueryCase("query_ex3_date", "example 3: one date", {"date": A_DATE.isoformat()}, target=True),
        QueryCase("query_ex4_profile_fields", "example 4: custom profile fields", {"profileFields": fields}),
        QueryCase("query_ex5_event_attending", "example 5: event, attending, limit 50, offset 0", page_of_50),
        QueryCase(
            "query_ex6_member",
            "example 6: one member, profile field Email",
            {"memberId": member, "profileFields": "Email"},
            target=True,
            total=per // 500,
        ),
        QueryCase("query_ex7_bearer", "example 7: Bearer authentication", {}, bearer=True, total=per),
        QueryCase(
            "query_total_filtered",
            "total with a filter: userStatus=cancelled, limit=0 (served by the GIN index)",
            {"userStatus": "cancelled", "limit": "0"},
            total=per // 10,
        ),
        QueryCase(
            "analytics_utilisation",
            "utilisation of a month by day",
            {**MONTH, "groupBy": "day"},
            path="/api/v1/analytics/utilisation",
        ),
        QueryCase(
            "analytics_bookings",
            "bookings and lead times of a month by source",
            {**MONTH, "groupBy": "source"},
            path="/api/v1/analytics/bookings",
        ),
    ]


def _check(case: QueryCase, response: httpx.Response) -> str | None:
    if response.status_code != 200:
        return f"{case.name}: {response.status_code} {response.text[:200]}"
    if case.total is not None and response.json().get("total") != case.total:
        return f"{case.name}: total {response.json().get('total')}, the seed has {case.total}"
    return None


def time_cases(base_url: str, seed: QuerySeed, cases: list[QueryCase], rounds: int) -> Timings:
    """Each case `rounds` times after the warm-up rounds, in turn; the first problem of each case is kept."""
    timings = Timings({case.name: [] for case in cases})
    failed: set[str] = set()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for round_number in range(WARMUP_ROUNDS + rounds):
            for case in cases:
                auth = {"Authorization": f"Bearer {seed.key}"} if case.bearer else {"x-api-key": seed.key}
                params = {"organisationId": seed.organisation_id, **case.params}
                began = time.perf_counter()
                response = client.get(case.path, params=params, headers=auth)
                elapsed = (time.perf_counter() - began) * 1000
                problem = _check(case, response)
                if problem is not None and case.name not in failed:
                    failed.add(case.name)
                    timings.problems.append(problem)
                if round_number >= WARMUP_ROUNDS:
                    timings.by_case[case.name].append(elapsed)
    return timings


def query_figures(cases: list[QueryCase], timings: Timings, conditions: dict[str, Any]) -> list[Figure]:
    """p50 and p99 of each case; the p99 of a filtered page of 100 against its target."""
    figures = []
    for case in cases:
        values = timings.by_case[case.name]
        own = {"request": case.what, "requests": len(values), **conditions}
        target = ("<=", TARGET_P99_MS) if case.target else None
        figures.append(Figure(f"{case.name}_p50_ms", percentile(values, 50), "ms", own))
        figures.append(Figure(f"{case.name}_p99_ms", percentile(values, 99), "ms", own, target))
    return figures


def expected_figures() -> list[str]:
    """The names of the figures that a query phase produces, whatever the seed."""
    names = [case.name for case in query_cases(0)]
    return [f"{name}_{pct}_ms" for name in names for pct in ("p50", "p99")]
