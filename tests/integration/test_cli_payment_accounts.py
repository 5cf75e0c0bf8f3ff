"""`ledger admin set-payment-account` and `get-payment-account` answer as the admin API does."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ledger.cli import main
from tests.api.test_admin_venue_details_api import new_venue
from tests.support import expect

pytestmark = pytest.mark.usefixtures("cli_env")
ACCOUNT = "acct_1VenueAccount"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(["admin", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_line_sets_and_reads_a_venues_account_as_the_api_answers_it(
    http: httpx.Client, admin_headers: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    venue = new_venue(http, admin_headers)

    set_by_cli = run(
        capsys, "set-payment-account", "--venue-id", str(venue["number"]), "--stripe-account-id", ACCOUNT
    )
    read_by_cli = run(capsys, "get-payment-account", "--venue-id", venue["id"])
    read_by_api = expect(
        http.get(f"/api/v1/admin/venues/{venue['id']}/payment-account", headers=admin_headers), 200
    )

    assert set_by_cli == read_by_cli == read_by_api
    assert read_by_api["stripeAccountId"] == ACCOUNT


def test_an_empty_account_on_the_command_line_clears_it(
    http: httpx.Client, admin_headers: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    venue = new_venue(http, admin_headers)
    run(capsys, "set-payment-account", "--venue-id", venue["id"], "--stripe-account-id", ACCOUNT)

    cleared = run(capsys, "set-payment-account", "--venue-id", venue["id"], "--stripe-account-id", "")

    assert (cleared["venueId"], cleared["stripeAccountId"]) == (venue["id"], None)
