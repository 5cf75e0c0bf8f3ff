"""Webhook deliveries to real local receivers: signed, at least once, in order, retried, isolated, logged."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from ledger.webhooks.signing import signature
from tests.api.feed_support import cancel_court_booking, make_feed_tenant, read_changes, upsert_court_booking
from tests.api.webhook_support import WEBHOOKS, deliveries, readme_verifier, subscribe, wait_for_log, webhook
from tests.support import MovableClock, Tenant, expect, wait_until
from tests.webhook_receiver import HANG, receiving


@pytest.fixture
def tenant(http: httpx.Client, admin_headers: dict[str, str]) -> Iterator[Tenant]:
    tenant = make_feed_tenant(http, admin_headers)
    yield tenant
    # Nothing more is delivered to the receivers the test stopped.
    for each in expect(http.get(WEBHOOKS, headers=tenant.headers), 200)["webhooks"]:
        http.delete(f"{WEBHOOKS}/{each['id']}", headers=tenant.headers)


def test_deliveries_are_signed_as_the_readmes_recipe_verifies(tenant: Tenant, http: httpx.Client) -> None:
    verify = readme_verifier()
    with receiving() as receiver:
        created = subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "s-1", hour=9)
        [delivered] = receiver.wait_for(1)
    [change], _ = read_changes(http, tenant.headers, 1)
    secret, headers, body = created["secret"], delivered.headers, delivered.body
    old = str(int(time.time()) - 600)

    assert verify(secret, headers, body)
    assert not verify(secret, headers, body.replace(b"s-1", b"s-2"))
    assert not verify("whsec_another", headers, body)
    assert not verify(
        secret,
        {**headers, "x-ledger-timestamp": old, "x-ledger-signature": signature(secret, int(old), body)},
        body,
    )
    assert json.loads(body) == change
    assert headers["x-ledger-attempt"] == "1"
    assert headers["content-type"] == "application/json"


def test_a_receiver_answering_500_twice_then_200_gets_the_delivery_three_times(tenant: Tenant) -> None:
    with receiving(answers=[500, 500], then=200) as receiver:
        created = subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "r-1", hour=9)
        receiver.wait_for(3)
        wait_for_log(tenant, created["id"], lambda log: [d["status"] for d in log] == ["delivered"])
        # Deliveries go in order, so any further try of the first would come before the next one.
        cancel_court_booking(tenant, "r-1")
        received = receiver.wait_for(4)
        log = wait_for_log(tenant, created["id"], lambda log: [d["status"] for d in log] == ["delivered"] * 2)

    first = [
        request for request in received if request.headers["x-ledger-delivery"] == str(log[1]["deliveryId"])
    ]
    assert [request.headers["x-ledger-attempt"] for request in first] == ["1", "2", "3"]
    assert len(received) == 4
    assert json.loads(received[3].body)["type"] == "court_booking.canceled"
    assert log[1]["attempts"] == 3
    assert log[1]["lastResponseCode"] == 200
    assert log[0]["attempts"] == 1


def test_a_receiver_that_never_answers_does_not_hold_up_another_subscription(tenant: Tenant) -> None:
    with receiving(answers=[], then=HANG) as dead, receiving() as alive:
        subscribe(tenant, dead.url)
        subscribe(tenant, alive.url)
        for number in range(5):
            upsert_court_booking(tenant, f"d-{number}", hour=number)

        delivered = alive.wait_for(5)
        held = len(dead.received)

    # Five bookings: each one's change in order, the five side by side.
    names = sorted(json.loads(request.body)["externalId"] for request in delivered)
    assert names == [f"d-{n}" for n in range(5)]
    # Its first deliveries (five bookings' changes, up to its lane's window at once) wait for an answer.
    assert 1 <= held <= 5


def test_an_entitys_changes_arrive_in_ledger_order(tenant: Tenant) -> None:
    with receiving() as receiver:
        subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "o-1", hour=9)
        upsert_court_booking(tenant, "o-1", hour=10, revision=1)
        cancel_court_booking(tenant, "o-1")
        received = receiver.wait_for(3)

    changes = [json.loads(request.body) for request in received]
    assert [change["type"] for change in changes] == [
        "court_booking.registered",
        "court_booking.revised",
        "court_booking.canceled",
    ]
    assert [change["position"] for change in changes] == sorted(change["position"] for change in changes)


def test_an_entitys_next_change_waits_for_its_last_while_other_entities_changes_go_on(tenant: Tenant) -> None:
    with receiving(answers=[HANG]) as receiver:
        subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "w-held", hour=9)
        receiver.wait_for(1)  # its registration is out, and never answered
        upsert_court_booking(tenant, "w-held", hour=10, revision=1)
        upsert_court_booking(tenant, "w-other", hour=11)
        upsert_court_booking(tenant, "w-last", hour=12)
        received = receiver.wait_for(3)

    bodies = [json.loads(request.body) for request in received]
    changes = [(body["externalId"], body["type"]) for body in bodies]
    # The held booking's revision is not sent while its registration waits; the two others go side by side.
    registered = "court_booking.registered"
    assert changes[0] == ("w-held", registered)
    assert sorted(changes[1:]) == [("w-last", registered), ("w-other", registered)]


def test_a_subscription_gets_only_the_types_it_names(tenant: Tenant) -> None:
    with receiving() as receiver:
        subscribe(tenant, receiver.url, types=["court_booking.canceled"])
        upsert_court_booking(tenant, "t-1", hour=9)
        cancel_court_booking(tenant, "t-1")
        [received] = receiver.wait_for(1)

    assert json.loads(received.body)["type"] == "court_booking.canceled"


def test_a_client_never_receives_another_clients_changes(
    tenant: Tenant, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_feed_tenant(http, admin_headers)
    with receiving() as mine, receiving() as theirs:
        subscribe(tenant, mine.url)
        subscribe(other, theirs.url)
        upsert_court_booking(tenant, "mine", hour=9)
        upsert_court_booking(other, "theirs", hour=9)
        upsert_court_booking(tenant, "mine-2", hour=10)
        mine_received, theirs_received = mine.wait_for(2), theirs.wait_for(1)

    assert [json.loads(r.body)["externalId"] for r in mine_received] == ["mine", "mine-2"]
    assert [json.loads(r.body)["externalId"] for r in theirs_received] == ["theirs"]


def test_a_delivery_is_sent_again_on_request_with_its_id_and_body(
    tenant: Tenant, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    with receiving() as receiver:
        created = subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "again", hour=9)
        [first] = receiver.wait_for(1)
        [logged] = wait_for_log(
            tenant, created["id"], lambda log: [d["status"] for d in log] == ["delivered"]
        )
        path = f"{WEBHOOKS}/{created['id']}/deliveries/{logged['deliveryId']}/redeliver"
        requested = tenant.http.post(path, headers=tenant.headers)
        second = receiver.wait_for(2)[1]
        log = wait_for_log(tenant, created["id"], lambda log: [d["status"] for d in log] == ["delivered"] * 2)

    other = make_feed_tenant(http, admin_headers)
    assert expect(requested, 202) == {"deliveryId": logged["deliveryId"], "queued": True}
    assert second.body == first.body
    assert second.headers["x-ledger-delivery"] == first.headers["x-ledger-delivery"]
    assert [entry["redelivery"] for entry in log] == [True, False]
    unknown = tenant.http.post(
        f"{WEBHOOKS}/{created['id']}/deliveries/{created['id']}/redeliver", headers=tenant.headers
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["type"] == "delivery_not_found"
    assert http.post(path, headers=other.headers).status_code == 404
    assert http.get(f"{WEBHOOKS}/{created['id']}/deliveries", headers=other.headers).status_code == 404


def test_a_subscription_failing_longer_than_allowed_is_disabled_and_resumes_when_enabled(
    tenant: Tenant, clock: MovableClock
) -> None:
    with receiving(answers=[], then=500) as receiver:
        created = subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "fail", hour=9)
        wait_for_log(tenant, created["id"], lambda log: [d["status"] for d in log] == ["retrying"])
        clock.advance(timedelta(days=4))
        wait_until(lambda: webhook(tenant, created["id"])["status"] == "disabled", 20, "the webhook disabled")
        disabled = webhook(tenant, created["id"])
        receiver.then = 200
        expect(tenant.http.post(f"{WEBHOOKS}/{created['id']}/enable", headers=tenant.headers), 200)
        log = wait_for_log(tenant, created["id"], lambda log: [d["status"] for d in log] == ["delivered"])

    assert "HTTP 500" in disabled["disabledReason"]
    assert "72 hours" in disabled["disabledReason"]
    assert log[0]["attempts"] >= 3
    assert json.loads(receiver.received[-1].body)["externalId"] == "fail"


def test_a_deleted_subscription_is_delivered_nothing_more(tenant: Tenant) -> None:
    with receiving() as receiver:
        created = subscribe(tenant, receiver.url)
        upsert_court_booking(tenant, "before", hour=9)
        receiver.wait_for(1)
        tenant.http.delete(f"{WEBHOOKS}/{created['id']}", headers=tenant.headers)
        later = subscribe(tenant, receiver.url, types=["court_booking.canceled"])
        upsert_court_booking(tenant, "after", hour=10)
        cancel_court_booking(tenant, "after")
        received = receiver.wait_for(2)

    assert [json.loads(r.body)["externalId"] for r in received] == ["before", "after"]
    assert json.loads(received[1].body)["type"] == "court_booking.canceled"
    assert deliveries(tenant, later["id"])[0]["status"] in ("sending", "delivered")
