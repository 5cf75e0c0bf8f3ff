"""The console in a real browser: sign in, a court day booked through two surfaces, a booking's history,
an older version, utilisation and health; each page saved as a screenshot under tests/browser/out/."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from ledger.runtime import Runtime
from tests.api.analytics_support import Club
from tests.api.console_support import key_of
from tests.api.query_support import make_shop
from tests.support import ServerThread, booking_body, random_day
from tests.support import expect as expect_status
from tests.unit.availability_support import berlin

pytestmark = pytest.mark.browser


def sign_in(page: Page, server: ServerThread, key: str) -> None:
    page.goto(f"{server.url}/console/calendar")
    expect(page).to_have_url(f"{server.url}/console/sign-in")
    page.fill("#key", key)
    page.click("#sign-in")
    expect(page).to_have_url(f"{server.url}/console/calendar")


def policy_violations(page: Page) -> list[str]:
    seen: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(message.text)

    page.on("console", keep)
    return seen


def busy_day(club: Club) -> tuple[date, str]:
    """Given a club's day with client-API bookings (confirmed, pending, cancelled) on its first court and
    partners' bookings on three courts, one of them moved once; bookings a week and two weeks before too.
    Returns the day and the moved booking's external id."""
    tenant = club.shop.partner.tenant
    club.open_court()
    day = random_day().date()
    club.confirm(club.book(day, 10))
    club.book(day, 16, hours=2)
    club.cancel(club.book(day, 12))
    for weeks in (1, 2):
        club.confirm(club.book(day - timedelta(days=7 * weeks), 10, hours=weeks + 1, days_ahead=1))
    moved = club.court_booking(day, 14)
    for court, hour in ((tenant.add_court(), 9), (tenant.add_court(), 11)):
        expect_status(tenant.put(f"cb-{uuid.uuid4().hex[:12]}", booking_body(court, berlin(day, hour))), 201)
    later = booking_body(tenant.court_id, berlin(day, 19), updated=datetime(2031, 1, 1, tzinfo=UTC))
    expect_status(tenant.put(moved, later), 200)
    club.shop.bookings(externalId=moved)  # the view has every event so far
    return day, moved


def test_an_analyst_walks_through_every_page(
    page: Page,
    server: ServerThread,
    http: httpx.Client,
    admin_headers: dict[str, str],
    runtime: Runtime,
    screenshots: Path,
) -> None:
    club = Club(make_shop(http, admin_headers, runtime))
    day, _ = busy_day(club)
    violations = policy_violations(page)
    sign_in(page, server, key_of(admin_headers))

    organisation, venue = club.shop.organisation_id, club.shop.partner.tenant.venue_id
    page.goto(f"{server.url}/console/calendar?organisationId={organisation}&venueId={venue}&day={day}")
    blocks = page.locator("#calendar a.block")
    expect(blocks.filter(has_text="client-api", visible=True)).to_have_count(2)  # the cancelled one is hidden
    expect(blocks.filter(has_text="partner-sync", visible=True)).to_have_count(3)
    page.check("#show-cancelled")
    expect(page.locator("#calendar a.block.released")).to_be_visible()
    page.screenshot(path=str(screenshots / "calendar.png"), full_page=True)

    blocks.filter(has_text="19:00-20:00 partner-sync").click()
    expect(page.locator("#state h2")).to_have_text("State as of version 2")
    expect(page.locator("#version-2 table.diff")).to_contain_text("start")
    page.screenshot(path=str(screenshots / "history.png"), full_page=True)
    page.click("#version-1 > a")
    expect(page.locator("#state h2")).to_have_text("State as of version 1")

    period = f"organisationId={organisation}&from={day - timedelta(days=20)}&to={day}"
    page.goto(f"{server.url}/console/utilisation?{period}")
    for chart in ("#heatmap", "#weekly"):
        expect(page.locator(chart)).to_be_visible()
        assert page.eval_on_selector(chart, "image => image.naturalWidth") > 0
    expect(page.locator(".revenue")).not_to_have_count(0)
    page.screenshot(path=str(screenshots / "utilisation.png"), full_page=True)

    page.click("text=Health")
    expect(page.locator("#views")).to_contain_text("analytics")
    page.screenshot(path=str(screenshots / "health.png"), full_page=True)
    assert violations == []


def test_the_history_steps_to_an_older_version(
    page: Page, server: ServerThread, http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    club = Club(make_shop(http, admin_headers, runtime))
    club.open_court()
    booking = club.book(random_day().date(), 10)
    club.cancel(booking)
    club.shop.bookings()
    sign_in(page, server, key_of(admin_headers))
    page.goto(f"{server.url}/console/bookings/{booking.id}/history")
    expect(page.locator("#state h2")).to_have_text("State as of version 2")
    page.click("#version-1 > a")
    expect(page.locator("#state h2")).to_have_text("State as of version 1")
    expect(page.locator("#version-2 table.diff")).to_contain_text("status")


def test_a_key_of_another_organisation_sees_nothing_of_it(
    page: Page, server: ServerThread, http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    club = Club(make_shop(http, admin_headers, runtime))
    stranger = make_shop(http, admin_headers, runtime)
    sign_in(page, server, key_of(stranger.analyst))
    expect(page.locator("select[name=organisationId]")).not_to_contain_text(club.shop.organisation_id)
    page.goto(f"{server.url}/console/calendar?organisationId={club.shop.organisation_id}")
    expect(page.locator("#error-message")).to_contain_text("not authorised")
