"""`ledger admin` create-, update- and get-booking-template against real PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ledger.cli import main

pytestmark = pytest.mark.usefixtures("cli_env")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(["admin", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["admin", *argv]) == 1
    error: dict[str, Any] = json.loads(capsys.readouterr().err)["error"]
    return error


def new_court(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    organization = run(capsys, "create-organization", "--name", "Club", "--timezone", "Europe/Berlin")
    venue = run(capsys, "create-venue", "--organization-id", organization["id"], "--name", "Hall")
    court: dict[str, Any] = run(capsys, "create-court", "--venue-id", venue["id"], "--name", "Court 1")
    return court


def template_options(court: dict[str, Any], *extra: str) -> list[str]:
    return [
        "create-booking-template",
        "--organization-id",
        court["organizationId"],
        "--name",
        "Lesson",
        "--duration",
        "60",
        "--price-gross",
        "99.99",
        "--tax-rate",
        "19",
        "--currency",
        "EUR",
        "--booking-day-earliest",
        "0",
        "--booking-day-latest",
        "14",
        "--booking-lead-time",
        "120",
        "--resource-id",
        str(court["number"]),
        *extra,
    ]


def read_template(capsys: pytest.CaptureFixture[str], court: dict[str, Any], template_id: str) -> Any:
    organization = court["organizationId"]
    return run(
        capsys, "get-booking-template", "--organization-id", organization, "--template-id", template_id
    )


def test_create_booking_template_prints_the_template_as_the_admin_api_answers_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    court = new_court(capsys)

    created = run(capsys, *template_options(court, "--lead-time", "15", "--customer-mobile-required", "true"))
    read = read_template(capsys, court, created["id"])

    assert read == created
    assert created["resourceIds"] == [court["id"]]
    assert (created["priceGross"], created["taxRate"], created["leadTime"]) == ("99.99", "19.00", 15)
    assert created["customerMobileRequired"] is True


def test_create_booking_template_refuses_an_invalid_template_naming_the_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    court = new_court(capsys)

    error = fails(capsys, *template_options(court, "--followup-time", "5000"))

    assert error["type"] == "InvalidTemplateTimesError"
    assert "followupTime" in error["message"]


def test_update_booking_template_changes_the_options_given_and_prints_the_template_as_it_now_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    court = new_court(capsys)
    created = run(capsys, *template_options(court, "--lead-time", "15"))

    changed = run(
        capsys,
        "update-booking-template",
        "--template-id",
        created["id"],
        "--duration",
        "90",
        "--price-gross",
        "45",
        "--show-price",
        "false",
    )

    assert changed == {**created, "duration": 90, "priceGross": "45.00", "showPrice": False}
    assert read_template(capsys, court, created["id"]) == changed


def test_update_booking_template_refuses_an_invalid_change_naming_the_option_as_the_body_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    court = new_court(capsys)
    created = run(capsys, *template_options(court))

    error = fails(
        capsys, "update-booking-template", "--template-id", created["id"], "--booking-day-earliest", "20"
    )

    assert error["type"] == "InvalidBookingWindowError"
    assert "bookingDayEarliest" in error["message"]
