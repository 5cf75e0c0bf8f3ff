"""`ledger admin set-booking-rules` and `confirm-resource-booking` against real PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.context import ADMIN, RequestContext
from ledger.cli import main
from ledger.runtime import Runtime
from tests.support import random_day
from tests.unit.availability_support import berlin

RULES: dict[str, Any] = {
    "capacity": 4,
    "basePrice": 25,
    "currency": "EUR",
    "priceUnit": "hour",
    "bookingIntervalMinutes": 30,
    "minBookingDurationMinutes": 60,
    "maxBookingDurationMinutes": 180,
    "minAdvanceBookingMinutes": 0,
    "maxAdvanceBookingDays": 3660,
    "preventUnbookableGaps": False,
    "isBookable": True,
    "openingHours": [
        {"weekday": day, "startTime": "08:00", "endTime": "22:00", "pricePerHour": "25.00"}
        for day in range(7)
    ],
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def new_court(runtime: Runtime) -> tuple[str, str, str]:
    """Given: an organization with a court, a client granted it, and a user; their ids."""
    ctx = RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")
    ledger = runtime.ledger
    organization = ledger.create_organization(ctx, "Club", "Europe/Berlin").value
    venue = ledger.create_venue(ctx, organization.id, "Centre", None, None).value
    court = ledger.create_court(ctx, venue.id, "Court 1").value
    client = ledger.create_client(ctx, "Partner", [], [organization.id]).value
    user = ledger.create_user(ctx, f"u-{uuid.uuid4().hex[:8]}@example.com", None, None).value
    return str(court.id), str(client.id), str(user.id)


@pytest.mark.usefixtures("cli_env")
def test_set_booking_rules_takes_the_admin_apis_body_and_answers_the_resource(
    capsys: pytest.CaptureFixture[str], runtime: Runtime, tmp_path: Path
) -> None:
    court_id, _, _ = new_court(runtime)
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps({**RULES, "basePrice": "27.50"}), encoding="utf-8")

    first = run(capsys, "admin", "set-booking-rules", "--resource-id", court_id, "--rules", json.dumps(RULES))
    by_number = run(
        capsys,
        "admin",
        "set-booking-rules",
        "--resource-id",
        str(first["number"]),
        "--rules-file",
        str(rules_file),
    )

    assert (first["id"], first["basePrice"], first["openingHours"][0]["pricePerHour"]) == (
        court_id,
        "25.00",
        "25.00",
    )
    assert (by_number["id"], by_number["basePrice"]) == (court_id, "27.50")


@pytest.mark.usefixtures("cli_env")
def test_set_booking_rules_reports_unacceptable_rules_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    court_id, _, _ = new_court(runtime)

    code = main(
        [
            "admin",
            "set-booking-rules",
            "--resource-id",
            court_id,
            "--rules",
            json.dumps({**RULES, "capacity": 0}),
        ]
    )

    assert code == 1
    assert json.loads(capsys.readouterr().err)["error"]["type"] == "InvalidCapacityError"
    assert runtime.ledger.resolve_resource(court_id).booking_rules is None


@pytest.mark.usefixtures("cli_env")
def test_confirm_resource_booking_confirms_a_pending_booking(
    capsys: pytest.CaptureFixture[str], runtime: Runtime
) -> None:
    court_id, client_id, user_id = new_court(runtime)
    run(capsys, "admin", "set-booking-rules", "--resource-id", court_id, "--rules", json.dumps(RULES))
    start = berlin(random_day().date(), 10)
    ctx = RequestContext(ADMIN, start - timedelta(days=1), f"test-{uuid.uuid4().hex}")
    booking = runtime.ledger.book_resource(
        ctx, uuid.UUID(client_id), uuid.UUID(user_id), court_id, start, start + timedelta(hours=1), 2
    ).value

    confirmed = run(capsys, "admin", "confirm-resource-booking", "--booking-id", booking.reference_code)

    assert (confirmed["id"], confirmed["status"], confirmed["totalPrice"]) == (
        str(booking.id),
        "confirmed",
        "25.00",
    )
