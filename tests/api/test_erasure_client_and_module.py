"""Erasure on the client API (a resource booking's notes, the user's mapping) and the module API (an
appointment's customer named by the user's email)."""

from __future__ import annotations

from typing import Any

import httpx
import psycopg
from psycopg import sql

from domain.context import ADMIN, RequestContext
from ledger.idempotency_store import TABLE
from ledger.runtime import Runtime
from tests.api.client_api_support import CLIENT, unique
from tests.api.client_booking_support import BOOKINGS, local, make_bookable, soon
from tests.api.erasure_support import ERASED, email_of, make_erasing_tenant
from tests.api.module_support import local_day, make_module_org
from tests.support import expect


def erase_as_admin(http: httpx.Client, admin_headers: dict[str, str], user_id: str) -> Any:
    operator = make_erasing_tenant(http, admin_headers, "admin")
    response = http.delete("/api/v1/users/data", params={"userId": user_id}, headers=operator.tenant.headers)
    return expect(response, 200)


def test_a_client_api_bookings_notes_and_the_users_mapping_read_as_erased(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    bookable = make_bookable(http, admin_headers)
    day = soon(3)
    booked = bookable.booked(local(day, 10), local(day, 11))
    mapping = expect(bookable.partner.get(f"{CLIENT}/users/lookup/", external_id=bookable.user), 200)

    erase_as_admin(http, admin_headers, str(mapping["user_id"]))

    read = expect(bookable.partner.get(f"{BOOKINGS}{booked['id']}/"), 200)
    assert read == booked
    ctx = RequestContext(ADMIN, runtime.clock(), "test")
    assert runtime.ledger.get_resource_booking(ctx, booked["id"]).notes == ERASED
    mappings = expect(bookable.partner.get(f"{CLIENT}/users/mappings/"), 200)
    assert [row["external_id"] for row in mappings] == [ERASED]


def test_an_appointment_whose_customer_is_the_user_reads_as_erased(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    org = make_module_org(http, admin_headers)
    email = email_of(runtime, org.tenant.user_id)
    customer = {"firstName": "John", "lastName": "Doe", "email": email, "mobile": "+49 170 1234567"}
    added = expect(org.add(org.slot_at(local_day(3, 10))["id"], customer), 201)

    erase_as_admin(http, admin_headers, org.tenant.user_id)

    read = expect(org.get(f"appointment/{added['id']}"), 200)
    assert read["customer"] == {
        "class": "CUSTOMER",
        "firstName": ERASED,
        "lastName": ERASED,
        "email": ERASED,
        "mobile": ERASED,
        "address": None,
    }
    assert (read["start"], read["status"], read["price"]) == (added["start"], "BOOKED", added["price"])


def stored_answers_naming(runtime: Runtime, text: str) -> int:
    table = sql.Identifier(runtime.settings.db_schema, TABLE)
    query = sql.SQL("SELECT count(*) FROM {} WHERE position(%s::bytea IN body) > 0").format(table)
    with psycopg.connect(runtime.database_url) as conn:
        row = conn.execute(query, (text.encode(),)).fetchone()
    return int(row[0]) if row else 0


def test_an_answer_kept_for_an_idempotency_key_retry_is_forgotten_when_its_user_is_erased(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    bookable = make_bookable(http, admin_headers)
    email = f"{unique('kept')}@example.com"
    body = {"external_id": unique("user"), "email": email}
    registered = expect(
        bookable.partner.post(f"{CLIENT}/users/register/", body, **{"Idempotency-Key": unique("key")}), 201
    )
    other = f"{unique('other')}@example.com"
    other_body = {"external_id": unique("user"), "email": other}
    expect(
        bookable.partner.post(f"{CLIENT}/users/register/", other_body, **{"Idempotency-Key": unique("k")}),
        201,
    )
    assert stored_answers_naming(runtime, email) == 1

    erase_as_admin(http, admin_headers, str(registered["user_id"]))

    assert stored_answers_naming(runtime, email) == 0
    assert stored_answers_naming(runtime, str(registered["user_id"])) == 0
    assert stored_answers_naming(runtime, other) == 1
