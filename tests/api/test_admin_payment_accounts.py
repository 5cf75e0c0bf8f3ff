"""A venue's payment account through the admin API: set, read, cleared, refused."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.test_admin_venue_details_api import new_venue
from tests.support import expect

ADMIN = "/api/v1/admin"
ACCOUNT = "acct_1VenueAccount"


def put(http: httpx.Client, admin_headers: dict[str, str], ref: object, body: object) -> httpx.Response:
    return http.put(f"{ADMIN}/venues/{ref}/payment-account", json=body, headers=admin_headers)


def test_put_sets_the_account_and_answers_it_with_the_venue(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers)

    answered = expect(put(http, admin_headers, venue["number"], {"stripeAccountId": ACCOUNT}), 200)

    assert answered == {
        "venueId": venue["id"],
        "venueNumber": venue["number"],
        "stripeAccountId": ACCOUNT,
        # The ledger under test has no payment provider, so no venue takes payment online.
        "onlinePayment": False,
    }
    assert (
        expect(http.get(f"{ADMIN}/venues/{venue['id']}/payment-account", headers=admin_headers), 200)
        == answered
    )


def test_put_with_null_clears_the_account(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    venue = new_venue(http, admin_headers)
    expect(put(http, admin_headers, venue["id"], {"stripeAccountId": ACCOUNT}), 200)

    cleared = expect(put(http, admin_headers, venue["id"], {"stripeAccountId": None}), 200)

    assert cleared["stripeAccountId"] is None


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({"stripeAccountId": "not-an-account"}, "invalid_payment_account"),
        ({"stripeAccountId": 5}, "invalid_schema"),
        ({}, "invalid_schema"),
        ({"stripeAccountId": ACCOUNT, "other": 1}, "invalid_schema"),
    ],
)
def test_put_refuses_a_body_that_names_no_account(
    http: httpx.Client, admin_headers: dict[str, str], body: dict[str, Any], error_type: str
) -> None:
    venue = new_venue(http, admin_headers)

    assert expect(put(http, admin_headers, venue["id"], body), 400)["error"]["type"] == error_type


def test_an_unknown_venue_answers_404(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    response = put(http, admin_headers, "99999999", {"stripeAccountId": ACCOUNT})

    assert expect(response, 404)["error"]["type"] == "venue_not_found"


def test_the_payment_account_needs_the_admin_token(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    venue = new_venue(http, admin_headers)

    assert put(http, {}, venue["id"], {"stripeAccountId": ACCOUNT}).status_code == 401
