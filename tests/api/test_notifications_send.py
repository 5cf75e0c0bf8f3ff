"""The LE-KO cron endpoint: due notifications queued once, delivered to the client's webhooks, per tenant."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

import httpx

from ledger.runtime import Runtime
from tests.api.notification_support import (
    NOTHING,
    SEND,
    accept,
    add_rule,
    claims_of,
    queued_notifications,
    rules_path,
    send,
    shop_of,
)
from tests.api.orders_support import book, make_booking_tenant, schedule_event
from tests.api.webhook_support import subscribe
from tests.support import expect
from tests.webhook_receiver import receiving


def test_an_accepted_booking_is_notified_to_the_clients_webhook_once_however_often_the_cron_runs(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    shop = shop_of(http, admin_headers)
    rule = add_rule(shop.tenant, "booking.accepted", "both")
    with receiving() as receiver:
        subscribe(shop.tenant, receiver.url, types=["notification"])
        booking = book(shop, [schedule_event(shop)])[0]
        accept(shop, booking)

        first = send(http, shop.tenant.headers)
        again = send(http, shop.tenant.headers)
        received = receiver.wait_for(1)

    assert first == {**NOTHING, "due": 1, "enqueued": 1}
    assert again == NOTHING
    assert len(queued_notifications(runtime, booking)) == 1
    assert len(received) == 1
    notice = json.loads(received[0].body)
    assert notice["type"] == "notification.booking_accepted"
    assert (notice["ruleId"], notice["bookingId"], notice["trigger"]) == (
        rule["id"],
        booking,
        "booking.accepted",
    )
    assert notice["recipients"] == {"athlete": shop.athlete_id, "coach": shop.coach_id}
    assert notice["booking"]["status"] == "Accepted"


def test_a_booking_starting_within_a_rules_minutes_is_reminded_once(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    shop = shop_of(http, admin_headers)
    rule = add_rule(shop.tenant, "before_start", "athlete", minutesBefore=60)
    now = runtime.clock()
    soon = book(shop, [schedule_event(shop, start=now + timedelta(minutes=30))])[0]
    later = book(shop, [schedule_event(shop, start=now + timedelta(hours=3))])[0]

    first = send(http, shop.tenant.headers)
    again = send(http, shop.tenant.headers)

    assert first == {**NOTHING, "due": 1, "enqueued": 1}
    assert again == NOTHING
    assert [str(row["booking_id"]) for row in claims_of(runtime, rule["id"])] == [soon]
    assert queued_notifications(runtime, later) == []


def test_what_happened_before_a_rule_was_made_is_not_notified(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop = shop_of(http, admin_headers)
    booking = book(shop, [schedule_event(shop)])[0]
    accept(shop, booking)
    add_rule(shop.tenant, "booking.accepted", "coach")

    assert send(http, shop.tenant.headers) == NOTHING


def test_a_clients_cron_sends_its_own_rules_notifications_and_an_admin_clients_every_clients(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    mine, theirs = shop_of(http, admin_headers), shop_of(http, admin_headers)
    their_rule = add_rule(theirs.tenant, "booking.requested", "athlete")
    book(theirs, [schedule_event(theirs)])
    operator = make_booking_tenant(http, admin_headers, scopes=["admin"]).tenant

    assert send(http, mine.tenant.headers) == NOTHING
    assert claims_of(runtime, their_rule["id"]) == []
    assert send(http, operator.headers)["enqueued"] >= 1
    assert len(claims_of(runtime, their_rule["id"])) == 1
    assert send(http, theirs.tenant.headers) == NOTHING


def test_the_cron_needs_its_scope_and_a_well_formed_traceparent(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop = make_booking_tenant(http, admin_headers)
    notifier = shop_of(http, admin_headers).tenant
    trace_id = secrets.token_hex(16)

    refused = expect(http.post(SEND, headers=shop.tenant.headers), 403)
    malformed = expect(http.post(SEND, headers={**notifier.headers, "traceparent": "00-xyz"}), 400)
    unknown = expect(http.post(SEND, headers={"Authorization": "Bearer lk_nothing"}), 401)
    traced = http.post(SEND, headers={**notifier.headers, "traceparent": f"00-{trace_id}-{'1' * 16}-01"})

    assert refused["errors"][0]["code"] == "forbidden"
    assert refused["errors"][0]["endpoint"] == f"POST {SEND}"
    assert malformed["errors"][0]["code"] == "validation"
    assert unknown["errors"][0]["code"] == "unauthorized"
    assert expect(traced, 200) == NOTHING
    assert traced.headers["traceparent"].split("-")[1] == trace_id


def test_a_rule_whose_audience_changes_still_notifies_what_it_was_waiting_for_and_a_new_trigger_does_not(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    shop = shop_of(http, admin_headers)
    kept, moved = (
        add_rule(shop.tenant, "booking.accepted", "both"),
        add_rule(shop.tenant, "booking.accepted", "both"),
    )
    booking = book(shop, [schedule_event(shop)])[0]
    accept(shop, booking)
    admin = shop.tenant.admin_headers
    audience = {"trigger": "booking.accepted", "audience": "coach", "channel": "webhook"}
    trigger = {"trigger": "booking.requested", "audience": "both", "channel": "webhook"}
    expect(http.put(f"{rules_path(shop.tenant.client_id)}/{kept['id']}", json=audience, headers=admin), 200)
    expect(http.put(f"{rules_path(shop.tenant.client_id)}/{moved['id']}", json=trigger, headers=admin), 200)

    assert send(http, shop.tenant.headers) == {**NOTHING, "due": 1, "enqueued": 1}
    assert [str(row["booking_id"]) for row in claims_of(runtime, kept["id"])] == [booking]
    assert claims_of(runtime, moved["id"]) == []
