"""Schemathesis over the server's own OpenAPI document: no input gets a 5xx, every answer fits its schema."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from ledger.runtime import Runtime
from tests.reliability.report import ScenarioResult
from tests.support import (
    ACTING_USER,
    ALL_CLIENT_SCOPES,
    ServerThread,
    Tenant,
    booking_body,
    expect,
    instant,
    make_tenant,
    random_day,
)

EXAMPLES = 25  # generated cases per operation
CHECKS = [not_a_server_error, response_schema_conformance]
SERVICE = "/api/v1/external-services/{externalServiceId}/court-bookings"
ADMIN_TOKEN_PATHS = ("/api/v1/admin", "/metrics")
Operation = schemathesis.APIOperation[Any, Any, Any, Any]
Case = schemathesis.Case[Any]


@dataclass
class World:
    """Things that exist: their ids replace generated path, query and body values, to reach past the 404s.

    `valid` holds hand-made requests (operation label -> Case arguments) that must succeed, so that every
    success response is checked against its schema at least once, not only the errors.
    """

    path: dict[str, str]
    body: dict[str, Any]
    valid: dict[str, list[dict[str, Any]]]

    def inject(self, case: Case) -> Case:
        for name in case.path_parameters:
            if name in self.path:
                case.path_parameters[name] = self.path[name]
        for name in case.query or {}:
            if name in self.path:
                case.query[name] = self.path[name]
        if isinstance(case.body, dict):
            for name in case.body:
                if name in self.body:
                    case.body[name] = self.body[name]
        return case


@dataclass
class Run:
    """Sends cases to the server and keeps what came back: statuses per operation and failed checks."""

    base_url: str
    session: requests.Session
    cases: int = 0
    server_errors: int = 0
    schema_violations: int = 0
    statuses: defaultdict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    valid_statuses: list[tuple[str, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def check(self, case: Case, headers: dict[str, str]) -> int:
        response = case.call(base_url=self.base_url, session=self.session, headers=headers, timeout=60)
        label = case.operation.label
        self.cases += 1
        self.statuses[label][response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            curl = case.as_curl_command(headers=headers)[:600]
            for failure in group.exceptions:
                if isinstance(failure, ServerError):
                    self.server_errors += 1
                else:
                    self.schema_violations += 1
                self.failures.append(f"{label}: {failure.title}: {failure.message[:300]}\n  {curl}")
        return response.status_code

    def exercise(self, operation: Operation, headers: dict[str, str], world: World) -> None:
        """The hand-made valid cases, then generated ones: valid, valid at known ids, invalid at known ids."""
        for arguments in world.valid.get(operation.label, []):
            status = self.check(operation.Case(**arguments), headers)
            self.valid_statuses.append((operation.label, status))
        valid = operation.as_strategy()
        invalid = operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(valid, valid.map(world.inject), invalid.map(world.inject)))
        def send(case: Case) -> None:
            self.check(case, headers)

        send()


OTHER_CREDENTIALS = (
    "/matchengine/",
    "/module/",
    "/webhooks/",
    "/oauth/",
    "/api/v1/schemas/",
    "/api/v1/analytics/",
)


def takes_other_credentials(path: str) -> bool:
    return path == "/api/v1/bookings" or path.startswith(OTHER_CREDENTIALS)


def schedule_event(http: httpx.Client, admin_headers: dict[str, str], coach_id: str) -> str:
    start = random_day() + timedelta(hours=9)
    event = coach_event(coach_id, start)
    created = expect(http.post("/api/v1/admin/coach-events", json=event, headers=admin_headers), 201)
    return str(created["eventId"])


def coach_event(coach_id: str, start: datetime) -> dict[str, Any]:
    return {
        "coachId": coach_id,
        "sportId": str(uuid.uuid4()),
        "startAt": instant(start),
        "endAt": instant(start + timedelta(hours=1)),
        "timeslot": {
            "numberOfParticipants": 50,
            "slotType": "Offline",
            "ageFrom": 18,
            "ageTo": 99,
            "price": 100,
        },
    }


def make_world(http: httpx.Client, admin_headers: dict[str, str]) -> tuple[Tenant, World]:
    """A client with every scope, its coach's events, a card order, a court booking and a webhook, and valid
    requests."""
    tenant = make_tenant(
        http, admin_headers, scopes=[*ALL_CLIENT_SCOPES, "changes:read", "notifications:send"]
    )
    email = f"coach-{uuid.uuid4().hex[:8]}@example.com"
    coach = expect(http.post("/api/v1/admin/users", json={"email": email}, headers=admin_headers), 201)
    link = {"userId": coach["id"]}
    expect(
        http.post(f"/api/v1/admin/clients/{tenant.client_id}/users", json=link, headers=admin_headers), 201
    )
    event_id, spare_event_id = (schedule_event(http, admin_headers, coach["id"]) for _ in range(2))
    athlete = {**tenant.headers, ACTING_USER: tenant.user_id}
    card = {"type": "Card", "methodId": str(uuid.uuid4())}
    order = {"userId": tenant.user_id, "eventIds": [event_id], "paymentMethod": card}
    placed = expect(http.post("/api/v1/orders", json=order, headers=athlete), 201)
    external_id = f"fuzz-{uuid.uuid4().hex}"
    expect(tenant.put(external_id, booking_body(tenant.court_id, random_day())), 201)
    hook = {"url": "https://partner.example.com/ledger-hooks"}
    webhook = expect(http.post("/api/v1/webhooks", json=hook, headers=tenant.headers), 201)
    service = {"externalServiceId": tenant.client_id}
    new_booking = {**service, "externalCourtBookingId": f"fuzz-{uuid.uuid4().hex}"}
    later = {"externalUpdatedAt": "8999-12-31T00:00:00Z"}
    valid: dict[str, list[dict[str, Any]]] = {
        f"PUT {SERVICE}/by-external-id/{{externalCourtBookingId}}": [
            {"path_parameters": new_booking, "body": booking_body(tenant.court_id, random_day())}
        ],
        f"DELETE {SERVICE}/by-external-id/{{externalCourtBookingId}}": [
            {"path_parameters": {**service, "externalCourtBookingId": external_id}, "query": later}
        ],
        "POST /api/v1/orders": [
            {
                "body": {
                    "userId": tenant.user_id,
                    "eventIds": [spare_event_id],
                    "paymentMethod": {"type": "Cash"},
                }
            }
        ],
        "POST /api/v1/orders/{orderId}/payment": [
            {"path_parameters": {"orderId": placed["orderId"]}, "body": {"status": "Paid"}}
        ],
        "POST /api/v1/admin/organizations": [{"body": {"name": "Fuzz club", "timezone": "Europe/Berlin"}}],
        # The tenant has changes already, so a feed read without a cursor answers at once, whatever it waits.
        "GET /api/v1/changes": [{"query": {"limit": 10, "wait": 1}}],
        "POST /api/v1/webhooks": [{"body": hook}],
        "POST /api/v1/admin/coach-events": [{"body": coach_event(coach["id"], random_day())}],
        "POST /api/v1/notifications/send": [{}],
        "POST /api/v1/admin/clients/{clientId}/notification-rules": [
            {
                "path_parameters": {"clientId": tenant.client_id},
                "body": {"trigger": "booking.accepted", "audience": "both", "channel": "webhook"},
            }
        ],
    }
    path = {
        **service,
        "externalCourtBookingId": external_id,
        "orderId": placed["orderId"],
        "bookingId": placed["bookings"][0]["bookingId"],
        "eventId": event_id,
        "userId": tenant.user_id,
        "clientId": tenant.client_id,
        "organizationId": tenant.organization_id,
        "venueId": tenant.venue_id,
        "webhookId": webhook["id"],
    }
    body = {
        "courtId": tenant.court_id,
        "userId": tenant.user_id,
        "eventIds": [event_id],
        "coachId": coach["id"],
        "organizationIds": [tenant.organization_id],
    }
    return tenant, World(path, body, valid)


@pytest.mark.slow
def test_generated_requests_to_every_operation_get_no_5xx_and_answers_that_fit_the_schema(
    http: httpx.Client, server: ServerThread, runtime: Runtime, admin_headers: dict[str, str]
) -> None:
    tenant, world = make_world(http, admin_headers)
    client_headers = {**tenant.headers, ACTING_USER: tenant.user_id}
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    labels = []
    unusable = []
    operations = []
    for loaded in schema.get_all_operations():
        if isinstance(loaded, Ok):
            operations.append(loaded.ok())
        else:
            unusable.append(str(loaded.err()))
    # The admin operations last: generated ones may revoke the world's client and its key.
    operations.sort(key=lambda operation: operation.path.startswith("/api/v1/admin"))
    with requests.Session() as session:
        run = Run(server.url, session)
        for operation in operations:
            labels.append(operation.label)
            admins_only = operation.path.startswith(ADMIN_TOKEN_PATHS)
            headers = admin_headers if admins_only else client_headers
            run.exercise(operation, headers, world)
    # Whatever the server accepted, its views must still follow the log.
    head = runtime.ledger.recorder.max_notification_id() or 0
    views = {"court bookings": runtime.court_bookings, "bookings": runtime.bookings}
    stuck = [
        f"the {name} view is stuck at {view.position()} of {head}"
        for name, view in views.items()
        if not view.wait_for(head, 10)
    ]
    result = ScenarioResult(
        "schemathesis",
        runs=run.cases,
        server_errors=run.server_errors,
        invariant_violations=run.schema_violations + len(stuck),
    )
    # The fuzz tenant holds a key of the partner-sync, bookings, audit, changes and admin surfaces; the others
    # take other credentials (client-API and query scopes, OAuth tokens, Stripe signatures), tested apart.
    only_refused = [
        label
        for label in labels
        if set(run.statuses[label]) <= {401} and not takes_other_credentials(label.split(" ", 1)[1])
    ]
    succeeded = [label for label in labels if any(200 <= status < 300 for status in run.statuses[label])]

    try:
        result.assert_clean()
    except AssertionError as error:
        raise AssertionError(f"{error}\n" + "\n".join(stuck + run.failures[:40])) from None
    assert not unusable, unusable
    assert len(labels) >= 30, labels
    assert set(world.valid) <= set(labels), sorted(set(world.valid) - set(labels))
    assert all(200 <= status < 300 for _, status in run.valid_statuses), [
        (label, status) for label, status in run.valid_statuses if not 200 <= status < 300
    ]
    assert not only_refused, f"the credentials did not get past authentication: {only_refused}"
    keyed = [label for label in labels if not takes_other_credentials(label.split(" ", 1)[1])]
    assert len(succeeded) >= len(keyed) // 2, f"only {succeeded} answered any case with a 2xx"
