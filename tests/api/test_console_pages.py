"""The console's pages over HTTP: calendar, history, utilisation, health; scope and organisation checks."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest

from api.console.history_view import HIDDEN
from domain.ids import court_booking_id
from ledger.runtime import Runtime
from tests.api.analytics_support import UTILISATION, Club
from tests.api.console_support import Visitor, expect_page, key_of, signed_in
from tests.api.erasure_support import ERASED, email_of, erase, make_erasing_tenant
from tests.api.query_support import analyst_key, make_shop
from tests.support import booking_body, expect, random_day
from tests.unit.availability_support import berlin

CALENDAR = "/console/calendar"


@dataclass(frozen=True)
class ClubDay:
    """A club's day with a client-API booking 10-11, a cancelled one 12-13 and a partner's booking 15-16."""

    club: Club
    day: date
    booked: str
    cancelled: str
    court_booking: str
    court_booking_external_id: str

    @property
    def organisation_id(self) -> str:
        return self.club.shop.organisation_id

    @property
    def venue_id(self) -> str:
        return self.club.shop.partner.tenant.venue_id

    def calendar(self, visitor: Visitor, **params: str) -> httpx.Response:
        query = {
            "organisationId": self.organisation_id,
            "venueId": self.venue_id,
            "day": self.day.isoformat(),
        }
        return visitor.get(CALENDAR, **{**query, **params})


@pytest.fixture
def club_day(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> ClubDay:
    club = Club(make_shop(http, admin_headers, runtime))
    club.open_court()
    day = random_day().date()
    booked = club.book(day, 10)
    cancelled = club.book(day, 12)
    club.cancel(cancelled)
    external_id = club.court_booking(day, 15)
    rows = club.shop.bookings(externalId=external_id)  # waits until the view has every event so far
    return ClubDay(club, day, str(booked.id), str(cancelled.id), rows[0]["bookingId"], external_id)


def test_the_calendar_shows_bookings_of_two_surfaces_in_the_courts_column(club_day: ClubDay) -> None:
    visitor = signed_in(club_day.club.shop.http, key_of(club_day.club.shop.analyst))
    page = expect_page(club_day.calendar(visitor), 200)
    assert f'data-booking="{club_day.booked}"' in page
    assert f'data-booking="{club_day.court_booking}"' in page
    assert "src-client-api" in page
    assert "src-partner-sync" in page
    assert "10:00-11:00 client-api" in page  # Berlin time, as the venue keeps it
    assert "15:00-16:00 partner-sync" in page


def test_cancelled_bookings_are_drawn_hidden_until_the_toggle_shows_them(club_day: ClubDay) -> None:
    visitor = signed_in(club_day.club.shop.http, key_of(club_day.club.shop.analyst))
    hidden = expect_page(club_day.calendar(visitor), 200)
    assert 'id="calendar" class="hide-released"' in hidden
    assert f'data-booking="{club_day.cancelled}"' in hidden
    shown = expect_page(club_day.calendar(visitor, cancelled="1"), 200)
    assert 'id="calendar" class=""' in shown


def test_a_week_shows_seven_days(club_day: ClubDay) -> None:
    visitor = signed_in(club_day.club.shop.http, key_of(club_day.club.shop.analyst))
    page = expect_page(club_day.calendar(visitor, days="7"), 200)
    assert page.count('<section class="day"') == 7
    assert f'data-day="{(club_day.day + timedelta(days=6)).isoformat()}"' in page


def test_another_organisations_calendar_and_history_are_refused(
    club_day: ClubDay, http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    stranger = make_shop(http, admin_headers, runtime)
    visitor = signed_in(http, key_of(stranger.analyst))
    page = expect_page(club_day.calendar(visitor), 403)
    assert "not authorised" in page
    expect_page(visitor.get(f"/console/bookings/{club_day.booked}/history"), 403)
    expect_page(visitor.get("/console/utilisation", organisationId=club_day.organisation_id), 403)
    mine = expect_page(visitor.get(CALENDAR), 200)
    assert club_day.organisation_id not in mine


def test_the_history_shows_each_version_what_it_changed_and_the_state_as_of_a_version(
    club_day: ClubDay, runtime: Runtime
) -> None:
    shop = club_day.club.shop
    moved = booking_body(
        shop.partner.tenant.court_id, berlin(club_day.day, 17), updated=random_day() + timedelta(days=30000)
    )
    expect(shop.partner.tenant.put(club_day.court_booking_external_id, moved), 200)
    auditor = analyst_key(
        shop.http, shop.partner.tenant.admin_headers, [club_day.organisation_id], ["audit:read"]
    )
    visitor = signed_in(shop.http, key_of(auditor))
    path = f"/console/bookings/{club_day.court_booking}/history"
    latest = expect_page(visitor.get(path), 200)
    assert 'id="version-1"' in latest
    assert 'id="version-2"' in latest
    assert "State as of version 2" in latest
    assert berlin(club_day.day, 17).strftime("%Y-%m-%dT%H:%M") in latest
    first = expect_page(visitor.get(path, version="1"), 200)
    assert "State as of version 1" in first
    assert 'class="before"' in first  # the second version's diff lists what it changed


def test_personal_data_is_shown_only_to_a_session_with_audit_read(club_day: ClubDay) -> None:
    shop = club_day.club.shop
    path = f"/console/bookings/{club_day.court_booking}/history"
    analyst = signed_in(shop.http, key_of(shop.analyst))
    hidden = expect_page(analyst.get(path), 200)
    assert "alice@example.com" not in hidden.lower()
    assert HIDDEN in hidden
    auditor_key = analyst_key(
        shop.http, shop.partner.tenant.admin_headers, [club_day.organisation_id], ["audit:read"]
    )
    shown = expect_page(signed_in(shop.http, key_of(auditor_key)).get(path), 200)
    assert "alice@example.com" in shown.lower()


def test_the_utilisation_page_shows_the_analytics_endpoints_numbers(club_day: ClubDay) -> None:
    shop = club_day.club.shop
    period = {"from": club_day.day.isoformat(), "to": (club_day.day + timedelta(days=6)).isoformat()}
    api = expect(club_day.club.get(UTILISATION, {**period, "groupBy": "resource"}), 200)
    [court] = [group for group in api["groups"] if group["key"] == shop.partner.tenant.court_id]
    visitor = signed_in(shop.http, key_of(shop.analyst))
    page = expect_page(
        visitor.get("/console/utilisation", organisationId=club_day.organisation_id, **period), 200
    )
    row = page.split(f'data-court="{court["key"]}"', 1)[1].split("</tr>", 1)[0]
    assert f'<td class="booked">{court["bookedMinutes"]}</td>' in row
    assert f'<td class="open">{court["availableMinutes"]}</td>' in row
    assert f'id="cancellations">{court["cancellations"]}<' in page
    for chart in ("heatmap", "weekly"):
        svg = visitor.get(
            f"/console/charts/utilisation-{chart}.svg", organisationId=club_day.organisation_id, **period
        )
        assert svg.status_code == 200
        assert svg.headers["content-type"] == "image/svg+xml"
        assert svg.text.lstrip().startswith("<?xml")
        assert "<svg" in svg.text


def test_health_lists_every_view_with_its_lag(club_day: ClubDay, runtime: Runtime) -> None:
    visitor = signed_in(club_day.club.shop.http, key_of(club_day.club.shop.analyst))
    page = expect_page(visitor.get("/console/health"), 200)
    for name in runtime.views:
        assert f"<td>{name}</td>" in page


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (CALENDAR, {"day": "tomorrow"}, "day must be a date"),
        (CALENDAR, {"venueId": "not-an-id"}, "venueId must be an id"),
        ("/console/utilisation", {"from": "2030-01-10", "to": "2030-01-01"}, "from must come before to"),
        ("/console/charts/utilisation-pie.svg", {}, "The charts are heatmap, weekly"),
    ],
)
def test_a_malformed_parameter_answers_a_400_page(
    club_day: ClubDay, path: str, params: dict[str, str], message: str
) -> None:
    visitor = signed_in(club_day.club.shop.http, key_of(club_day.club.shop.analyst))
    query = {"organisationId": club_day.organisation_id, **params}
    assert message in expect_page(visitor.get(path, **query), 400)


def test_a_malformed_version_or_instant_of_a_history_answers_a_400_page(club_day: ClubDay) -> None:
    visitor = signed_in(club_day.club.shop.http, key_of(club_day.club.shop.analyst))
    path = f"/console/bookings/{club_day.booked}/history"
    assert "version must be" in expect_page(visitor.get(path, version="two"), 400)
    assert "versions 1 to" in expect_page(visitor.get(path, version="99"), 400)
    assert "asOf must be" in expect_page(visitor.get(path, asOf="yesterday"), 400)
    assert "not been recorded yet" in expect_page(visitor.get(path, asOf="2001-01-01T00:00:00Z"), 400)
    expect_page(visitor.get("/console/bookings/not-a-booking/history"), 400)


def test_after_an_erasure_the_history_shows_the_persons_data_as_erased(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_erasing_tenant(http, admin_headers)
    tenant = scene.tenant
    email = email_of(runtime, tenant.user_id)
    external_id = f"console-{uuid.uuid4().hex[:8]}"
    body = booking_body(tenant.court_id, random_day(), participants=[{"email": email}])
    expect(tenant.put(external_id, body), 201)
    path = f"/console/bookings/{court_booking_id(uuid.UUID(tenant.client_id), external_id)}/history"
    visitor = signed_in(http, key_of(admin_headers))
    before = page_once_in_view(visitor, path)
    assert email in before

    expect(erase(scene), 200)

    after = expect_page(visitor.get(path), 200)
    assert email not in after
    assert ERASED in after


def page_once_in_view(visitor: Visitor, path: str, seconds: float = 30) -> str:
    """The page of a booking once the bookings view has it (its runner works in the background)."""
    deadline = time.monotonic() + seconds
    while (response := visitor.get(path)).status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.05)
    return expect_page(response, 200)
