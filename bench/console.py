"""The console's figures: how long each page takes for a venue with 20 courts and 500 bookings in a day."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from bench.database import drop_schema
from bench.server import ledger_server
from bench.stats import percentile

SCHEMA = "bench_console"
COURTS = 20
SLOTS = 25  # half-hour bookings from 07:00 to 19:30 on every court: 500 in the day
DAY = date(2031, 3, 4)
WRITERS = 8
PAGES = ("calendar_day", "calendar_week", "history", "utilisation", "heatmap_chart", "health")


def _post(http: httpx.Client, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = http.post(path, json=body, headers=headers)
    response.raise_for_status()
    return response.json()


def _venue(http: httpx.Client, admin: dict[str, str]) -> tuple[str, str, str, list[str]]:
    """An organisation in Berlin with one venue of COURTS courts and a partner client that syncs them:
    (organisation id, venue id, the partner's key, court ids)."""
    org = _post(http, "/api/v1/admin/organizations", {"name": "Console", "timezone": "Europe/Berlin"}, admin)
    venue = _post(http, f"/api/v1/admin/organizations/{org['id']}/venues", {"name": "Centre"}, admin)
    courts = [
        _post(http, f"/api/v1/admin/venues/{venue['id']}/courts", {"name": f"Court {n + 1:02d}"}, admin)["id"]
        for n in range(COURTS)
    ]
    body = {"name": "Partner", "scopes": ["court-bookings:write"], "organizationIds": [org["id"]]}
    client = _post(http, "/api/v1/admin/clients", body, admin)
    key = _post(http, f"/api/v1/admin/clients/{client['id']}/api-keys", {}, admin)
    return org["id"], venue["id"], f"{client['id']} {key['key']}", courts


def _book(base_url: str, partner: str, courts: list[str], share: int) -> list[int]:
    """Every WRITERS-th of the day's bookings from `share`; the statuses answered."""
    client_id, key = partner.split(" ")
    start_of_day = datetime(DAY.year, DAY.month, DAY.day, 6, tzinfo=UTC)  # 07:00 in Berlin in March
    statuses = []
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
        for number in range(share, COURTS * SLOTS, WRITERS):
            court, slot = courts[number % COURTS], number // COURTS
            start = start_of_day + timedelta(minutes=30 * slot)
            body = {
                "courtId": court,
                "startDate": start.isoformat(),
                "endDate": (start + timedelta(minutes=30)).isoformat(),
                "externalUpdatedAt": "2031-01-01T00:00:00Z",
                "participants": [{"email": f"player{number}@example.com"}],
            }
            path = f"/api/v1/external-services/{client_id}/court-bookings/by-external-id/c-{number}"
            statuses.append(http.put(path, json=body).status_code)
    return statuses


def _signed_in(http: httpx.Client, token: str) -> dict[str, str]:
    """The admin's session cookie, sent by hand: the console's cookies are Secure, the bench's URL is not."""
    form = http.get("/console/sign-in")
    csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    cookie = f"ledger_console_signin={form.cookies['ledger_console_signin']}"
    answer = http.post(
        "/console/sign-in",
        content=f"csrf={csrf}&key={token}",
        headers={"content-type": "application/x-www-form-urlencoded", "cookie": cookie},
    )
    if answer.status_code != 303:
        raise RuntimeError(f"console sign-in answered {answer.status_code}")
    return {"cookie": f"ledger_console={answer.cookies['ledger_console']}"}


def measure(url: str, requests: int, add: Callable[..., None], problems: list[str]) -> None:
    """p50/p99 of each console page, `requests` sequential loads each, after seeding the venue's day."""
    drop_schema(url, SCHEMA)
    token = secrets.token_urlsafe(24)
    admin = {"Authorization": f"Bearer {token}"}
    with (
        ledger_server("ledger-console", url, SCHEMA, token) as server,
        httpx.Client(base_url=server.url, timeout=60) as http,
    ):
        organisation, venue, partner, courts = _venue(http, admin)
        with ThreadPoolExecutor(WRITERS) as pool:
            statuses = [
                s
                for share in pool.map(lambda n: _book(server.url, partner, courts, n), range(WRITERS))
                for s in share
            ]
        if any(status != 201 for status in statuses):
            problems.append(f"console: {sum(s != 201 for s in statuses)} of the day's bookings were refused")
        cookie = _signed_in(http, token)
        calendar = f"/console/calendar?organisationId={organisation}&venueId={venue}&day={DAY}"
        deadline = time.monotonic() + 120
        while (page := http.get(calendar, headers=cookie)).text.count("data-booking=") < len(statuses):
            if time.monotonic() > deadline:
                problems.append("console: the calendar did not show every booking within 120 s")
                return
            time.sleep(0.2)
        booking = page.text.split('data-booking="', 1)[1].split('"', 1)[0]
        period = f"organisationId={organisation}&from={DAY - timedelta(days=27)}&to={DAY}"
        paths = {
            "calendar_day": calendar,
            "calendar_week": f"{calendar}&days=7",
            "history": f"/console/bookings/{booking}/history",
            "utilisation": f"/console/utilisation?{period}",
            "heatmap_chart": f"/console/charts/utilisation-heatmap.svg?{period}",
            "health": "/console/health",
        }
        for path in paths.values():  # the first chart loads matplotlib; the templates compile once
            http.get(path, headers=cookie)
        timings: dict[str, list[float]] = {name: [] for name in PAGES}
        for _ in range(requests):
            for name, path in paths.items():
                began = time.monotonic()
                answer = http.get(path, headers=cookie)
                timings[name].append((time.monotonic() - began) * 1000)
                if answer.status_code != 200:
                    problems.append(f"console: {name} answered {answer.status_code}")
                    return
    conditions = {
        "courts": COURTS,
        "bookings_in_the_day": len(statuses),
        "requests": requests,
        "how": "sequential GETs of each page with the admin's session, `ledger serve` with its runners",
    }
    for name in PAGES:
        add(f"console_{name}_p50_ms", percentile(timings[name], 50), "ms", **conditions)
        add(f"console_{name}_p99_ms", percentile(timings[name], 99), "ms", target=("<=", 300), **conditions)
