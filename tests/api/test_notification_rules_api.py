"""Notification rules through the admin API: added, listed, read, replaced and removed per client."""

from __future__ import annotations

import uuid

import httpx

from tests.api.notification_support import add_rule, rules_path
from tests.support import Tenant, expect, make_tenant

REMINDER = {"trigger": "before_start", "minutesBefore": 90, "audience": "athlete", "channel": "webhook"}


def test_a_rule_is_added_listed_read_replaced_and_removed(tenant: Tenant) -> None:
    http, admin, path = tenant.http, tenant.admin_headers, rules_path(tenant.client_id)

    added = add_rule(tenant, "booking.canceled", "coach")
    rule = f"{path}/{added['id']}"

    assert added["clientId"] == tenant.client_id
    assert (added["trigger"], added["audience"], added["channel"]) == ("booking.canceled", "coach", "webhook")
    assert added["minutesBefore"] is None
    assert expect(http.get(path, headers=admin), 200) == {"rules": [added]}
    assert expect(http.get(rule, headers=admin), 200) == added
    replaced = expect(http.put(rule, json=REMINDER, headers=admin), 200)
    assert {key: replaced[key] for key in REMINDER} == REMINDER
    assert (replaced["id"], replaced["createdAt"]) == (added["id"], added["createdAt"])
    assert expect(http.get(rule, headers=admin), 200) == replaced
    assert http.delete(rule, headers=admin).status_code == 204
    assert expect(http.get(rule, headers=admin), 404)["error"]["type"] == "notification_rule_not_found"
    assert expect(http.get(path, headers=admin), 200) == {"rules": []}


def test_another_clients_rule_is_not_found_under_a_client(tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = add_rule(other_tenant)
    mine = f"{rules_path(tenant.client_id)}/{theirs['id']}"
    http, admin = tenant.http, tenant.admin_headers

    for response in (
        http.get(mine, headers=admin),
        http.put(mine, json=REMINDER, headers=admin),
        http.delete(mine, headers=admin),
    ):
        assert expect(response, 404)["error"]["type"] == "notification_rule_not_found"
    assert expect(http.get(rules_path(tenant.client_id), headers=admin), 200) == {"rules": []}
    listed = expect(http.get(rules_path(other_tenant.client_id), headers=admin), 200)
    assert listed == {"rules": [theirs]}


def test_a_clients_own_key_cannot_manage_rules(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    client = make_tenant(http, admin_headers, scopes=["notifications:send", "admin"])
    path = rules_path(client.client_id)

    for response in (
        http.get(path, headers=client.headers),
        http.post(path, json=REMINDER, headers=client.headers),
    ):
        assert expect(response, 401)["error"]["type"] == "invalid_api_token"


def test_rules_of_an_unknown_client_are_not_found(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    path = rules_path(str(uuid.uuid4()))

    assert expect(http.get(path, headers=admin_headers), 404)["error"]["type"] == "client_not_found"
    posted = http.post(path, json=REMINDER, headers=admin_headers)
    assert expect(posted, 404)["error"]["type"] == "client_not_found"


def test_a_rule_with_unknown_terms_is_refused_naming_them(tenant: Tenant) -> None:
    path, admin = rules_path(tenant.client_id), tenant.admin_headers
    cases = [
        ({**REMINDER, "trigger": "booking.paid"}, "invalid_notification_rule", "trigger"),
        ({**REMINDER, "minutesBefore": None}, "invalid_notification_rule", "minutesBefore"),
        ({**REMINDER, "audience": "all"}, "invalid_notification_rule", "audience"),
        ({**REMINDER, "colour": "red"}, "invalid_schema", "colour"),
        ({**REMINDER, "minutesBefore": "90"}, "invalid_schema", "minutesBefore"),
    ]

    for body, kind, named in cases:
        error = expect(tenant.http.post(path, json=body, headers=admin), 400)["error"]
        assert error["type"] == kind
        assert named in str(error)
    assert expect(tenant.http.get(path, headers=admin), 200) == {"rules": []}


def test_an_email_rule_is_refused_where_no_smtp_server_is_configured(tenant: Tenant) -> None:
    body = {**REMINDER, "channel": "email"}

    response = tenant.http.post(rules_path(tenant.client_id), json=body, headers=tenant.admin_headers)

    assert expect(response, 409)["error"]["type"] == "email_not_configured"
